/**
 * Facts about one instance that every runner must see live on the instance itself
 * (freeform tags on OCI, labels on GCP), never only in a local file.
 * Values are unix seconds as decimal strings: valid GCP label values.
 */
import { TAG_IDLE_SINCE, TAG_POOL, poolLabel } from '../clouds/ownership.js';
import type { OwnedInstance } from '../clouds/types.js';

export { TAG_IDLE_SINCE };
/**
 * Unix seconds when the instance's agent was first seen in Kasm. Tells "Kasm lost all our
 * agents" (an implausible answer: terminate nothing) from "the agents never registered"
 * (a broken startup script: terminate after provision_timeout), without local memory.
 */
export const TAG_REGISTERED = 'kasm-scale-registered';

/**
 * The drain protocol's progress (drain.ts), written BEFORE each step it names so a pass
 * killed mid-way leaves a record any later pass reads: `disabling` (update_server
 * enabled:false is next or done), `deleting` (delete_server is next or done). An agent of
 * ours that is disabled carries one; without it the agent was disabled by someone else.
 */
export const TAG_DRAIN = 'kasm-scale-drain';
export type DrainStep = 'disabling' | 'deleting';
/** Unix seconds when the drain began. */
export const TAG_DRAIN_AT = 'kasm-scale-drain-at';
/** Unix seconds when a pass first saw the instance as an orphan (its pool not in the file). */
export const TAG_ORPHAN_SINCE = 'kasm-scale-orphan-since';

export function drainStepOf(i: OwnedInstance): DrainStep | undefined {
  const v = i.tags?.[TAG_DRAIN];
  return v === 'disabling' || v === 'deleting' ? v : undefined;
}

/** The patch that forgets a drain (after re-enabling the agent). */
export const CLEAR_DRAIN: Record<string, null> = { [TAG_DRAIN]: null, [TAG_DRAIN_AT]: null };

export const unixSeconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

export function tagTime(tags: Record<string, string> | undefined, key: string): Date | undefined {
  const v = tags?.[key];
  if (!v || !/^\d{1,12}$/.test(v)) return undefined;
  return new Date(Number(v) * 1000);
}

/** When the agent went idle: the adapter's parsed value, else the raw tag. */
export function idleSinceOf(i: OwnedInstance): Date | undefined {
  return i.idleSince ?? tagTime(i.tags, TAG_IDLE_SINCE);
}

export function isKnownRegistered(i: OwnedInstance): boolean {
  return Boolean(tagTime(i.tags, TAG_REGISTERED) || idleSinceOf(i));
}

/** An instance belongs to a pool by its pool tag (or the adapter's mapping back to the name). */
export function belongsTo(i: OwnedInstance, poolName: string): boolean {
  return i.tags?.[TAG_POOL] === poolLabel(poolName) || i.autoscaleConfigName === poolName;
}

/** Kasm's dates: `2024-03-05 22:18:50.063048`, UTC without a zone. */
export function parseKasmDate(v: unknown): Date | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return undefined;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const t = Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
  return Number.isFinite(t) ? new Date(t) : undefined;
}
