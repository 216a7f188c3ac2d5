/**
 * What `kasm-scale status` shows, gathered READ-ONLY: no lock, no state write, no launch,
 * terminate or tag call. It runs reconcile's own observe() and plan() (plan is pure), so
 * the figures — instances by state, agents, sessions, free vs standby capacity — are the
 * very numbers the next pass would decide on, and adds the pool memory of the state file
 * (backoff windows, last pass, last launch, the never-registered breaker).
 * Parts that cannot be read (Kasm, a provider, the state file) are reported, not fatal.
 */
import type { KasmScaleConfig } from '../config/types.js';
import {
  activeBackoff,
  backoffKey,
  breakerStatus,
  emptyState,
  type BreakerStatus,
  type PoolMemory,
  type ScalingState,
} from '../scaling/memory.js';
import { decide } from '../scaling/decide.js';
import { readIntents } from '../scaling/intents.js';
import { observe } from '../scaling/observe.js';
import { selectPools } from '../scaling/reconcile.js';
import { readState } from '../scaling/state.js';
import { belongsTo } from '../clouds/ownership.js';
import type { ScheduleInfo } from '../scaling/schedule.js';
import type { ChainMove, OrphanInstance, PoolFigures } from '../scaling/types.js';
import { oneLine } from '../core/errors.js';
import { poolCostPerHour, pricesOf, type HourlyCost } from '../cost/running.js';

export interface BackoffWindow {
  provider: string;
  zone: string;
  until: string;
  delaySec: number;
  failures: number;
  lastError?: string;
}

export interface PoolStatus {
  pool: string;
  provider: string;
  /** The pool's providers in order of preference (a chain), and why it was passed over this pass. */
  providers: string[];
  chainMoves: ChainMove[];
  /** The pool's instances, each with the provider it runs on. */
  instances: Array<{ provider: string; name: string; id: string; zone: string; state: string }>;
  zone: string;
  /** The pool could not be observed (its cloud could not be listed, unknown Kasm zone, ...). */
  error?: { kind: string; message: string };
  /** plan()'s figures; agents, sessions and capacity are meaningful only when Kasm was usable. */
  figures?: PoolFigures;
  backoff: BackoffWindow[];
  lastPass?: PoolMemory['lastPass'];
  lastLaunchAt?: string;
  /** Set when the never-registered breaker has stopped launches for this pool. */
  breaker?: BreakerStatus;
  /** The schedule window in force, the next change and any pre-warm (pools with schedules only). */
  schedule?: ScheduleInfo;
  /** Running cost per hour of its billed instances; absent when its provider has no price. */
  costPerHour?: HourlyCost;
  /** What a pass run now would do (counts only; `reconcile --dry-run` shows the reasons). */
  next: { launch: number; terminate: number };
  notes: string[];
}

export interface StatusReport {
  now: string;
  stateDir: string;
  state: { status: 'ok' | 'missing' | 'corrupt' | 'unreadable'; note?: string };
  lastSuccessAt?: string;
  kasm: { configured: boolean; reachable: boolean; usable: boolean; reason?: string };
  pools: PoolStatus[];
  /** Our instances (ownership id) whose pool is no longer in the file; reaped by reconcile after orphan_grace. */
  orphans: OrphanInstance[];
  notes: string[];
}

export interface StatusOptions {
  config: KasmScaleConfig;
  only?: string[];
  stateDir: string;
  now: Date;
  concurrency: number;
}

