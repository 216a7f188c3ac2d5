/**
 * One reconcile pass: lock → state → observe → plan → apply → state → unlock. Returns
 * plain data for the report; prints nothing itself except progress and warnings.
 */
import { performance } from 'node:perf_hooks';
import { InputError } from '../core/errors.js';
import type { Output } from '../core/output.js';
import type { AdapterOptions } from '../clouds/index.js';
import { ownershipIdOf } from '../clouds/ownership.js';
import type { AutoscaleConfig, KasmScaleConfig } from '../config/types.js';
import { acquireLease } from '../lease/registry.js';
import type { LeaseOptions } from '../lease/types.js';
import { applyPlan, plannedResults, type ActionResult } from './apply.js';
import { decide } from './decide.js';
import { afterApply, readIntents, withPlannedLaunches, writeIntents } from './intents.js';
import { nextPoolMemory, type ScalingState } from './memory.js';
import { observe } from './observe.js';
import { readState, writeState } from './state.js';
import type { DemandSnapshot, Plan } from './types.js';

export interface PassOptions {
  config: KasmScaleConfig;
  /** Passed to every adapter (simulations share SDK clients across passes). */
  adapterOptions?: AdapterOptions;
  /** --autoscale NAME... (empty: every enabled pool). */
  only?: string[];
  dryRun: boolean;
  demandFile?: string;
  stateDir: string;
  concurrency: number;
  /** The pass's time (the CLI passes the wall clock, or KASM_SCALE_NOW for simulations). */
  now: Date;
  /** kasm.manager_token, for the startup script's `{manager_token}`. */
  managerToken?: string;
  /** Act on pools that Kasm's own autoscaler also scales (see coexistence.ts). */
  allowKasmAutoscaler?: boolean;
  /** --keep-orphans: list orphans, never reap them. */
  keepOrphans?: boolean;
  /** Lease clock, timer and in-cluster paths (tests, KASM_SCALE_NOW); the config says which lease. */
  lease?: Pick<LeaseOptions, 'clock' | 'every' | 'serviceAccountPrefix'>;
  out: Output;
}

export interface PassResult {
  plan: Plan;
  results: ActionResult[];
  dryRun: boolean;
  stateStatus: 'ok' | 'missing' | 'corrupt';
  warnings: string[];
  durationMs: number;
  /** ISO time of the last pass that ended without failures (this one included). */
  lastSuccessAt?: string;
  /** Pools this pass had to skip before planning (shown as failed pools). */
  poolResults: Record<string, 'ok' | 'partial' | 'failed'>;
  /** Set when the state file could not be saved after acting (a warning; exit 3). */
  stateNotSaved?: boolean;
  /** Why the pass lease was lost while it ran: it stopped acting then (exit 4). */
  leaseLost?: string;
}

export function selectPools(config: KasmScaleConfig, only: string[] = []): AutoscaleConfig[] {
  for (const name of only) {
    if (!config.autoscale.some((a) => a.autoscale_config_name === name)) {
      const known = config.autoscale.map((a) => a.autoscale_config_name).join(', ') || 'none';
      throw new InputError(`--autoscale ${name}: no autoscale config of that name in ${config.file}`, {
        hint: `known: ${known}`,
      });
    }
  }
  const pools = config.autoscale.filter(
    (a) => a.enabled && (only.length === 0 || only.includes(a.autoscale_config_name)),
  );
  // A zone is scaled by at most one config: two would fight over the same agents.
  const byZone = new Map<string, string>();
  for (const a of config.autoscale.filter((x) => x.enabled)) {
    const other = byZone.get(a.zone_name);
    if (other)
      throw new InputError(
        `autoscale configs ${other} and ${a.autoscale_config_name} both scale Kasm zone "${a.zone_name}" in ${config.file}`,
        { hint: 'a zone is scaled by one config; disable or re-zone one of them' },
      );
    byZone.set(a.zone_name, a.autoscale_config_name);
  }
  return pools;
}

