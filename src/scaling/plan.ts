/**
 * plan(): the whole decision of a pass, as a pure function of (observed state, config,
 * pool memory, now). No I/O, no clock, no randomness: the same input gives the same plan,
 * which is what lets property tests check its invariants and lets two runners agree.
 *
 * A pass: judge whether Kasm's answer is usable (else terminate nothing, launch only for
 * minimum_instances), index it (demand.ts), count each provider's instances and
 * unconfirmed launches against max_instances, plan each pool, then the orphans (our
 * instances whose pool left the file, reaped after orphan_grace: orphans.ts).
 *
 * Per pool (an autoscale config: one provider, one Kasm zone), in this order:
 * -. The pool's schedule windows (schedule.ts) decide, at `now`, the standby and minimum
 *    that launches aim at and those scale-down keeps (pre-warming before a window).
 * 0. A pool whose provider, instance list or Kasm zone is unknown is reported, not planned.
 * 1. Tally the zone's agents (zone-tally.ts), size one agent, count the waiting sessions it
 *    can hold, and assess each of our instances (assess.ts): registered, draining,
 *    provisioning, or broken (terminated: never registered or unhealthy for
 *    provision_timeout, never one with a session); our agents whose instance vanished are
 *    deregistered.
 * 2. Unconfirmed launches of earlier passes count as pending supply and are resent under
 *    their own keys.
 * 3. Scale up (scale-up.ts) until free cores, memory and GPUs are each back at standby
 *    (+ waiting sessions), and to minimum_instances; capped by the breaker, backoff,
 *    max_launch_per_pass and the provider's max_instances.
 * 4. Only when nothing is launched or unconfirmed: scale down idle agents (scale-down.ts).
 *    Every removal of a registered agent is a drain (drain.ts carries it out).
 * 5. A drain a killed pass left half-way and that is not finished now is undone (re-enabled);
 *    stale drain records of enabled agents are cleared.
 * 6. The actions, each with its reason, in the order apply() runs them; a demand snapshot
 *    holds back those that need the Kasm API.
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer } from '../kasm/types.js';
import { CLEAR_DRAIN, belongsTo, isKnownRegistered } from '../clouds/ownership.js';
import { add, agentCapacity, zero } from './capacity.js';
import { assessInstances, emptyAssessment, LIVE_INSTANCE } from './assess.js';
import { hasSession, indexDemand, sessionCount, waitingOfPool, type DemandIndex } from './demand.js';
import { resendAction } from './intents.js';
import { activeBackoff, emptyPoolMemory } from './memory.js';
import { planOrphans } from './orphans.js';
import { scheduledTargets } from './schedule.js';
import { planScaleDown } from './scale-down.js';
import { planScaleUp } from './scale-up.js';
import { resolveAgentSize, splitWaiting } from './sizing.js';
import type {
  Action,
  EnableAction,
  Plan,
  PlanInput,
  PoolFigures,
  PoolPlan,
  Resources,
  TerminateAction,
} from './types.js';
import { tallyZone, type ZoneTally } from './zone-tally.js';

export function plan(input: PlanInput, now: Date): Plan {
  const kasm = judgeKasm(input);
  const providerCount: Record<string, number> = {};
  for (const [name, p] of Object.entries(input.providers))
    providerCount[name] = (p.instances ?? []).filter((i) => i.state !== 'terminated').length;
  // Unconfirmed launches will be instances: they count against max_instances already.
  for (const i of input.intents ?? []) if (i.provider in providerCount) providerCount[i.provider]++;

  const ctx = kasm.usable ? indexDemand(input) : undefined;
  const notes: string[] = [];
  if (!kasm.usable)
    notes.push(`${kasm.reason}: terminating nothing this pass; launching only to keep minimum_instances`);
  if (ctx && ctx.unzonedWaiting > 0 && input.pools.length > 1)
    notes.push(
      `${ctx.unzonedWaiting} waiting session(s) carry no zone and are not counted (more than one pool)`,
    );

  const pools = input.pools.map((pool) => planPool(pool, input, ctx, providerCount, now));
  const orphans = planOrphans(
    input,
    ctx
      ? { byId: ctx.byId, hasSession: (id) => hasSession(id, ctx), sessions: (id) => sessionCount(id, ctx) }
      : undefined,
    now,
  );
  if (input.kasmWritable === false) withoutKasmWrites(orphans);
  return {
    now: now.toISOString(),
    orphans,
    kasmUsable: kasm.usable,
    ...(kasm.reason ? { kasmReason: kasm.reason } : {}),
    pools,
    notes,
  };
}

/** A snapshot (--demand) cannot drain or re-enable: those actions become notes. */
function withoutKasmWrites(p: { actions: Action[]; notes: string[] }): void {
  const needsKasm = (a: Action) =>
    a.kind === 'enable' || a.kind === 'deregister' || (a.kind === 'terminate' && a.drain);
  const held = p.actions.filter(needsKasm);
  if (held.length)
    p.notes.push(
      `${held.length} agent change(s) not made: draining, re-enabling and deregistering agents need the Kasm API (demand was read from a snapshot)`,
    );
  p.actions = p.actions.filter((a) => !needsKasm(a));
}