export async function collectStatus(o: StatusOptions): Promise<StatusReport> {
  const pools = selectPools(o.config, o.only);
  const [loaded, stored, obs] = await Promise.all([
    readState(o.stateDir, { now: o.now, readOnly: true }).catch((err: unknown) => ({
      state: emptyState(),
      status: 'unreadable' as const,
      note: `state dir ${o.stateDir} cannot be read (${oneLine(err)})`,
    })),
    readIntents(o.stateDir).catch(() => ({ intents: [] })),
    observe({
      config: o.config,
      pools,
      concurrency: o.concurrency,
      kasmAutoscalers: true,
      ...(o.only?.length ? {} : { alsoProviders: o.config.providers.map((p) => p.vm_provider_config_name) }),
      ...(o.config.kasm ? {} : { skipDemand: `${o.config.file} has no kasm: section` }),
    }),
  ]);
  await Promise.all([...obs.adapters.values()].map((a) => a.close?.().catch(() => {})));
  // Exactly what the next pass would decide (decide.ts), without --allow-kasm-autoscaler.
  const { plan: decided, coexist } = decide({
    config: o.config,
    pools,
    obs,
    memory: loaded.state,
    intents: stored.intents,
    ...(o.only?.length ? { orphansOff: 'orphans are not reaped in a pass limited by --autoscale' } : {}),
    kasmWritable: true,
    allowKasmAutoscaler: false,
    now: o.now,
  });
  const state: ScalingState = loaded.state;
  const prices = pricesOf(o.config.providers);
  return {
    now: o.now.toISOString(),
    stateDir: o.stateDir,
    state: { status: loaded.status, ...(loaded.note ? { note: loaded.note } : {}) },
    ...(state.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
    kasm: {
      configured: Boolean(o.config.kasm),
      reachable: Boolean(obs.demand),
      usable: decided.kasmUsable,
      ...(decided.kasmReason ? { reason: decided.kasmReason } : {}),
    },
    pools: decided.pools.map((pp) => {
      const mem = state.pools[pp.pool];
      const breaker = breakerStatus(mem, o.now);
      const cost = pp.figures && poolCostPerHour(pp.figures, prices, pp.provider);
      return {
        pool: pp.pool,
        provider: pp.provider,
        providers: pp.providers,
        chainMoves: pp.chainMoves ?? [],
        instances: pp.providers.flatMap((pv) =>
          (obs.providers[pv]?.instances ?? [])
            .filter((i) => i.state !== 'terminated' && belongsTo(i, pp.pool))
            .map((i) => ({ provider: pv, name: i.name, id: i.id, zone: i.zone, state: i.state })),
        ),
        zone: pp.zone,
        // A pool Kasm's own autoscaler scales is not failing: status says why it is left alone.
        ...(pp.error && !coexist.blocked.has(pp.pool) ? { error: pp.error } : {}),
        ...(pp.figures ? { figures: pp.figures } : {}),
        backoff: pp.providers.flatMap((pv) => backoffWindows(state, pv, o.now)),
        ...(mem?.lastPass ? { lastPass: mem.lastPass } : {}),
        ...(mem?.lastLaunchAt ? { lastLaunchAt: mem.lastLaunchAt } : {}),
        ...(breaker.open ? { breaker } : {}),
        ...(pp.schedule ? { schedule: pp.schedule } : {}),
        ...(cost ? { costPerHour: cost } : {}),
        next: coexist.blocked.has(pp.pool)
          ? { launch: 0, terminate: 0 }
          : {
              launch: pp.actions.filter((a) => a.kind === 'launch').length,
              terminate: pp.actions.filter((a) => a.kind === 'terminate').length,
            },
        notes: coexist.blocked.has(pp.pool)
          ? [`reconcile leaves this pool alone: ${coexist.blocked.get(pp.pool)}`, ...pp.notes]
          : pp.notes,
      };
    }),
    orphans: decided.orphans.instances,
    // plan's own note on an unusable Kasm speaks of what a pass does; status says it its own way.
    notes: [
      ...decided.notes.filter((n) => !decided.kasmReason || !n.startsWith(decided.kasmReason)),
      ...coexist.warnings,
    ],
  };
}

/** Backoff windows in force for a provider (every zone the state file has, configured or not). */
function backoffWindows(state: ScalingState, provider: string, now: Date): BackoffWindow[] {
  const prefix = backoffKey(provider, '');
  return Object.keys(state.backoff)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .flatMap((zone) => {
      const e = activeBackoff(state, provider, zone, now);
      return e
        ? [
            {
              provider,
              zone,
              until: e.until,
              delaySec: e.delaySec,
              failures: e.failures,
              ...(e.lastError ? { lastError: e.lastError } : {}),
            },
          ]
        : [];
    })
    .sort((a, b) => a.zone.localeCompare(b.zone));
}
