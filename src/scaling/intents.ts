/**
 * Launch intents (`<state dir>/intents.json`): every launch is recorded, with its
 * idempotency key, BEFORE it is sent, and forgotten once its outcome is known.
 *
 * Why: launch identities are derived from the pass minute (launch-ids.ts), so a pass killed
 * while LaunchInstance calls are in flight, followed by a pass in the next minute that does
 * not see those instances yet, would launch again under new keys, and then the first
 * launches land too (twice the instances). With intents, the next pass counts each
 * unconfirmed launch as pending supply and sends it again under its ORIGINAL key (OCI
 * `opc-retry-token`, GCP `requestId`), so the cloud makes at most one instance for it,
 * whichever request arrives first. An intent ends when the cloud lists its instance, when
 * a send returns a definite answer, or when it expires.
 *
 * Pure helpers here; the file I/O is the two small functions at the end.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/files.js';
import type { ActionResult, LaunchAction, LaunchIntent, LaunchTarget } from './types.js';

export type { LaunchIntent } from './types.js';

export const INTENTS_FILE = 'intents.json';

/**
 * How long an unconfirmed launch is trusted. It covers a launch call's longest life (our
 * client timeout and retries are well under this) plus the time the cloud takes to list a
 * new instance; both clouds keep their idempotency keys for far longer (OCI 24 h, GCP 1 h
 * or more), so a send within this window can never make a second instance.
 */
export const INTENT_TTL_MS = 15 * 60_000;

/** Outcomes that tell us for sure whether the cloud made an instance for a send. */
const DEFINITE_FAILURE = new Set([
  'capacity',
  'quota',
  'auth',
  'auth_stopped',
  'invalid',
  'not_found',
  'throttled',
]);

export function isExpired(i: LaunchIntent, now: Date): boolean {
  const at = Date.parse(i.at);
  return !Number.isFinite(at) || now.getTime() - at >= INTENT_TTL_MS || at - now.getTime() > INTENT_TTL_MS;
}

/** The intents still open at `now`: unexpired, and their instance not (yet) listed by the cloud. */
export function openIntents(
  intents: LaunchIntent[],
  now: Date,
  listedServerIds: (provider: string) => Set<string> | undefined,
): LaunchIntent[] {
  return intents.filter((i) => {
    if (isExpired(i, now)) return false;
    // Listed on any provider it may have gone to: confirmed. A provider that could not be
    // listed: keep the intent (we cannot tell).
    const lists = [i.provider, ...(i.fallbacks ?? []).map((f) => f.provider)].map(listedServerIds);
    if (lists.some((l) => l?.has(i.serverId))) return false;
    return true;
  });
}

/** plan(): an open intent, sent again under its original key (the cloud makes at most one instance for it). */
export function resendAction(i: LaunchIntent, zones: string[], fallbacks: LaunchTarget[] = []): LaunchAction {
  return {
    kind: 'launch',
    pool: i.pool,
    provider: i.provider,
    cause: 'unconfirmed',
    serverId: i.serverId,
    idempotencyKey: i.idempotencyKey,
    zones,
    ...(fallbacks.length ? { fallbacks } : {}),
    reason: `launch again under its original idempotency key: sent at ${i.at}, and the cloud does not list it yet (the pass that sent it may have been stopped)`,
  };
}

/** The intents to record before sending: the open ones plus one per launch about to go out. */
export function withPlannedLaunches(
  open: LaunchIntent[],
  launches: LaunchAction[],
  now: Date,
): LaunchIntent[] {
  const out = [...open];
  for (const a of launches) {
    if (out.some((i) => i.serverId === a.serverId)) continue;
    out.push({
      pool: a.pool,
      provider: a.provider,
      serverId: a.serverId,
      idempotencyKey: a.idempotencyKey,
      zones: a.zones,
      ...(a.fallbacks?.length ? { fallbacks: a.fallbacks } : {}),
      at: now.toISOString(),
    });
  }
  return out;
}

/** After apply: drop the intents whose send came back with a definite answer (made, or surely not made). */
export function afterApply(intents: LaunchIntent[], results: ActionResult[]): LaunchIntent[] {
  const settled = new Set<string>();
  for (const r of results) {
    if (r.action.kind !== 'launch') continue;
    if (r.status === 'done' || (r.status === 'failed' && DEFINITE_FAILURE.has(r.error?.class ?? '')))
      settled.add(r.action.serverId);
  }
  return intents.filter((i) => !settled.has(i.serverId));
}

export async function readIntents(dir: string): Promise<{ intents: LaunchIntent[]; note?: string }> {
  const file = join(dir, INTENTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { intents: [] };
    throw err;
  }
  try {
    const doc = JSON.parse(text) as { intents?: unknown };
    const list = Array.isArray(doc.intents) ? doc.intents : [];
    const ok = list.filter(
      (i): i is LaunchIntent =>
        typeof i === 'object' &&
        i !== null &&
        ['pool', 'provider', 'serverId', 'idempotencyKey', 'at'].every(
          (k) => typeof (i as Record<string, unknown>)[k] === 'string',
        ) &&
        Array.isArray((i as LaunchIntent).zones),
    );
    return {
      intents: ok,
      ...(ok.length !== list.length
        ? { note: `${file}: ${list.length - ok.length} unreadable launch intent(s) ignored` }
        : {}),
    };
  } catch {
    return {
      intents: [],
      note: `${file} is not JSON; its launch intents are ignored (instances launched by a killed pass may be launched again)`,
    };
  }
}

export async function writeIntents(dir: string, intents: LaunchIntent[]): Promise<void> {
  await writeFileAtomic(join(dir, INTENTS_FILE), `${JSON.stringify({ version: 1, intents }, null, 2)}\n`, {
    mode: 0o600,
  });
}
