/**
 * The simulation engine of `demo` and `simulate`: replays demand through REAL reconcile
 * passes (runPass in-process, against the emulators of a World) on an accelerated clock.
 *
 * Each step (default 5 simulated minutes) at time t: scheduled events fire (e.g. an AD out
 * of capacity), Kasm places what fits, one pass runs with now = t. Then the clock moves
 * through the step in one-minute ticks: the trace's demand is applied at its own times
 * (new sessions arrive waiting; when demand drops, waiting sessions leave first, then the
 * newest running ones), lifecycles progress, booted instances register their agents (the
 * world's bridge) and Kasm places waiting sessions; each tick measures waits and
 * instance-time. Nothing sleeps: the emulators compute state from the injected clock.
 */
import { Writable } from 'node:stream';
import { createOutput } from '../core/output.js';
import { runPass, type PassResult } from '../scaling/reconcile.js';
import type { ActionResult } from '../scaling/apply.js';
import { addMoney, hourlyRate, roundMoney, type Money } from '../cost/money.js';
import { faultDriver } from './faults.js';
import { demandAt, type DemandStep } from './trace.js';
import type { TraceFault } from './trace-faults.js';
import type { World } from './world.js';

export interface DemandGroup {
  sessions: number;
  cores: number;
  memoryMb: number;
  gpus: number;
  /** Kasm zone; absent: the first pool whose agents suit it (GPU sessions to a GPU pool). */
  zone?: string;
}

export interface SimEvent {
  /** Seconds since the start of the day. */
  at: number;
  label: string;
  apply(world: World): void;
}

export interface EngineOptions {
  world: World;
  steps: DemandStep[];
  /** Simulated seconds between passes (default 300). */
  stepSec?: number;
  /** Seconds since the start of the day to run from and to (default: first step → 24:00). */
  fromSec?: number;
  toSec?: number;
  events?: SimEvent[];
  /** The trace's preemption and outage windows per provider. */
  faults?: TraceFault[];
  concurrency?: number;
  /** Called after each pass (progress, brief lines). */
  onPass?: (pass: PassRecord, index: number, total: number) => void;
}

export interface PoolSample {
  agents: number;
  instances: Record<string, number>;
  sessionsRunning: number;
  sessionsWaiting: number;
  free: { cores: number; memoryMb: number; gpus: number };
  standby: { cores: number; memoryMb: number; gpus: number };
}

export interface Sample {
  /** Seconds since the start of the day. */
  t: number;
  /** Sessions the trace asks for now. */
  demand: number;
  agents: number;
  instances: Record<string, number>;
  sessionsRunning: number;
  sessionsWaiting: number;
  freeCores: number;
  freeMemoryMb: number;
  freeGpus: number;
  standbyCores: number;
  standbyMemoryMb: number;
  standbyGpus: number;
  pools: Record<string, PoolSample>;
}

export interface PassAction {
  pool: string;
  /** enable / deregister: the drain protocol's undo and Kasm clean-up (scaling/drain.ts). */
  kind: 'launch' | 'terminate' | 'enable' | 'deregister';
  /** kept: a drain found a session and left the agent in service. */
  status: 'done' | 'failed' | 'planned' | 'kept';
  reason: string;
  zone?: string;
  zonesTried?: string[];
  /** A launch that fell through its provider chain: the provider it landed on. */
  fellTo?: string;
  error?: string;
}

export interface PassRecord {
  t: number;
  actions: PassAction[];
  events: string[];
  warnings: string[];
}

