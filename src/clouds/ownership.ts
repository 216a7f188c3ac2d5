import { createHash } from 'node:crypto';
import type { OwnedInstance } from './types.js';

/**
 * Ownership marks: every instance kasm-scale launches carries these freeform tags (OCI)
 * or labels (GCP). Listing filters on MANAGED; an instance without it is never modified
 * or terminated. Keys and values are kept inside GCP's label rules (lowercase, digits,
 * `-`, `_`, ≤ 63 chars) so the same marks work on both clouds.
 */
export const TAG_MANAGED = 'kasm-scale-managed';
export const TAG_MANAGED_VALUE = 'true';
/** poolLabel(autoscale_config_name) */
export const TAG_POOL = 'kasm-scale-pool';
/** The Kasm server_id (32 hex). */
export const TAG_SERVER_ID = 'kasm-scale-server-id';
/**
 * Which kasm-scale installation launched it (reconcile.ownership_id, default derived from
 * kasm.url). Orphan reaping touches only instances carrying OUR id; instances launched
 * before this mark existed have none and are never reaped as orphans.
 */
export const TAG_OWNER = 'kasm-scale-owner';
/** Unix seconds since the agent was first seen idle with no session; absent when busy. */
export const TAG_IDLE_SINCE = 'kasm-scale-idle-since';

/*
 * Facts about one instance that every runner must see live on the instance itself, never
 * only in a local file. Values are unix seconds as decimal strings: valid GCP label values.
 */

/**
 * Unix seconds when the instance's agent was first seen in Kasm. Tells "Kasm lost all our
 * agents" (an implausible answer: terminate nothing) from "the agents never registered"
 * (a broken startup script: terminate after provision_timeout), without local memory.
 */
export const TAG_REGISTERED = 'kasm-scale-registered';

/**
 * The drain protocol's progress (scaling/drain.ts), written BEFORE each step it names so a
 * pass killed mid-way leaves a record any later pass reads: `disabling` (update_server
 * enabled:false is next or done), `deleting` (delete_server is next or done). An agent of
 * ours that is disabled carries one; without it the agent was disabled by someone else.
 */
export const TAG_DRAIN = 'kasm-scale-drain';
export type DrainStep = 'disabling' | 'deleting';
/** Unix seconds when the drain began. */
export const TAG_DRAIN_AT = 'kasm-scale-drain-at';
/** Unix seconds when a pass first saw the instance as an orphan (its pool not in the file). */
export const TAG_ORPHAN_SINCE = 'kasm-scale-orphan-since';

/** The patch that forgets a drain (after re-enabling the agent). */
export const CLEAR_DRAIN: Record<string, null> = { [TAG_DRAIN]: null, [TAG_DRAIN_AT]: null };

export const unixSeconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

/** An instance's marks, read from its tags/labels once: the names above, typed. */
export interface InstanceMarks {
  /** Carries the managed mark, a pool and a server id: ours to modify (isOwned). */
  owned: boolean;
  pool?: string;
  serverId?: string;
  owner?: string;
  idleSince?: Date;
  registeredAt?: Date;
  drain?: DrainStep;
  drainAt?: Date;
  orphanSince?: Date;
}

/** Parsed once per tag map (tags are replaced on a patch, never changed in place). */
const marksCache = new WeakMap<Record<string, string>, InstanceMarks>();
const NO_MARKS: InstanceMarks = Object.freeze({ owned: false });

export function readMarks(tags: Record<string, string> | undefined | null): InstanceMarks {
  if (!tags) return NO_MARKS;
  let marks = marksCache.get(tags);
  if (marks === undefined) {
    const drain = tags[TAG_DRAIN];
    marks = {
      owned: isOwned(tags),
      pool: tags[TAG_POOL] || undefined,
      serverId: tags[TAG_SERVER_ID] || undefined,
      owner: tags[TAG_OWNER] || undefined,
      idleSince: unixTime(tags[TAG_IDLE_SINCE]),
      registeredAt: unixTime(tags[TAG_REGISTERED]),
      drain: drain === 'disabling' || drain === 'deleting' ? drain : undefined,
      drainAt: unixTime(tags[TAG_DRAIN_AT]),
      orphanSince: unixTime(tags[TAG_ORPHAN_SINCE]),
    };
    marksCache.set(tags, marks);
  }
  return marks;
}

function unixTime(v: string | undefined): Date | undefined {
  if (!v || !/^\d{1,12}$/.test(v)) return undefined;
  return new Date(Number(v) * 1000);
}

