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
 * Per pool (an autoscale config: a chain of providers, first preferred (chain.ts); one Kasm
 * zone), in this order:
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
import { isBilled } from './billed.js';
import { agentProviders, chainRank, chainSupply, chainTargets, goneOn, spareRoom } from './chain.js';
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
  const spare = spareRoom(input, providerCount);
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
    spare,
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
  for (const pool of input.pools)
    for (const name of pool.vm_provider_config_names)
      for (const i of input.providers[name]?.instances ?? [])
        if (i.state === 'running' && belongsTo(i, pool.autoscale_config_name) && isKnownRegistered(i))
          known.push(i);
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
  const chain = pool.vm_provider_config_names;
  const providerName = chain[0];
  const out: PoolPlan = {
    pool: name,
    provider: providerName,
    providers: chain,
    zone: pool.zone_name,
    actions: [],
    tagUpdates: [],
    notes: [],
    outcomes: [],
  };
  // -. Schedule windows (schedule.ts): what launches aim at, and what scale-down keeps, at `now`.
  const sched = scheduledTargets(pool, now, input.memory.pools[name]?.registerSeconds);
  if (sched.info) out.schedule = sched.info;
  // 0. A pool whose providers (every one of its chain), instances or Kasm zone are unknown
  //    is reported, not planned (chain.ts).
  const supply = chainSupply(chain, name, input);
  if ('error' in supply) return { ...out, error: supply.error };
  const prov = input.providers[providerName];
  const { targets, moves } = chainTargets(chain, input, providerCount, now);
  if (chain.length > 1 && moves.length) out.chainMoves = moves;
  const onProvider = supply.onProvider;
  // Every instance the chain's providers list: an agent whose instance is listed is not gone.
  const listed = chain.flatMap((pn) => input.providers[pn].instances ?? []);
  const providerOf = (i: OwnedInstance) => onProvider.get(i) ?? providerName;
  if (ctx && ctx.zoneNames.size > 0 && !ctx.zoneNames.has(pool.zone_name))
    return {
      ...out,
      error: {
        kind: 'config',
        message: `Kasm has no zone named "${pool.zone_name}"; check zone_name of autoscale config ${name}`,
      },
    };

  const mem = input.memory.pools[name] ?? emptyPoolMemory();
  const owned = [...onProvider.keys()]
    .filter((i) => i.state !== 'terminated')
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
  const sizeOn = new Map<string, Resources | undefined>();
  const sizeFor = (provider: string) => (sizeOn.has(provider) ? sizeOn.get(provider) : size);
  if (ctx) {
    tally = tallyZone(pool, owned, ctx, listed, input.ownershipId);
    const registeredSizes = (on: (i: OwnedInstance) => boolean) =>
      owned
        .filter(on)
        .map((i) => ctx.byId.get(i.serverId))
        .filter((a): a is KasmServer => Boolean(a && a.operational_status === 'running'))
        .sort((a, b) => a.server_id.localeCompare(b.server_id))
        .map(agentCapacity);
    // A new agent has the size of the provider it goes to first.
    size = resolveAgentSize(
      pool,
      registeredSizes(() => true),
      launchSizeOf(chain, targets, input),
    );
    // Each provider's own agent size (a chain's providers may differ): what its pending
    // instances and launches add. A chain of one keeps `size` exactly.
    if (chain.length > 1)
      for (const pn of chain)
        sizeOn.set(
          pn,
          resolveAgentSize(
            pool,
            registeredSizes((i) => providerOf(i) === pn),
            input.providers[pn].agentSize,
          ),
        );
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
      goneOn: goneOn(chain, input, mem.agentProviders),
      providerOf,
      inChain: chain.length > 1,
      owned,
      ctx,
      mem,
      sizeOf: (i) => sizeFor(providerOf(i)),
      now,
    });
    out.notes.push(...assessed.notes);
  } else {
    size = resolveAgentSize(pool, [], launchSizeOf(chain, targets, input));
    if (chain.length > 1)
      for (const pn of chain) sizeOn.set(pn, resolveAgentSize(pool, [], input.providers[pn].agentSize));
  }
  const { cleanup, tagUpdates, outcomes, unhealthySince, unhealthyIds, drainingIds, draining } = assessed;
  const remember = tally
    ? agentProviders(chain, input, owned, providerOf, tally.gone, mem.agentProviders)
    : undefined;
  const freeRegistered = tally?.freeRegistered ?? zero();
  let pending = assessed.pending;
  let pendingCount = assessed.pendingCount;

  // 2. Launches an earlier pass sent but the cloud does not list yet are pending supply, sent
  //    again under their own keys (intents.ts): never launched a second time under new ones.
  const unconfirmed = (input.intents ?? []).filter((i) => i.pool === name && chain.includes(i.provider));
  for (const i of unconfirmed) {
    const s = sizeFor(i.provider);
    if (s) pending = add(pending, s);
  }
  pendingCount += unconfirmed.length;
  const resends = unconfirmed.flatMap((i) => {
    const notBackedOff = (t: { provider: string; zones: string[] }) => ({
      provider: t.provider,
      zones: t.zones.filter((z) => !activeBackoff(input.memory, t.provider, z, now)),
    });
    const fallbacks = (i.fallbacks ?? []).map(notBackedOff).filter((t) => t.zones.length);
    const zones = notBackedOff(i).zones;
    // Sent again under its original keys, down the same chain (never as a new launch).
    return zones.length || fallbacks.length ? [resendAction(i, zones, fallbacks)] : [];
  });

  const free = add(freeRegistered, pending);
  // What the decisions below count: free + the agents mid-drain, each of which leaves this
  // plan either re-enabled or drained to the end (never silently disabled).
  const decisionFree = add(free, draining);
  const need = add(standby, waiting);
  const cleaned = new Set(cleanup.map((t) => t.instance.id));
  const liveCount =
    owned.filter((i) => LIVE_INSTANCE.has(i.state) && !cleaned.has(i.id)).length + unconfirmed.length;

  // 3. Scale up (scale-up.ts), placed down the provider chain (chain.ts).
  const up = planScaleUp({
    pool: { ...pool, minimum_instances: sched.launch.minimum_instances },
    input,
    targets,
    moves,
    providerCount,
    mem,
    measured: ctx !== undefined,
    need,
    decisionFree,
    standby,
    waiting,
    size,
    sizeFor,
    liveCount,
    outcomes,
    pendingCount,
    ownedCount: owned.length,
    now,
  });
  out.notes.push(...up.notes);
  // The schedule's words (window in force, pre-warm) end each launch's reason.
  const launches = up.launches.map((l) => ({ ...l, reason: l.reason + sched.reasonSuffix }));
  const want = up.want;
  for (const l of launches) providerCount[l.provider]++;

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
      providerOf,
      ...(chain.length > 1 ? { chainRank: chainRank(chain, providerOf) } : {}),
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
      provider: providerOf(inst),
      cause: 'drain_undone',
      instance: inst,
      reason: `re-enable: a drain left this agent disabled and ${why}`,
    });
  }
  for (const inst of assessed.staleDrainTags.filter((i) => !going.has(i.id))) {
    tagUpdates.push({
      pool: name,
      provider: providerOf(inst),
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
    providerInstances: liveOn(input, providerName),
    maxInstances: prov.maxInstances,
    ...(chain.length > 1
      ? {
          chain: chain.map((pn) => ({
            provider: pn,
            instances: owned.filter((i) => providerOf(i) === pn).length,
            billed: owned.filter((i) => providerOf(i) === pn && isBilled(i.state)).length,
            providerInstances: liveOn(input, pn),
            maxInstances: input.providers[pn].maxInstances,
          })),
        }
      : {}),
  };
  return {
    ...out,
    figures,
    actions,
    tagUpdates: ctx ? tagUpdates.filter((t) => !going.has(t.instance.id)) : [],
    outcomes,
    ...(ctx ? { unhealthySince } : {}),
    ...(assessed.preempted ? { preempted: assessed.preempted } : {}),
    ...(remember ? { agentProviders: remember } : {}),
  };
}

/** Owned, not-terminated instances on a provider, all pools (what max_instances counts). */
function liveOn(input: PlanInput, provider: string): number {
  return (input.providers[provider]?.instances ?? []).filter((i) => i.state !== 'terminated').length;
}

/** The cloud's agent size where a new agent goes first (the first target, else the preferred provider). */
function launchSizeOf(chain: string[], targets: { provider: string }[], input: PlanInput) {
  return input.providers[targets[0]?.provider ?? chain[0]]?.agentSize;
}