export interface Totals {
  passes: number;
  /** Sessions the trace brought, in all. */
  sessions: number;
  instanceHours: number;
  longestWaitSec: number;
  /** Sessions that got an agent (at once or after waiting). */
  sessionsServed: number;
  /** Sessions that had to wait for capacity at all. */
  sessionsWaited: number;
  /** Still waiting when the day ended. */
  stillWaiting: number;
  launches: number;
  terminations: number;
  failures: number;
  /** Launches that landed only after another AD/zone answered out of capacity. */
  launchesMoved: number;
  launchesByZone: Record<string, number>;
  /** Instance-hours per vm_provider_config_name. */
  instanceHoursByProvider: Record<string, number>;
  /** Cost of the instance-hours of providers with a `price`, per currency (empty: none priced). */
  cost: Money;
  /** Instance-hours of providers without a price (not in `cost`). */
  unpricedInstanceHours: number;
  /** Instances the cloud took away (trace preemption faults). */
  preemptions: number;
  /** Sessions that were running on a preempted instance (their users reconnect and wait again). */
  sessionsLostToPreemption: number;
}

export interface SimulationResult {
  start: string;
  stepSec: number;
  fromSec: number;
  toSec: number;
  pools: string[];
  samples: Sample[];
  passes: PassRecord[];
  totals: Totals;
  /** Warnings of the reconcile passes (deduplicated). */
  warnings: string[];
  /** What the simulation itself left out or assumed. */
  notes: string[];
  /** One line per pool whose waiting sessions never fit one of its agents (shown as warnings). */
  oversized: string[];
}

interface Tracked {
  id: string;
  kind: string;
  added: number;
  assigned?: number;
  /** Left while still waiting (demand dropped). */
  gaveUp?: number;
}

const TICK_SEC = 60;
const MB = 1024 * 1024;