export async function runPass(opts: PassOptions): Promise<PassResult> {
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    opts.out.warn(line);
  };
  const pools = selectPools(opts.config, opts.only);
  // A dry run changes nothing, so it neither waits for nor blocks a real pass.
  const lock = opts.dryRun
    ? undefined
    : await acquireLease(opts.config, { ...opts.lease, warn, stateDir: opts.stateDir });
  try {
    const loaded = await readState(opts.stateDir, { now: opts.now });
    if (loaded.note) warn(`${loaded.note}; this pass removes no idle agents`);
    const stored = await readIntents(opts.stateDir);
    if (stored.note) warn(stored.note);
    const ownershipId = ownershipIdOf(opts.config);
    // Orphans are looked for on every provider in the file (one whose pools all left the
    // file included), unless the pass is limited to some pools.
    const orphanScan = !opts.only?.length;
    const obs = await observe({
      config: opts.config,
      pools,
      demandFile: opts.demandFile,
      concurrency: opts.concurrency,
      kasmAutoscalers: true,
      ...(orphanScan ? { alsoProviders: opts.config.providers.map((p) => p.vm_provider_config_name) } : {}),
      ...(opts.adapterOptions ? { adapterOptions: opts.adapterOptions } : {}),
    });
    const off = opts.keepOrphans
      ? 'orphan reaping is off (--keep-orphans)'
      : !orphanScan
        ? 'orphans are not reaped in a pass limited by --autoscale'
        : undefined;
    const {
      plan: decided,
      coexist,
      openIntents: intents,
    } = decide({
      config: opts.config,
      pools,
      obs,
      memory: loaded.state,
      intents: stored.intents,
      ...(loaded.status === 'corrupt' ? { careful: 'the state file was corrupt (careful pass)' } : {}),
      ...(off ? { orphansOff: off } : {}),
      kasmWritable: !opts.demandFile,
      allowKasmAutoscaler: Boolean(opts.allowKasmAutoscaler),
      now: opts.now,
    });
    for (const w of coexist.warnings) warn(w);
    let results: ActionResult[];
    let state: ScalingState = loaded.state;
    if (opts.dryRun) {
      results = plannedResults(decided);
    } else {
      const total = decided.pools.reduce((n, p) => n + p.actions.length, 0) + decided.orphans.actions.length;
      // Every launch is on disk, with its key, before it is sent (intents.ts).
      const launches = decided.pools.flatMap((p) => p.actions.filter((a) => a.kind === 'launch'));
      let recorded = withPlannedLaunches(intents, launches, opts.now);
      let onDisk = stored.intents.length > 0;
      const saveIntents = async (when: string) => {
        if (recorded.length === 0 && !onDisk) return;
        try {
          await writeIntents(opts.stateDir, recorded);
          onDisk = recorded.length > 0;
        } catch (err) {
          warn(
            `could not record launch intents ${when} in ${opts.stateDir}: ${(err as Error).message}; a pass stopped now could launch twice`,
          );
        }
      };
      await saveIntents('before launching');
      const progress =
        total > 0 ? opts.out.progress(`reconcile: ${total} action(s) to carry out`) : undefined;
      const kasm =
        !opts.demandFile && opts.config.kasm
          ? (await import('../kasm/client.js')).createKasmClient(opts.config.kasm)
          : undefined;
      const applied = await applyPlan(decided, {
        adapters: obs.adapters,
        state,
        now: opts.now,
        concurrency: opts.concurrency,
        ...(kasm ? { kasm } : {}),
        ...(ownershipId ? { ownerId: ownershipId } : {}),
        scriptTokens: (poolName, providerName) => scriptTokens(opts, poolName, providerName, obs.demand),
        onProgress: (done, all, r) =>
          progress?.update(`reconcile: ${done}/${all} ${r.action.kind} ${r.status}`),
        ...(lock ? { lease: lock } : {}),
      });
      progress?.stop();
      results = applied.results;
      state = applied.state;
      recorded = afterApply(recorded, results);
      await saveIntents('after launching');
      for (const w of applied.warnings) warn(w);
    }
    await Promise.all([...obs.adapters.values()].map((a) => a.close?.().catch(() => {})));

    const leaseLost = lock?.lostReason();
    if (leaseLost) warn(`${leaseLost}; this pass stopped acting`);
    const poolResults = poolOutcome(decided, results);
    let stateNotSaved = false;
    if (!opts.dryRun) {
      state = nextState(state, decided, results, poolResults, opts.now);
      try {
        await writeState(opts.stateDir, state);
      } catch (err) {
        // The pass acted: its report must still come out. Losing pool memory makes the next
        // pass more careful, never unsafe (memory.ts).
        warn(
          `could not save the state file in ${opts.stateDir}: ${(err as Error).message}; the next pass starts without this pass's memory`,
        );
        stateNotSaved = true;
      }
    }
    return {
      plan: decided,
      results,
      dryRun: opts.dryRun,
      stateStatus: loaded.status,
      warnings,
      durationMs: performance.now() - started,
      ...(state.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
      poolResults,
      ...(stateNotSaved ? { stateNotSaved } : {}),
      ...(leaseLost ? { leaseLost } : {}),
    };
  } finally {
    await lock?.release();
  }
}