/** Kasm's answer is usable unless it is missing, or lists none of our agents known to be registered. */
function judgeKasm(input: PlanInput): { usable: boolean; reason?: string } {
  if (!input.demand)
    return { usable: false, reason: `Kasm could not be read (${input.demandError ?? 'no answer'})` };
  const known: OwnedInstance[] = [];
  for (const pool of input.pools) {
    const p = input.providers[pool.vm_provider_config_name];
    for (const i of p?.instances ?? [])
      if (i.state === 'running' && belongsTo(i, pool.autoscale_config_name) && isKnownRegistered(i))
        known.push(i);
  }
  if (known.length === 0) return { usable: true };
  const listed = new Set(input.demand.servers.map((s) => s.server_id));
  if (known.some((i) => listed.has(i.serverId))) return { usable: true };
  return {
    usable: false,
    reason: `Kasm's answer is implausible: it lists none of our ${known.length} registered agent(s) (e.g. ${known[0].serverId})`,
  };
}

function planPool(
  pool: AutoscaleConfig,
  input: PlanInput,
  ctx: DemandIndex | undefined,
  providerCount: Record<string, number>,
  now: Date,
): PoolPlan {
  const name = pool.autoscale_config_name;
  const providerName = pool.vm_provider_config_name;
  const out: PoolPlan = {
    pool: name,
    provider: providerName,
    zone: pool.zone_name,
    actions: [],
    tagUpdates: [],
    notes: [],
    outcomes: [],
  };
  // -. Schedule windows (schedule.ts): what launches aim at, and what scale-down keeps, at `now`.
  const sched = scheduledTargets(pool, now, input.memory.pools[name]?.registerSeconds);
  if (sched.info) out.schedule = sched.info;
  // 0. A pool whose provider, instances or Kasm zone are unknown is reported, not planned.
  const prov = input.providers[providerName];
  if (!prov)
    return {
      ...out,
      error: { kind: 'config', message: `provider ${providerName} is not defined in the config` },
    };
  if (!prov.instances)
    return {
      ...out,
      error: prov.error ?? { kind: 'unknown', message: `instances on ${providerName} could not be listed` },
    };
  if (ctx && ctx.zoneNames.size > 0 && !ctx.zoneNames.has(pool.zone_name))
    return {
      ...out,
      error: {
        kind: 'config',
        message: `Kasm has no zone named "${pool.zone_name}"; check zone_name of autoscale config ${name}`,
      },
    };

  const mem = input.memory.pools[name] ?? emptyPoolMemory();
  const owned = prov.instances
    .filter((i) => i.state !== 'terminated' && belongsTo(i, name))
    .sort((a, b) => a.id.localeCompare(b.id));
  const byState: Record<string, number> = {};
  for (const i of owned) byState[i.state] = (byState[i.state] ?? 0) + 1;
  const standby: Resources = {
    cores: sched.launch.standby_cores,
    memoryMb: sched.launch.standby_memory_mb,
    gpus: sched.launch.standby_gpus,
  };

  // 1. Tally the zone's agents, size one agent, count the waiting sessions it can hold,
  //    and assess each of our instances (assess.ts).
  let tally: ZoneTally | undefined;
  let size: Resources | undefined;
  let waiting = zero();
  let waitingCount = 0;
  let oversized = 0;
  let assessed = emptyAssessment();
  if (ctx) {
    tally = tallyZone(pool, owned, ctx, prov.instances ?? [], input.ownershipId);
    const registeredSizes = owned
      .map((i) => ctx.byId.get(i.serverId))
      .filter((a): a is KasmServer => Boolean(a && a.operational_status === 'running'))
      .sort((a, b) => a.server_id.localeCompare(b.server_id))
      .map(agentCapacity);
    size = resolveAgentSize(pool, registeredSizes, prov.agentSize);
    // Waiting sessions no agent of this pool can hold are reported once and drive no launch.
    const split = splitWaiting(waitingOfPool(pool, input, ctx), size);
    waiting = split.fits;
    waitingCount = split.fitCount + split.oversized.count;
    oversized = split.oversized.count;
    if (split.oversized.note) out.notes.push(split.oversized.note);
    tally.sessions.waiting = waitingCount;
    assessed = assessInstances({
      pool,
      gone: tally.gone,
      spot: prov.spot === true,
      owned,
      ctx,
      mem,
      size,
      now,
    });
    out.notes.push(...assessed.notes);
  } else {
    size = resolveAgentSize(pool, [], prov.agentSize);
  }
  const { cleanup, tagUpdates, outcomes, unhealthySince, unhealthyIds, drainingIds, draining } = assessed;
  const freeRegistered = tally?.freeRegistered ?? zero();
  let pending = assessed.pending;
  let pendingCount = assessed.pendingCount;

  // 2. Launches an earlier pass sent but the cloud does not list yet are pending supply, sent
  //    again under their own keys (intents.ts): never launched a second time under new ones.
  const unconfirmed = (input.intents ?? []).filter((i) => i.pool === name && i.provider === providerName);
  if (size) pending = unconfirmed.reduce((p) => add(p, size), pending);
  pendingCount += unconfirmed.length;
  const resends = unconfirmed.flatMap((i) => {
    const zones = i.zones.filter((z) => !activeBackoff(input.memory, providerName, z, now));
    return zones.length ? [resendAction(i, zones)] : [];
  });

  const free = add(freeRegistered, pending);
  // What the decisions below count: free + the agents mid-drain, each of which leaves this
  // plan either re-enabled or drained to the end (never silently disabled).
  const decisionFree = add(free, draining);
  const need = add(standby, waiting);
  const cleaned = new Set(cleanup.map((t) => t.instance.id));
  const liveCount =
    owned.filter((i) => LIVE_INSTANCE.has(i.state) && !cleaned.has(i.id)).length + unconfirmed.length;

  // 3. Scale up (scale-up.ts).
  const up = planScaleUp({
    pool: { ...pool, minimum_instances: sched.launch.minimum_instances },
    input,
    prov,
    mem,
    measured: ctx !== undefined,
    need,
    decisionFree,
    standby,
    waiting,
    size,
    liveCount,
    outcomes,
    pendingCount,
    ownedCount: owned.length,
    providerInstances: providerCount[providerName],
    now,
  });
  out.notes.push(...up.notes);
  // The schedule's words (window in force, pre-warm) end each launch's reason.
  const launches = up.launches.map((l) => ({ ...l, reason: l.reason + sched.reasonSuffix }));
  const want = up.want;
  providerCount[providerName] += launches.length;

  // 4. Scale down, never in a pass that launches for this pool (scale-down.ts).
  let down: TerminateAction[] = [];
  const lastLaunch = Math.max(
    mem.lastLaunchAt ? Date.parse(mem.lastLaunchAt) : 0,
    ...owned.map((i) => i.createdAt.getTime()),
  );
  if (lastLaunch > 0) out.lastLaunchSeenAt = new Date(lastLaunch).toISOString();
  if (ctx && want === 0 && unconfirmed.length === 0) {
    // minimum_instances counts registered agents here: an unhealthy instance will be cleaned
    // up, and one still provisioning may never register; neither may be the reason a good
    // agent went (then a launch when it times out: a flap).
    const healthyCount = owned.filter(
      (i) =>
        LIVE_INSTANCE.has(i.state) &&
        !cleaned.has(i.id) &&
        !unhealthyIds.has(i.id) &&
        ctx.byId.has(i.serverId),
    ).length;
    const sd = planScaleDown({
      pool: { ...pool, ...sched.keep },
      owned,
      ctx: { byId: ctx.byId, hasSession: (id) => hasSession(id, ctx) },
      excluded: cleaned,
      draining: drainingIds,
      freeRegistered: add(freeRegistered, draining),
      need: add(
        {
          cores: sched.keep.standby_cores,
          memoryMb: sched.keep.standby_memory_mb,
          gpus: sched.keep.standby_gpus,
        },
        waiting,
      ),
      liveCount: healthyCount,
      lastLaunch,
      careful: input.careful,
      now,
    });
    down = sd.terminations;
    out.notes.push(...sd.notes);
  }

  // 5. A drain that is not finished this pass is undone: no agent of ours stays disabled without a reason.
  const going = new Set([...cleanup, ...down].map((t) => t.instance.id));
  const undo: EnableAction[] = [];
  for (const inst of owned.filter((i) => drainingIds.has(i.id) && !going.has(i.id))) {
    const why =
      ctx && hasSession(inst.serverId, ctx)
        ? 'sessions are on it'
        : want > 0
          ? 'the pool needs its capacity'
          : 'the pool keeps it (standby, minimum or scale-down delay)';
    undo.push({
      kind: 'enable',
      pool: name,
      provider: providerName,
      cause: 'drain_undone',
      instance: inst,
      reason: `re-enable: a drain left this agent disabled and ${why}`,
    });
  }
  for (const inst of assessed.staleDrainTags.filter((i) => !going.has(i.id))) {
    tagUpdates.push({
      pool: name,
      provider: providerName,
      instance: inst,
      patch: { ...CLEAR_DRAIN },
      reason: 'drain record of an enabled agent that stays',
    });
  }

  // 6. The actions in the order apply() runs them; a snapshot holds back those that need Kasm.
  let actions: Action[] = [...cleanup, ...resends, ...launches, ...down, ...undo, ...assessed.vanished];
  if (input.kasmWritable === false) {
    const held = { actions, notes: out.notes };
    withoutKasmWrites(held);
    actions = held.actions;
  }
  const figures: PoolFigures = {
    agents: tally?.figuresAgents ?? { total: 0, running: 0, owned: 0, static: 0, unhealthy: 0 },
    sessions: tally?.sessions ?? { active: 0, waiting: 0, other: 0 },
    freeRegistered,
    pending,
    draining,
    free,
    standby,
    waiting,
    ...(size ? { agentSize: size } : {}),
    ...(oversized ? { oversizedSessions: oversized } : {}),
    instances: byState,
    providerInstances: (prov.instances ?? []).filter((i) => i.state !== 'terminated').length,
    maxInstances: prov.maxInstances,
  };
  return {
    ...out,
    figures,
    actions,
    tagUpdates: ctx ? tagUpdates.filter((t) => !going.has(t.instance.id)) : [],
    outcomes,
    ...(ctx ? { unhealthySince } : {}),
    ...(assessed.preempted ? { preempted: assessed.preempted } : {}),
  };
}