/** A quiet Output for in-process passes: warnings are kept on the PassResult. */
function quietOutput() {
  const sink = () => Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
  return createOutput({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' } });
}

/**
 * Which Kasm zone a group without one goes to: GPU sessions to a pool whose agents have
 * GPUs, others preferably to one without. Undefined: no pool can ever place it (GPU
 * sessions and no GPU pool), so it is left out rather than counted as an endless wait.
 */
function zoneFor(world: World, g: DemandGroup): string | undefined {
  if (g.zone) return g.zone;
  const pools = world.config.autoscale.filter((a) => a.enabled);
  const gpuOf = (a: (typeof pools)[number]) =>
    (a.agent_gpus_override || world.shapes.get(a.vm_provider_config_name)?.gpus || 0) > 0;
  if (g.gpus > 0) return pools.find(gpuOf)?.zone_name;
  return (pools.find((a) => !gpuOf(a)) ?? pools[0])?.zone_name;
}

export async function simulate(o: EngineOptions): Promise<SimulationResult> {
  const { world } = o;
  const stepSec = o.stepSec ?? 300;
  const fromSec = o.fromSec ?? o.steps[0]?.at ?? 0;
  const toSec = o.toSec ?? 24 * 3600;
  const dayStart = world.now() - fromSec * 1000;
  const at = (sec: number) => dayStart + sec * 1000;
  const out = quietOutput();
  const events = [...(o.events ?? [])].sort((a, b) => a.at - b.at);
  const poolNames = world.config.autoscale.filter((a) => a.enabled).map((a) => a.autoscale_config_name);

  const live = new Map<string, Tracked[]>();
  const done: Tracked[] = [];
  const samples: Sample[] = [];
  const passes: PassRecord[] = [];
  const warnings = new Set<string>();
  const notes = new Set<string>();
  let instanceMs = 0;
  const instanceMsByProvider = new Map<string, number>();
  let preemptions = 0;
  let sessionsLost = 0;
  /** Agents whose instance the cloud took: nothing can start on them any more. */
  const preemptedServers = new Set<string>();
  const faults = (o.faults ?? []).filter((f) => {
    const p = world.config.providers.find((x) => x.vm_provider_config_name === f.provider);
    if (f.kind !== 'preemption' || !p || world.canPreempt(p.vm_provider_name)) return true;
    notes.add(
      `${f.provider}: the ${p.vm_provider_name} emulator cannot preempt instances; its preemption faults were left out`,
    );
    return false;
  });
  const driver = faultDriver(world, faults);
  const oversized = new Map<string, { passes: number; most: number; note: string }>();

  const setDemand = (groups: DemandGroup[]) => {
    const want = new Map<string, { g: DemandGroup; zone: string; n: number }>();
    for (const g of groups) {
      const zone = zoneFor(world, g);
      if (zone === undefined) {
        notes.add(
          `the trace asks for sessions with ${g.gpus} GPU(s) but no pool has GPU agents: those sessions are left out`,
        );
        continue;
      }
      const kind = `${zone}|${g.cores}|${g.memoryMb}|${g.gpus}`;
      const w = want.get(kind);
      if (w) w.n += g.sessions;
      else want.set(kind, { g, zone, n: g.sessions });
    }
    for (const kind of new Set([...live.keys(), ...want.keys()])) {
      const list = live.get(kind) ?? [];
      const w = want.get(kind);
      const n = w?.n ?? 0;
      while (list.length < n) {
        const s = world.kasm.addSession({
          zone_name: w!.zone,
          cores: w!.g.cores,
          memory: w!.g.memoryMb * MB,
          gpus: w!.g.gpus,
          operational_status: 'requested',
        });
        list.push({ id: s.kasm_id, kind, added: world.now() });
      }
      while (list.length > n) {
        // People still waiting give up first; then the most recent sessions end.
        let waitingIdx = list.length - 1;
        while (waitingIdx >= 0 && list[waitingIdx].assigned !== undefined) waitingIdx--;
        const [gone] = list.splice(waitingIdx >= 0 ? waitingIdx : list.length - 1, 1);
        world.kasm.removeSession(gone.id);
        if (gone.assigned === undefined) gone.gaveUp = world.now();
        done.push(gone);
      }
      live.set(kind, list);
    }
  };

  /** The Kasm session of a tracked kind (`zone|cores|memoryMb|gpus`). */
  const sessionOf = (kind: string) => {
    const [zone, cores, memoryMb, gpus] = kind.split('|');
    return { zone_name: zone, cores: Number(cores), memory: Number(memoryMb) * MB, gpus: Number(gpus) };
  };

  /** Kasm places waiting sessions; note when ours got an agent, forget ones Kasm dropped. */
  const place = () => {
    world.kasm.assignWaitingSessions();
    const placed = new Map(world.kasm.state().sessions.map((s) => [s.kasm_id, s.server_id]));
    for (const [kind, list] of live) {
      live.set(
        kind,
        list.filter((s) => {
          if (!placed.has(s.id)) {
            done.push(s); // its agent went away: the session ended with it
            return false;
          }
          const server = placed.get(s.id);
          if (s.assigned === undefined && server && preemptedServers.has(server)) {
            // Kasm placed it on an agent whose instance is gone (Kasm has not noticed yet):
            // the session cannot start there; its user is still waiting and tries again.
            world.kasm.removeSession(s.id);
            s.id = world.kasm.addSession({ ...sessionOf(kind), operational_status: 'requested' }).kasm_id;
            return true;
          }
          if (s.assigned === undefined && server) s.assigned = world.now();
          return true;
        }),
      );
    }
  };

  /** Instance-time of the minute that passes now, per provider (every instance not terminated). */
  const countInstanceTime = (ms: number) => {
    for (const i of world.owned()) {
      if (!i.alive) continue;
      instanceMs += ms;
      instanceMsByProvider.set(i.provider, (instanceMsByProvider.get(i.provider) ?? 0) + ms);
    }
  };

  /**
   * The cloud takes instances away: sessions on their agents end there (counted as lost);
   * their users come back at once and wait for capacity like new arrivals.
   */
  const preemptNow = (t: number, minutes: number) => {
    const gone = driver.tick(t, minutes);
    if (!gone.length) return;
    preemptions += gone.length;
    const servers = new Set(gone.map((g) => g.instance.serverId).filter(Boolean));
    for (const id of servers) preemptedServers.add(id!);
    const onThem = new Set(
      world.kasm
        .state()
        .sessions.filter((s) => s.server_id && servers.has(s.server_id))
        .map((s) => s.kasm_id),
    );
    if (!onThem.size) return;
    for (const [kind, list] of live)
      live.set(
        kind,
        list.filter((s) => {
          if (!onThem.has(s.id)) return true;
          world.kasm.removeSession(s.id);
          sessionsLost++;
          done.push(s);
          return false;
        }),
      );
    if (current) setDemand(current);
  };

  let fired = 0;
  let current: DemandGroup[] | undefined;
  const total = Math.floor((toSec - fromSec) / stepSec);
  for (let k = 0; k < total; k++) {
    const t = fromSec + k * stepSec;
    if (world.now() < at(t)) world.advance(at(t) - world.now());
    const eventLines: string[] = driver.changes(t);
    while (fired < events.length && events[fired].at <= t) {
      events[fired].apply(world);
      eventLines.push(events[fired].label);
      fired++;
    }
    let groups: DemandGroup[] = demandAt(o.steps, t);
    if (groups !== current) setDemand((current = groups));
    preemptNow(t, 0);
    place();

    const result = await runPass({
      config: world.config,
      dryRun: false,
      stateDir: world.stateDir,
      concurrency: o.concurrency ?? 8,
      now: new Date(world.now()),
      out,
      adapterOptions: { shareClients: true },
    });
    for (const w of result.warnings) warnings.add(w);
    noteOversized(oversized, result);
    world.refresh();
    samples.push(
      sampleOf(
        t,
        result,
        groups.reduce((n, g) => n + g.sessions, 0),
      ),
    );
    const record: PassRecord = {
      t,
      actions: result.results.map(briefAction),
      events: eventLines,
      warnings: result.warnings,
    };
    passes.push(record);
    o.onPass?.(record, k, total);

    // Through the step: boots finish, agents register, Kasm places sessions.
    // Sessions arrive and leave at the trace's own times, between passes as in real life.
    for (let s = TICK_SEC; s <= stepSec; s += TICK_SEC) {
      // Let the event loop run between ticks, so Ctrl-C and SIGTERM are handled promptly
      // even when a tick has thousands of sessions to place.
      await new Promise<void>((resolve) => setImmediate(resolve));
      countInstanceTime(TICK_SEC * 1000);
      world.advance(TICK_SEC * 1000);
      groups = demandAt(o.steps, t + s);
      if (groups !== current) setDemand((current = groups));
      preemptNow(t + s, TICK_SEC / 60);
      place();
    }
    if (stepSec % TICK_SEC) world.advance((stepSec % TICK_SEC) * 1000);
  }

  const end = world.now();
  const all = [...done, ...[...live.values()].flat()];
  const waitOf = (s: Tracked) => (s.assigned ?? s.gaveUp ?? end) - s.added;
  const actions = passes.flatMap((p) => p.actions);
  const launches = actions.filter((a) => a.kind === 'launch' && a.status === 'done');
  const launchesByZone: Record<string, number> = {};
  for (const a of launches) launchesByZone[a.zone ?? '?'] = (launchesByZone[a.zone ?? '?'] ?? 0) + 1;
  return {
    start: new Date(dayStart).toISOString(),
    stepSec,
    fromSec,
    toSec,
    pools: poolNames,
    samples,
    passes,
    totals: {
      passes: passes.length,
      sessions: all.length,
      instanceHours: Math.round((instanceMs / 3_600_000) * 100) / 100,
      longestWaitSec: Math.round(Math.max(0, ...all.map(waitOf)) / 1000),
      sessionsServed: all.filter((s) => s.assigned !== undefined).length,
      sessionsWaited: all.filter((s) => waitOf(s) > 0).length,
      stillWaiting: [...live.values()].flat().filter((s) => s.assigned === undefined).length,
      launches: launches.length,
      terminations: actions.filter((a) => a.kind === 'terminate' && a.status === 'done').length,
      failures: actions.filter((a) => a.status === 'failed').length,
      launchesMoved: launches.filter((a) => (a.zonesTried?.length ?? 0) > 0).length,
      launchesByZone,
      ...costOf(instanceMsByProvider),
      preemptions,
      sessionsLostToPreemption: sessionsLost,
    },
    warnings: [...warnings],
    notes: [...notes],
    oversized: oversizedWarnings(oversized),
  };

  function costOf(byProvider: Map<string, number>) {
    const hours: Record<string, number> = {};
    const cost: Money = {};
    let unpriced = 0;
    for (const [name, ms] of [...byProvider].sort(([a], [b]) => a.localeCompare(b))) {
      const h = ms / 3_600_000;
      hours[name] = Math.round(h * 100) / 100;
      const p = world.config.providers.find((x) => x.vm_provider_config_name === name);
      if (p?.price)
        addMoney(cost, p.price.currency, h * hourlyRate(p.price, world.shapes.get(name)?.gpus ?? 0));
      else unpriced += h;
    }
    return {
      instanceHoursByProvider: hours,
      cost: roundMoney(cost),
      unpricedInstanceHours: Math.round(unpriced * 100) / 100,
    };
  }

  function sampleOf(t: number, r: PassResult, demand: number): Sample {
    const pools: Record<string, PoolSample> = {};
    const sum: Sample = {
      t,
      demand,
      agents: 0,
      instances: {},
      sessionsRunning: 0,
      sessionsWaiting: 0,
      freeCores: 0,
      freeMemoryMb: 0,
      freeGpus: 0,
      standbyCores: 0,
      standbyMemoryMb: 0,
      standbyGpus: 0,
      pools,
    };
    for (const pp of r.plan.pools) {
      const f = pp.figures;
      if (!f) continue;
      pools[pp.pool] = {
        agents: f.agents.running,
        instances: { ...f.instances },
        sessionsRunning: f.sessions.active,
        sessionsWaiting: f.sessions.waiting,
        free: { ...f.freeRegistered },
        standby: { ...f.standby },
      };
      sum.agents += f.agents.running;
      for (const [state, n] of Object.entries(f.instances))
        sum.instances[state] = (sum.instances[state] ?? 0) + n;
      sum.sessionsRunning += f.sessions.active;
      sum.sessionsWaiting += f.sessions.waiting;
      sum.freeCores += f.freeRegistered.cores;
      sum.freeMemoryMb += f.freeRegistered.memoryMb;
      sum.freeGpus += f.freeRegistered.gpus;
      sum.standbyCores += f.standby.cores;
      sum.standbyMemoryMb += f.standby.memoryMb;
      sum.standbyGpus += f.standby.gpus;
    }
    return sum;
  }
}

function briefAction(r: ActionResult): PassAction {
  return {
    pool: r.action.pool,
    kind: r.action.kind,
    status: r.status,
    reason: r.action.reason,
    ...(r.zone ? { zone: r.zone } : {}),
    ...(r.zonesTried?.length ? { zonesTried: [...r.zonesTried] } : {}),
    ...(r.chainMoved && r.provider ? { fellTo: r.provider } : {}),
    ...(r.error ? { error: r.error.class } : {}),
  };
}

/** Per pool: in how many passes waiting sessions were too big for its agents, and at most how many. */
function noteOversized(
  seen: Map<string, { passes: number; most: number; note: string }>,
  r: PassResult,
): void {
  for (const pp of r.plan.pools) {
    const n = pp.figures?.oversizedSessions ?? 0;
    if (!n) continue;
    const prev = seen.get(pp.pool);
    const note = pp.notes.find((x) => x.includes('need more than one agent')) ?? '';
    seen.set(pp.pool, {
      passes: (prev?.passes ?? 0) + 1,
      most: Math.max(prev?.most ?? 0, n),
      note: prev?.note || note,
    });
  }
}

/** One warning per pool whose waiting sessions never fit one of its agents (they launch nothing). */
function oversizedWarnings(seen: Map<string, { passes: number; most: number; note: string }>): string[] {
  return [...seen].map(([pool, o]) => {
    const eg = /\(e\.g\. ([^)]*)\)/.exec(o.note)?.[1];
    return `pool ${pool}: up to ${o.most} waiting session(s) larger than one of its agents${eg ? ` (${eg})` : ''} in ${o.passes} pass(es); they were never placed and drove no launches`;
  });
}
