/**
 * The zone's agents as Kasm reports them, counted once per pool: how many, whose (ours or
 * static), how many unhealthy, the sessions on them, and the free capacity of the enabled,
 * running ones (capacity minus what active sessions use). Static agents count too: a
 * session can land on any agent in the zone.
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer } from '../kasm/types.js';
import { ACTIVE_SESSION, add, agentCapacity, clampZero, isDockerAgent, sub, zero } from './capacity.js';
import { serverInZone, usedOn, type DemandIndex } from './demand.js';
import { isOurAgentId } from './launch-ids.js';
import type { PoolFigures, Resources } from './types.js';

/** Kasm is already deleting the agent: nothing to drain, the instance can go. */
export const DELETING_AGENT = new Set(['delete_pending', 'destroying']);

/** Agent states that are not serving (figures) and, for our instances, reasons for cleanup (assess.ts). */
export const UNHEALTHY_AGENT = new Set(['missing', 'dead', 'delete_pending', 'destroying']);

export interface ZoneTally {
  /** Kasm's docker agents in the pool's zone. */
  agents: KasmServer[];
  figuresAgents: PoolFigures['agents'];
  /** `waiting` is filled in by the caller (it depends on the agent size). */
  sessions: PoolFigures['sessions'];
  freeRegistered: Resources;
  /**
   * Our agents whose instance is gone (terminated or preempted elsewhere): Kasm keeps their
   * record for ever. Recognised by the mark in the server_id (launch-ids.ts). Kasm may still
   * call such an agent running for a while; its capacity is not there, so it is not free.
   */
  gone: KasmServer[];
}

export function tallyZone(
  pool: AutoscaleConfig,
  owned: OwnedInstance[],
  ctx: DemandIndex,
  /** Every instance the provider lists (an agent whose instance is listed is not gone). */
  listedInstances: OwnedInstance[],
  ownershipId: string | undefined,
): ZoneTally {
  const figuresAgents = { total: 0, running: 0, owned: 0, static: 0, unhealthy: 0 };
  const sessions = { active: 0, waiting: 0, other: 0 };
  let freeRegistered = zero();
  const ownedIds = new Set(owned.map((i) => i.serverId));
  const agents = ctx.servers.filter((s) => isDockerAgent(s) && serverInZone(s, pool.zone_name, ctx));
  const listed = new Set(listedInstances.filter((i) => i.state !== 'terminated').map((i) => i.serverId));
  const gone = agents.filter(
    (a) =>
      !listed.has(a.server_id) &&
      !DELETING_AGENT.has(String(a.operational_status)) &&
      isOurAgentId(a.server_id, pool.autoscale_config_name, ownershipId),
  );
  const goneIds = new Set(gone.map((a) => a.server_id));
  for (const a of agents) {
    figuresAgents.total++;
    const ours = ownedIds.has(a.server_id);
    if (ours) figuresAgents.owned++;
    else figuresAgents.static++;
    if (UNHEALTHY_AGENT.has(String(a.operational_status))) figuresAgents.unhealthy++;
    for (const k of ctx.sessionsByServer.get(a.server_id) ?? []) {
      if (ACTIVE_SESSION.has(String(k.operational_status))) sessions.active++;
      else sessions.other++;
    }
    if (a.enabled && a.operational_status === 'running' && !goneIds.has(a.server_id)) {
      figuresAgents.running++;
      freeRegistered = add(freeRegistered, clampZero(sub(agentCapacity(a), usedOn(a.server_id, ctx))));
    }
  }
  return { agents, figuresAgents, sessions, freeRegistered, gone };
}
