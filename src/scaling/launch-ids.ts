import { createHash } from 'node:crypto';

/**
 * Deterministic launch identities. plan() must give the same answer for the same
 * (observed state, config, now), so a launch's server_id and idempotency key are derived,
 * not random: sha256(pool name, pass minute, slot index, number of instances the pool owns).
 *
 * The consequence is a feature: two runners that plan the same launch in the same minute
 * (overlapping cron jobs, an HA pair, a retry of a crashed pass) send the same OCI
 * `opc-retry-token` / GCP `requestId`, so the cloud makes one instance, not two. A later
 * minute, or a pool whose owned count has changed, gives new identities.
 */
export function launchIdentity(
  pool: string,
  now: Date,
  slot: number,
  ownedCount: number,
  ownerId = '',
): { serverId: string; idempotencyKey: string } {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const h = createHash('sha256')
    .update(`kasm-scale launch\n${pool}\n${minute}\n${slot}\n${ownedCount}`)
    .digest('hex');
  const head = h.slice(0, 24);
  return { serverId: head + agentMark(head, pool, ownerId), idempotencyKey: `ks-${h.slice(32, 64)}` };
}

/**
 * The last 8 hex of a server_id we make: a hash of its first 24, the pool and the
 * installation's ownership id. Kasm keeps an agent's record after its instance is gone,
 * with nothing else saying who launched it; this mark lets any runner, without local
 * memory, recognise "an agent this installation launched for this pool" and deregister it.
 */
function agentMark(head: string, pool: string, ownerId: string): string {
  return createHash('sha256')
    .update(`kasm-scale agent\n${ownerId}\n${pool}\n${head}`)
    .digest('hex')
    .slice(0, 8);
}

/** Whether a Kasm server_id was made by launchIdentity() for this pool and installation. */
export function isOurAgentId(serverId: string, pool: string, ownerId = ''): boolean {
  if (!/^[0-9a-f]{32}$/.test(serverId)) return false;
  return agentMark(serverId.slice(0, 24), pool, ownerId) === serverId.slice(24);
}

/**
 * The key sent for one zone attempt. A launch that falls through from AD-1 to AD-2 sends a
 * different body, and OCI refuses a reused retry token with a different body; the zone is
 * mixed in so every attempt is idempotent on its own (and two runners falling through the
 * same way still agree). At most 64 characters (OCI's limit for opc-retry-token).
 */
export function zoneIdempotencyKey(base: string, zone: string): string {
  return `ks-${createHash('sha256').update(`${base}\n${zone}`).digest('hex').slice(0, 40)}`;
}
