/**
 * Step 1 of a pool's plan: what each of our instances is, judged against Kasm's agents.
 *
 * - registered: its agent is in Kasm (marked with the registered tag once; idle time kept);
 * - draining: its agent is disabled by a drain of ours, to be finished or undone this pass;
 * - provisioning: no agent yet (or agent starting) within provision_timeout: pending supply;
 * - broken: never registered within provision_timeout, its agent gone after registering,
 *   deregistered by Kasm, or unhealthy for provision_timeout: terminated (never one with a
 *   session; those are kept with a note).
 * Then our agents whose instance is gone: deregistered once silent for provision_timeout, or at
 * once on a spot provider (preempted: the cloud took it; its sessions counted as lost once).
 * Pure, like plan(): every action carries its reason.
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer } from '../kasm/types.js';
import { parseKasmDate } from '../kasm/parse.js';
import {
  TAG_IDLE_SINCE,
  TAG_ORPHAN_SINCE,
  TAG_REGISTERED,
  drainStepOf,
  idleSinceOf,
  isKnownRegistered,
  unixSeconds,
} from '../clouds/ownership.js';
import { add, agentCapacity, clampZero, sub, zero } from './capacity.js';
import { hasSession, sessionCount, usedOn, type DemandIndex } from './demand.js';
import type { PoolMemory } from './memory.js';
import { DELETING_AGENT, UNHEALTHY_AGENT } from './zone-tally.js';
import type {
  DeregisterAction,
  LaunchOutcome,
  PoolPlan,
  Resources,
  TagUpdate,
  TerminateAction,
} from './types.js';

export { DELETING_AGENT };
export const LIVE_INSTANCE = new Set(['provisioning', 'running']);

export const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min`;

export interface AssessInput {
  pool: AutoscaleConfig;
  /** Our agents whose instance is gone, on any provider of the chain (zone-tally.ts). */
  gone: KasmServer[];
  /**
   * The provider a gone agent's instance was on, when known (a terminated instance still
   * listed, or the pool's memory), and whether that provider is `spot: true`: then the
   * instance was preempted (docs/spot.md).
   */
  goneOn: (agent: KasmServer) => { provider: string; spot: boolean };
  /** The provider an instance is on (a pool's chain spans several: chain.ts). */
  providerOf: (i: OwnedInstance) => string;
  /** The pool has a chain of more than one provider: reasons name the instance's provider. */
  inChain: boolean;
  /** The pool's instances, not terminated, in id order. */
  owned: OwnedInstance[];
  ctx: DemandIndex;
  mem: PoolMemory;
  /**
   * What a provisioning instance will add, when known: the agent size of the provider it is
   * on (the providers of a chain may have different shapes; a wrong size here launches for
   * capacity that is coming, then scales the extra agent down: a flap).
   */
  sizeOf: (i: OwnedInstance) => Resources | undefined;
  now: Date;
}

export interface Assessment {
  /** Broken instances to terminate. */
  cleanup: TerminateAction[];
  tagUpdates: TagUpdate[];
  outcomes: LaunchOutcome[];
  unhealthySince: Record<string, string>;
  unhealthyIds: Set<string>;
  /** Capacity and count of instances still provisioning (not yet running agents). */
  pending: Resources;
  pendingCount: number;
  /** Our agents a drain left disabled (still registered, running): finish or undo. */
  draining: Resources;
  drainingIds: Set<string>;
  /** Our enabled agents still tagged with a drain step (killed before disabling, or after re-enabling). */
  staleDrainTags: OwnedInstance[];
  /** Our agents whose instance is gone. */
  vanished: DeregisterAction[];
  /** Spot providers: our agents found preempted this pass (first notice) and their sessions. */
  preempted?: NonNullable<PoolPlan['preempted']>;
  notes: string[];
}

export function emptyAssessment(): Assessment {
  return {
    cleanup: [],
    tagUpdates: [],
    outcomes: [],
    unhealthySince: {},
    unhealthyIds: new Set(),
    pending: zero(),
    pendingCount: 0,
    draining: zero(),
    drainingIds: new Set(),
    staleDrainTags: [],
    vanished: [],
    notes: [],
  };
}