export function drainStepOf(i: OwnedInstance): DrainStep | undefined {
  return readMarks(i.tags).drain;
}

/** When the agent went idle: the adapter's parsed value, else the tag. */
export function idleSinceOf(i: OwnedInstance): Date | undefined {
  return i.idleSince ?? readMarks(i.tags).idleSince;
}

export function isKnownRegistered(i: OwnedInstance): boolean {
  return Boolean(readMarks(i.tags).registeredAt || idleSinceOf(i));
}

/** An instance belongs to a pool by its pool tag (or the adapter's mapping back to the name). */
export function belongsTo(i: OwnedInstance, poolName: string): boolean {
  return readMarks(i.tags).pool === poolLabel(poolName) || i.autoscaleConfigName === poolName;
}

/**
 * This installation's ownership id: `reconcile.ownership_id`, else derived from kasm.url
 * (so every runner of one installation agrees, and installations of different Kasm
 * deployments differ without configuration). Undefined without either: no orphan reaping.
 */
export function ownershipIdOf(config: {
  kasm?: { url: string };
  reconcile?: { ownership_id?: string };
}): string | undefined {
  if (config.reconcile?.ownership_id) return config.reconcile.ownership_id;
  if (!config.kasm?.url) return undefined;
  let key = config.kasm.url.trim();
  try {
    const u = new URL(key);
    key = `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    // an invalid URL fails elsewhere; the raw text still gives a stable id
  }
  return `k-${createHash('sha256').update(`kasm-scale owner\n${key}`).digest('hex').slice(0, 12)}`;
}

/**
 * A label-safe, stable, unique value for an autoscale config name: a readable slug plus
 * 8 hex of its SHA-256 (names may hold spaces and capitals that GCP labels refuse).
 */
export function poolLabel(autoscaleConfigName: string): string {
  // Pure and asked for once per pool per instance by plan(): computed once per name.
  let label = poolLabels.get(autoscaleConfigName);
  if (label === undefined) {
    label = computePoolLabel(autoscaleConfigName);
    if (poolLabels.size >= 4096) poolLabels.clear(); // bounded: a long simulation sees many names
    poolLabels.set(autoscaleConfigName, label);
  }
  return label;
}

const poolLabels = new Map<string, string>();

function computePoolLabel(autoscaleConfigName: string): string {
  const slug = autoscaleConfigName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256').update(autoscaleConfigName).digest('hex').slice(0, 8);
  return slug ? `${slug}-${hash}` : `pool-${hash}`;
}

/** The tags/labels a launch adds (on top of the user's custom tags/labels). */
export function ownershipTags(
  autoscaleConfigName: string,
  serverId: string,
  ownerId?: string,
): Record<string, string> {
  return {
    [TAG_MANAGED]: TAG_MANAGED_VALUE,
    [TAG_POOL]: poolLabel(autoscaleConfigName),
    [TAG_SERVER_ID]: serverId,
    ...(ownerId ? { [TAG_OWNER]: ownerId } : {}),
  };
}

export function isOwned(tags: Record<string, string> | undefined | null): boolean {
  return Boolean(tags && tags[TAG_MANAGED] === TAG_MANAGED_VALUE && tags[TAG_POOL] && tags[TAG_SERVER_ID]);
}

/**
 * Whether the live tags/labels are ours AND still this instance's: a known server id must
 * match, so a stale or hand-made OwnedInstance never reaches someone else's VM.
 */
export function ownsInstance(
  tags: Record<string, string> | undefined | null,
  serverId: string | undefined,
): boolean {
  return isOwned(tags) && (!serverId || tags?.[TAG_SERVER_ID] === serverId);
}

/** The tag/label map after a patch (null removes a key, a string sets it); the input is not changed. */
export function patchTags(
  tags: Record<string, string>,
  patch: Record<string, string | null>,
): Record<string, string> {
  const out = { ...tags };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Instance name / display name: `kasm-<pool slug>-<server id 8>`, valid as a GCP instance
 * name (`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`) and readable in the OCI console.
 */
export function instanceName(autoscaleConfigName: string, serverId: string): string {
  const slug = autoscaleConfigName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `kasm-${slug ? `${slug}-` : ''}${serverId.slice(0, 12)}`;
}

/** GCP's requestId must be a UUID: the idempotency key hashed into one (stable). */
export function requestIdFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(idempotencyKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
