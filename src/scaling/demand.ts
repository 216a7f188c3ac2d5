/**
 * Kasm's answer indexed once per pass (agents by id, sessions by agent, zones by name) and
 * the questions plan() asks of it: which sessions wait for a pool, which agents sit in a
 * zone, whether an agent has any session, what its sessions use.
 */
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer, KasmSession } from '../kasm/types.js';
import { ACTIVE_SESSION, add, isWaiting, sessionSize, zero } from './capacity.js';
import type { PlanInput, Resources } from './types.js';

export interface DemandIndex {
  servers: KasmServer[];
  byId: Map<string, KasmServer>;
  sessionsByServer: Map<string, KasmSession[]>;
  waiting: KasmSession[];
  zoneIdsByName: Map<string, string[]>;
  zoneNames: Set<string>;
  unzonedWaiting: number;
}

export function indexDemand(input: PlanInput): DemandIndex {
  const d = input.demand!;
  const byId = new Map<string, KasmServer>();
  for (const s of d.servers) byId.set(s.server_id, s);
  const sessionsByServer = new Map<string, KasmSession[]>();
  for (const k of d.kasms) {
    if (!k.server_id) continue;
    const list = sessionsByServer.get(k.server_id) ?? [];
    list.push(k);
    sessionsByServer.set(k.server_id, list);
  }
  const zoneIdsByName = new Map<string, string[]>();
  for (const z of d.zones)
    zoneIdsByName.set(z.zone_name, [...(zoneIdsByName.get(z.zone_name) ?? []), z.zone_id]);
  const waiting = d.kasms.filter(isWaiting);
  const unzonedWaiting = waiting.filter((k) => !sessionZone(k)).length;
  return {
    servers: d.servers,
    byId,
    sessionsByServer,
    waiting,
    zoneIdsByName,
    zoneNames: new Set(d.zones.map((z) => z.zone_name)),
    unzonedWaiting,
  };
}

const sessionZone = (k: KasmSession): string | undefined =>
  (k.zone_name ?? k.server?.zone_name ?? undefined) || undefined;

/** Sessions waiting for an agent in the pool's zone (or without a zone, when it is the only pool). */
export function waitingOfPool(pool: AutoscaleConfig, input: PlanInput, ctx: DemandIndex): KasmSession[] {
  const onlyPool = input.pools.length === 1;
  return ctx.waiting.filter((k) => {
    const z = sessionZone(k);
    return z === pool.zone_name || (!z && onlyPool);
  });
}

export function serverInZone(s: KasmServer, zone: string, ctx: DemandIndex): boolean {
  if (s.zone_name) return s.zone_name === zone;
  return Boolean(s.zone_id && (ctx.zoneIdsByName.get(zone) ?? []).includes(s.zone_id));
}

/** Any session at all on the agent (any status, or listed on the server row): it is never terminated. */
export function hasSession(serverId: string, ctx: DemandIndex): boolean {
  return (
    (ctx.sessionsByServer.get(serverId)?.length ?? 0) > 0 || (ctx.byId.get(serverId)?.kasms?.length ?? 0) > 0
  );
}

export function sessionCount(serverId: string, ctx: DemandIndex): number {
  return Math.max(
    ctx.sessionsByServer.get(serverId)?.length ?? 0,
    ctx.byId.get(serverId)?.kasms?.length ?? 0,
  );
}

export function usedOn(serverId: string, ctx: DemandIndex): Resources {
  let used = zero();
  for (const k of ctx.sessionsByServer.get(serverId) ?? [])
    if (ACTIVE_SESSION.has(String(k.operational_status))) used = add(used, sessionSize(k));
  return used;
}