export function assessInstances(a: AssessInput): Assessment {
  const { pool, owned, ctx, mem, sizeOf, now } = a;
  const terminate = (
    inst: OwnedInstance,
    cause: TerminateAction['cause'],
    reason: string,
    drain: boolean,
  ): TerminateAction => ({
    kind: 'terminate',
    pool: pool.autoscale_config_name,
    provider: a.providerOf(inst),
    cause,
    instance: inst,
    drain,
    reason: a.inChain ? `${reason} (on ${a.providerOf(inst)})` : reason,
  });
  const name = pool.autoscale_config_name;
  const nowMs = now.getTime();
  const {
    cleanup,
    tagUpdates,
    outcomes,
    unhealthySince,
    unhealthyIds,
    drainingIds,
    staleDrainTags,
    vanished,
    notes,
  } = emptyAssessment();
  let pending = zero();
  let pendingCount = 0;
  let draining = zero();

  for (const inst of owned) {
    const agent = ctx.byId.get(inst.serverId);
    const live = LIVE_INSTANCE.has(inst.state);
    const busy = hasSession(inst.serverId, ctx);
    const age = nowMs - inst.createdAt.getTime();
    const patch: Record<string, string | null> = {};
    // Its pool is back in the file: it is no orphan (a later removal starts a new grace).
    if (inst.tags?.[TAG_ORPHAN_SINCE]) patch[TAG_ORPHAN_SINCE] = null;
    if (agent) {
      if (!inst.tags?.[TAG_REGISTERED]) {
        patch[TAG_REGISTERED] = unixSeconds(now);
        outcomes.push({ serverId: inst.serverId, outcome: 'registered' });
      }
      const status = String(agent.operational_status);
      const step = drainStepOf(inst);
      if (status === 'running' && (agent.enabled || step)) {
        // Idle time is kept while a drain is under way too: an undone drain leaves it right.
        const idle = idleSinceOf(inst);
        if (!busy && !idle) patch[TAG_IDLE_SINCE] = unixSeconds(now);
        if (busy && idle) patch[TAG_IDLE_SINCE] = null;
      }
      if (status === 'running' && agent.enabled) {
        if (step) staleDrainTags.push(inst);
      } else if (status === 'running' && step) {
        // Disabled by our drain: not free to Kasm; counted only with the action that ends the drain.
        drainingIds.add(inst.id);
        draining = add(draining, clampZero(sub(agentCapacity(agent), usedOn(inst.serverId, ctx))));
      } else if (DELETING_AGENT.has(status) && live) {
        unhealthyIds.add(inst.id);
        if (busy) notes.push(`agent ${inst.serverId} is ${status} but has sessions: kept`);
        else if (inst.state !== 'terminating')
          cleanup.push(
            terminate(
              inst,
              'deregistered',
              `terminate: Kasm has its agent ${status} (deregistered), no sessions`,
              false,
            ),
          );
      } else if (status === 'starting' && live) {
        const size = sizeOf(inst);
        if (size) pending = add(pending, size);
        pendingCount++;
      } else if (UNHEALTHY_AGENT.has(status)) {
        const since =
          parseKasmDate(agent.last_reported) ??
          (mem.unhealthySince[inst.serverId] ? new Date(mem.unhealthySince[inst.serverId]) : now);
        unhealthySince[inst.serverId] = since.toISOString();
        unhealthyIds.add(inst.id);
        const long = nowMs - since.getTime() >= pool.provision_timeout * 1000;
        if (long && !busy && inst.state !== 'terminating')
          cleanup.push(
            terminate(
              inst,
              'unhealthy',
              `terminate: agent ${status} for ${minutes(nowMs - since.getTime())} (≥ provision_timeout ${pool.provision_timeout} s), no sessions; replaced if standby needs it`,
              true,
            ),
          );
        else if (long && busy) notes.push(`agent ${inst.serverId} is ${status} but has sessions: kept`);
      }
    } else if (live) {
      if (age < pool.provision_timeout * 1000) {
        const size = sizeOf(inst);
        if (size) pending = add(pending, size);
        pendingCount++;
      } else if (busy) {
        notes.push(`instance ${inst.name} has no agent in Kasm but sessions name it: kept`);
      } else if (isKnownRegistered(inst)) {
        cleanup.push(
          terminate(
            inst,
            'orphan_agent_gone',
            `terminate: its agent was registered once and is no longer in Kasm (age ${minutes(age)}), no sessions`,
            false,
          ),
        );
      } else {
        cleanup.push(
          terminate(
            inst,
            'never_registered',
            `terminate: never registered as an agent within provision_timeout ${pool.provision_timeout} s (age ${minutes(age)})`,
            false,
          ),
        );
        outcomes.push({ serverId: inst.serverId, outcome: 'never_registered' });
      }
    }
    if (Object.keys(patch).length)
      tagUpdates.push({
        pool: name,
        provider: a.providerOf(inst),
        instance: inst,
        patch,
        reason: tagReason(patch),
      });
  }

  // Our agents whose instance is gone: deregistered once silent for provision_timeout; on a
  // spot provider the instance was preempted: deregistered at once (the cloud took it), its
  // sessions counted as lost once.
  const lost = { agents: [] as string[], sessionsLost: 0 };
  for (const g of a.gone) {
    const { provider, spot } = a.goneOn(g);
    const firstNotice = !mem.unhealthySince[g.server_id];
    const since =
      parseKasmDate(g.last_reported) ??
      (mem.unhealthySince[g.server_id] ? new Date(mem.unhealthySince[g.server_id]) : now);
    unhealthySince[g.server_id] = (firstNotice && spot ? now : since).toISOString();
    const sessionsOn = sessionCount(g.server_id, ctx);
    if (spot && firstNotice) {
      lost.agents.push(g.server_id);
      lost.sessionsLost += sessionsOn;
    }
    if (!spot && nowMs - since.getTime() < pool.provision_timeout * 1000) continue;
    if (sessionsOn > 0) {
      notes.push(
        spot
          ? `agent ${g.server_id} was preempted with ${sessionsOn} session(s) on it: deregistered once Kasm has ended them (delete_server refuses an agent with sessions)`
          : `agent ${g.server_id} has no instance any more but Kasm lists sessions on it: not deregistered`,
      );
      continue;
    }
    vanished.push({
      kind: 'deregister',
      pool: name,
      provider,
      cause: spot ? 'preempted' : 'instance_gone',
      serverId: g.server_id,
      reason: spot
        ? `deregister: its spot instance is gone (preempted); the agent (${g.operational_status}) has no sessions`
        : `deregister: its instance is gone and the agent (${g.operational_status}) has not reported for ${minutes(nowMs - since.getTime())} (≥ provision_timeout ${pool.provision_timeout} s)`,
    });
  }
  let preempted: Assessment['preempted'];
  if (lost.agents.length) {
    preempted = { ...lost, agents: lost.agents.sort() };
    notes.push(
      `${lost.agents.length} spot instance(s) preempted; ${lost.sessionsLost} session(s) lost to preemption`,
    );
  }
  return {
    cleanup,
    tagUpdates,
    outcomes,
    unhealthySince,
    unhealthyIds,
    pending,
    pendingCount,
    draining,
    drainingIds,
    staleDrainTags,
    vanished,
    ...(preempted ? { preempted } : {}),
    notes,
  };
}

function tagReason(patch: Record<string, string | null>): string {
  const parts: string[] = [];
  if (TAG_REGISTERED in patch) parts.push('agent registered');
  if (TAG_ORPHAN_SINCE in patch) parts.push('its pool is in the config file again');
  if (patch[TAG_IDLE_SINCE] === null) parts.push('agent busy again');
  else if (TAG_IDLE_SINCE in patch) parts.push('agent idle, no sessions');
  return parts.join('; ');
}