function poolOutcome(p: Plan, results: ActionResult[]): Record<string, 'ok' | 'partial' | 'failed'> {
  const out: Record<string, 'ok' | 'partial' | 'failed'> = {};
  for (const pp of p.pools) {
    const mine = results.filter((r) => r.action.pool === pp.pool);
    const failed = mine.filter((r) => r.status === 'failed').length;
    const ok = mine.length - failed;
    out[pp.pool] = pp.error ? 'failed' : failed === 0 ? 'ok' : ok > 0 ? 'partial' : 'failed';
  }
  return out;
}

function nextState(
  state: ScalingState,
  p: Plan,
  results: ActionResult[],
  poolResults: Record<string, 'ok' | 'partial' | 'failed'>,
  now: Date,
): ScalingState {
  const pools = { ...state.pools };
  for (const pp of p.pools) {
    const launched = results
      .filter((r) => r.action.pool === pp.pool && r.action.kind === 'launch' && r.status === 'done')
      .map((r) => (r.action as { serverId: string }).serverId);
    pools[pp.pool] = nextPoolMemory(state.pools[pp.pool], {
      now,
      outcomes: pp.outcomes,
      launched,
      lastLaunchSeenAt: pp.lastLaunchSeenAt,
      unhealthySince: pp.unhealthySince,
      agentProviders: pp.agentProviders,
      result: poolResults[pp.pool],
    });
  }
  const allOk = p.kasmUsable && Object.values(poolResults).every((r) => r === 'ok');
  return { ...state, pools, ...(allOk ? { lastSuccessAt: now.toISOString() } : {}) };
}

/** The startup-script tokens a kasm-scale launch fills (LAUNCH_TOKENS), except server_id which the adapter sets. */
function scriptTokens(
  opts: PassOptions,
  poolName: string,
  providerName: string,
  demand: DemandSnapshot | undefined,
): Record<string, string> {
  const pool = opts.config.autoscale.find((a) => a.autoscale_config_name === poolName);
  // The provider the launch goes to (a chain may mix clouds).
  const provider = opts.config.providers.find((p) => p.vm_provider_config_name === providerName);
  const zone = demand?.zones.find((z) => z.zone_name === pool?.zone_name);
  return {
    provider_name: provider?.vm_provider_name ?? '',
    // validate refuses {manager_token} without kasm.manager_token on a provider launched here.
    manager_token: opts.managerToken ?? '',
    upstream_auth_address: String(zone?.upstream_auth_address ?? ''),
    // No other Kasm token (server_hostname, ...): validate refuses them in scripts launched here,
    // and filling the script throws on any token it is not given.
  };
}
