/**
 * plan(): the whole decision of a pass, as a pure function of (observed state, config,
 * pool memory, now). No I/O, no clock, no randomness: the same input gives the same plan,
 * which is what lets property tests check its invariants and lets two runners agree.
 *
 * Per pool (an autoscale config: one provider, one Kasm zone):
 * 1. Clean up our broken instances: never registered within provision_timeout; agent
 *    missing/dead/deleting for provision_timeout. Never one with a session.
 * 2. Scale up until free cores, memory and GPUs are each back at standby (+ waiting
 *    sessions), and to minimum_instances; capped by max_launch_per_pass, the provider's
 *    max_instances (all owned instances of all pools on it), backoff and the breaker.
 * 3. Only when nothing is launched: scale down idle agents of ours (see scale-down.ts).
 *
 * Every removal of a registered agent is a drain (drain.ts carries it out); a drain a
 * killed pass left half-way is finished when the agent should still go, else undone
 * (re-enabled). Our agents whose instance vanished are deregistered; orphans (our
 * instances whose pool left the file) are reaped after orphan_grace (orphans.ts).
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer, KasmSession } from '../kasm/types.js';
import {
  ACTIVE_SESSION,
  RESOURCES,
  RESOURCE_WORD,
  add,
  agentCapacity,
  clampZero,
  fmt,
  isDockerAgent,
  isWaiting,
  sessionSize,
  sub,
  zero,
} from './capacity.js';
import { resendAction } from './intents.js';
import { isOurAgentId, launchIdentity } from './launch-ids.js';
import { activeBackoff, breakerStatus, emptyPoolMemory } from './memory.js';
import { planOrphans } from './orphans.js';
import { planScaleDown } from './scale-down.js';
import { resolveAgentSize, splitWaiting } from './sizing.js';
import {
  CLEAR_DRAIN,
  TAG_IDLE_SINCE,
  TAG_ORPHAN_SINCE,
  TAG_REGISTERED,
  belongsTo,
  drainStepOf,
  idleSinceOf,
  isKnownRegistered,
  parseKasmDate,
  unixSeconds,
} from './tags.js';
import type {
  Action,
  DeregisterAction,
  EnableAction,
  LaunchAction,
  LaunchOutcome,
  Plan,
  PlanInput,
  PoolFigures,
  PoolPlan,
  Resources,
  TagUpdate,
  TerminateAction,
} from './types.js';

const UNHEALTHY_AGENT = new Set(['missing', 'dead', 'delete_pending', 'destroying']);
/** Kasm is already deleting the agent: nothing to drain, the instance can go. */
const DELETING_AGENT = new Set(['delete_pending', 'destroying']);
const LIVE_INSTANCE = new Set(['provisioning', 'running']);

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

interface DemandIndex {
  servers: KasmServer[];
  byId: Map<string, KasmServer>;
  sessionsByServer: Map<string, KasmSession[]>;
  waiting: KasmSession[];
  zoneIdsByName: Map<string, string[]>;
  zoneNames: Set<string>;
  unzonedWaiting: number;
}

function indexDemand(input: PlanInput): DemandIndex {
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
function waitingOfPool(pool: AutoscaleConfig, input: PlanInput, ctx: DemandIndex): KasmSession[] {
  const onlyPool = input.pools.length === 1;
  return ctx.waiting.filter((k) => {
    const z = sessionZone(k);
    return z === pool.zone_name || (!z && onlyPool);
  });
}

function serverInZone(s: KasmServer, zone: string, ctx: DemandIndex): boolean {
  if (s.zone_name) return s.zone_name === zone;
  return Boolean(s.zone_id && (ctx.zoneIdsByName.get(zone) ?? []).includes(s.zone_id));
}

/** Any session at all on the agent (any status, or listed on the server row): it is never terminated. */
export function hasSession(serverId: string, ctx: DemandIndex): boolean {
  return (
    (ctx.sessionsByServer.get(serverId)?.length ?? 0) > 0 || (ctx.byId.get(serverId)?.kasms?.length ?? 0) > 0
  );
}

function sessionCount(serverId: string, ctx: DemandIndex): number {
  return Math.max(
    ctx.sessionsByServer.get(serverId)?.length ?? 0,
    ctx.byId.get(serverId)?.kasms?.length ?? 0,
  );
}

function usedOn(serverId: string, ctx: DemandIndex): Resources {
  let used = zero();
  for (const k of ctx.sessionsByServer.get(serverId) ?? [])
    if (ACTIVE_SESSION.has(String(k.operational_status))) used = add(used, sessionSize(k));
  return used;
}

const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min`;

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
  const nowMs = now.getTime();
  const owned = prov.instances
    .filter((i) => i.state !== 'terminated' && belongsTo(i, name))
    .sort((a, b) => a.id.localeCompare(b.id));
  const byState: Record<string, number> = {};
  for (const i of owned) byState[i.state] = (byState[i.state] ?? 0) + 1;

  const standby: Resources = {
    cores: pool.standby_cores,
    memoryMb: pool.standby_memory_mb,
    gpus: pool.standby_gpus,
  };
  const cleanup: TerminateAction[] = [];
  const tagUpdates: TagUpdate[] = [];
  const outcomes: LaunchOutcome[] = [];
  const unhealthySince: Record<string, string> = {};
  const unhealthyIds = new Set<string>();
  let pending = zero();
  let pendingCount = 0;
  let freeRegistered = zero();
  /** Our agents a drain left disabled (still registered, running): finish or undo. */
  let draining = zero();
  const drainingIds = new Set<string>();
  /** Our enabled agents still tagged with a drain step (killed before disabling, or after re-enabling). */
  const staleDrainTags: typeof owned = [];
  const vanished: DeregisterAction[] = [];
  let waiting = zero();
  let waitingCount = 0;
  const figuresAgents = { total: 0, running: 0, owned: 0, static: 0, unhealthy: 0 };
  const sessions = { active: 0, waiting: 0, other: 0 };
  let size: Resources | undefined;
  let oversized = 0;

  let preempted: PoolPlan['preempted'];

  if (ctx) {
    const ownedIds = new Set(owned.map((i) => i.serverId));
    const agents = ctx.servers.filter((s) => isDockerAgent(s) && serverInZone(s, pool.zone_name, ctx));
    // Our agents whose instance is gone (terminated or preempted elsewhere): Kasm keeps their
    // record for ever. Recognised by the mark in the server_id (launch-ids.ts). Kasm may still
    // call such an agent running for a while; its capacity is not there, so it is not free.
    const listed = new Set(
      (prov.instances ?? []).filter((i) => i.state !== 'terminated').map((i) => i.serverId),
    );
    const gone = agents.filter(
      (a) =>
        !listed.has(a.server_id) &&
        !DELETING_AGENT.has(String(a.operational_status)) &&
        isOurAgentId(a.server_id, name, input.ownershipId),
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
    sessions.waiting = waitingCount;

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
          if (busy) out.notes.push(`agent ${inst.serverId} is ${status} but has sessions: kept`);
          else if (inst.state !== 'terminating')
            cleanup.push(
              terminate(
                pool,
                inst,
                'deregistered',
                `terminate: Kasm has its agent ${status} (deregistered), no sessions`,
                false,
              ),
            );
        } else if (status === 'starting' && live) {
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
                pool,
                inst,
                'unhealthy',
                `terminate: agent ${status} for ${minutes(nowMs - since.getTime())} (≥ provision_timeout ${pool.provision_timeout} s), no sessions; replaced if standby needs it`,
                true,
              ),
            );
          else if (long && busy) out.notes.push(`agent ${inst.serverId} is ${status} but has sessions: kept`);
        }
      } else if (live) {
        if (age < pool.provision_timeout * 1000) {
          if (size) pending = add(pending, size);
          pendingCount++;
        } else if (busy) {
          out.notes.push(`instance ${inst.name} has no agent in Kasm but sessions name it: kept`);
        } else if (isKnownRegistered(inst)) {
          cleanup.push(
            terminate(
              pool,
              inst,
              'orphan_agent_gone',
              `terminate: its agent was registered once and is no longer in Kasm (age ${minutes(age)}), no sessions`,
              false,
            ),
          );
        } else {
          cleanup.push(
            terminate(
              pool,
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
          provider: providerName,
          instance: inst,
          patch,
          reason: tagReason(patch),
        });
    }

    // Deregistered once silent for provision_timeout; on a spot provider the instance was
    // preempted: deregistered at once (the cloud took it), its sessions counted as lost once.
    const lost = { agents: [] as string[], sessionsLost: 0 };
    for (const a of gone) {
      const firstNotice = !mem.unhealthySince[a.server_id];
      const since =
        parseKasmDate(a.last_reported) ??
        (mem.unhealthySince[a.server_id] ? new Date(mem.unhealthySince[a.server_id]) : now);
      unhealthySince[a.server_id] = (firstNotice && prov.spot ? now : since).toISOString();
      const sessionsOn = sessionCount(a.server_id, ctx);
      if (prov.spot && firstNotice) {
        lost.agents.push(a.server_id);
        lost.sessionsLost += sessionsOn;
      }
      if (!prov.spot && nowMs - since.getTime() < pool.provision_timeout * 1000) continue;
      if (sessionsOn > 0) {
        out.notes.push(
          prov.spot
            ? `agent ${a.server_id} was preempted with ${sessionsOn} session(s) on it: deregistered once Kasm has ended them (delete_server refuses an agent with sessions)`
            : `agent ${a.server_id} has no instance any more but Kasm lists sessions on it: not deregistered`,
        );
        continue;
      }
      vanished.push({
        kind: 'deregister',
        pool: name,
        provider: providerName,
        cause: prov.spot ? 'preempted' : 'instance_gone',
        serverId: a.server_id,
        reason: prov.spot
          ? `deregister: its spot instance is gone (preempted); the agent (${a.operational_status}) has no sessions`
          : `deregister: its instance is gone and the agent (${a.operational_status}) has not reported for ${minutes(nowMs - since.getTime())} (≥ provision_timeout ${pool.provision_timeout} s)`,
      });
    }
    if (lost.agents.length) {
      preempted = { ...lost, agents: lost.agents.sort() };
      out.notes.push(
        `${lost.agents.length} spot instance(s) preempted; ${lost.sessionsLost} session(s) lost to preemption`,
      );
    }
  } else {
    size = resolveAgentSize(pool, [], prov.agentSize);
  }

  // Launches an earlier pass sent but the cloud does not list yet are pending supply, sent
  // again under their own keys (intents.ts): never launched a second time under new ones.
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

  // ---- scale up ----
  let nDemand = 0;
  let binding: { r: (typeof RESOURCES)[number]; n: number } | undefined;
  if (ctx) {
    for (const r of RESOURCES) {
      const deficit = need[r] - decisionFree[r];
      if (deficit <= 1e-9) continue;
      if (!size) {
        out.notes.push(
          `free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < needed ${fmt(r, need[r])}, but the agent size is unknown (set agent_*_override or check the shape)`,
        );
        continue;
      }
      if (size[r] <= 0) {
        out.notes.push(
          `free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < needed ${fmt(r, need[r])}, but agents of this pool have no ${RESOURCE_WORD[r]}`,
        );
        continue;
      }
      const n = Math.ceil(deficit / size[r] - 1e-9);
      if (n > nDemand) {
        nDemand = n;
        binding = { r, n };
      }
    }
  }
  const nMin = Math.max(0, pool.minimum_instances - liveCount);
  const want = Math.max(nDemand, nMin);
  let n = want;
  const launches: LaunchAction[] = [];
  if (want > 0) {
    const zones = prov.zones.filter((z) => !activeBackoff(input.memory, providerName, z, now));
    // This pass's never-registered findings count at once (no launch into a known-broken pool).
    const nowIso = now.toISOString();
    const known = new Set(mem.launches.map((l) => l.serverId));
    const withThisPass = {
      ...mem,
      launches: [
        ...mem.launches.map((l) =>
          !l.outcome && outcomes.some((o) => o.serverId === l.serverId && o.outcome === 'never_registered')
            ? { ...l, outcome: 'never_registered' as const, resolvedAt: nowIso }
            : l,
        ),
        ...outcomes
          .filter((o) => o.outcome === 'never_registered' && !known.has(o.serverId))
          .map((o) => ({ serverId: o.serverId, at: nowIso, outcome: o.outcome, resolvedAt: nowIso })),
      ],
    };
    const breaker = breakerStatus(withThisPass, now);
    if (breaker.open) {
      const trial = breaker.trialAt && nowMs >= breaker.trialAt.getTime() && pendingCount === 0;
      out.notes.push(
        `stopped launching: ${breaker.failed} of the last ${breaker.resolved} launches never registered as agents; check the startup script` +
          (trial
            ? ' (one trial launch now)'
            : breaker.trialAt
              ? `; one trial launch is allowed from ${breaker.trialAt.toISOString()}`
              : ''),
      );
      n = trial ? Math.min(n, 1) : 0;
    }
    if (n > 0 && zones.length === 0) {
      const until = prov.zones
        .map((z) => activeBackoff(input.memory, providerName, z, now)?.until)
        .filter(Boolean)
        .sort()[0];
      out.notes.push(
        `every zone of ${providerName} is in backoff after capacity/quota errors (until ${until})`,
      );
      n = 0;
    }
    if (n > pool.max_launch_per_pass) {
      out.notes.push(`launching ${pool.max_launch_per_pass} of ${n} this pass (max_launch_per_pass)`);
      n = pool.max_launch_per_pass;
    }
    const headroom = Math.max(0, prov.maxInstances - providerCount[providerName]);
    if (n > headroom) {
      out.notes.push(
        `launching ${headroom} of ${n}: provider ${providerName} has ${providerCount[providerName]} of max_instances ${prov.maxInstances}`,
      );
      n = headroom;
    }
    for (let slot = 0; slot < n; slot++) {
      const id = launchIdentity(name, now, slot, owned.length, input.ownershipId);
      const byDemand = slot < nDemand && binding;
      const r = binding?.r ?? 'cores';
      const reason = byDemand
        ? `launch: free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < standby ${fmt(r, standby[r])}${waiting[r] > 0 ? ` + waiting ${fmt(r, waiting[r])}` : ''}`
        : `launch: ${liveCount} instance(s) < minimum_instances ${pool.minimum_instances}`;
      launches.push({
        kind: 'launch',
        pool: name,
        provider: providerName,
        cause: byDemand ? (waiting[r] > 0 ? 'waiting' : 'standby') : 'minimum',
        ...id,
        zones,
        reason: n > 1 ? `${reason} (${slot + 1} of ${n})` : reason,
      });
    }
    providerCount[providerName] += n;
  }

  // ---- scale down (never in a pass that launches for this pool) ----
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
      pool,
      owned,
      ctx: { byId: ctx.byId, hasSession: (id) => hasSession(id, ctx) },
      excluded: cleaned,
      draining: drainingIds,
      freeRegistered: add(freeRegistered, draining),
      need,
      liveCount: healthyCount,
      lastLaunch,
      careful: input.careful,
      now,
    });
    down = sd.terminations;
    out.notes.push(...sd.notes);
  }

  // A drain that is not finished this pass is undone: no agent of ours stays disabled without a reason.
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
  for (const inst of staleDrainTags.filter((i) => !going.has(i.id))) {
    tagUpdates.push({
      pool: name,
      provider: providerName,
      instance: inst,
      patch: { ...CLEAR_DRAIN },
      reason: 'drain record of an enabled agent that stays',
    });
  }

  let actions: Action[] = [...cleanup, ...resends, ...launches, ...down, ...undo, ...vanished];
  if (input.kasmWritable === false) {
    const held = { actions, notes: out.notes };
    withoutKasmWrites(held);
    actions = held.actions;
  }
  const figures: PoolFigures = {
    agents: figuresAgents,
    sessions,
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
    ...(preempted ? { preempted } : {}),
  };
}

function terminate(
  pool: AutoscaleConfig,
  instance: OwnedInstance,
  cause: TerminateAction['cause'],
  reason: string,
  drain: boolean,
): TerminateAction {
  return {
    kind: 'terminate',
    pool: pool.autoscale_config_name,
    provider: pool.vm_provider_config_name,
    cause,
    instance,
    drain,
    reason,
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
