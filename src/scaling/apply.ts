/**
 * apply(): carries out a plan. Launches and terminations run concurrently under one bound;
 * pools are independent (a failure in one never stops another). Per launch, the zones are
 * tried in plan order: a capacity or quota error puts that provider + zone into backoff and
 * the launch moves to the next zone in the same pass (OCI ADs); an auth error stops the
 * pool's remaining actions with one clear message. A registered agent is drained before
 * its instance goes (drain.ts). Tag updates (idle-since, registered) follow; their
 * failures are warnings (they only delay a scale-down).
 */
import pLimit from 'p-limit';
import { CliError, oneLine } from '../core/errors.js';
import { CloudError, type CloudAdapter } from '../clouds/types.js';
import type { KasmAgentsApi } from '../kasm/types.js';
import {
  beginDrain,
  deregister,
  finishDrain,
  reEnable,
  sessionsPerAgent,
  terminateInstance,
  type DrainOutcome,
  type DrainStepName as DrainStep,
} from './drain.js';
import { backoffKey, withCapacityFailure, withZoneSuccess, type ScalingState } from './memory.js';
import { zoneIdempotencyKey } from './launch-ids.js';
import type { Action, ActionResult, LaunchAction, LaunchTarget, Plan, TerminateAction } from './types.js';

export type { ActionResult, ActionStatus } from './types.js';

export interface ApplyOptions {
  adapters: Map<string, CloudAdapter>;
  state: ScalingState;
  now: Date;
  concurrency: number;
  /** Startup-script tokens for a pool's launches (everything but server_id). */
  scriptTokens: (pool: string, provider: string) => Record<string, string>;
  /** Kasm's agent calls for draining; undefined (a --demand snapshot): drains fail as data. */
  kasm?: KasmAgentsApi;
  /** This installation's ownership id, tagged on launched instances. */
  ownerId?: string;
  onProgress?: (done: number, total: number, last: ActionResult) => void;
  /**
   * The pass lease (src/lease): confirmed (renewed, one round trip) before each batch of
   * actions, and looked at before each action. Once it is lost, nothing more is started:
   * another runner may be acting on the same pools.
   */
  lease?: { lostReason(): string | undefined; confirm(): Promise<string | undefined> };
}

export interface ApplyResult {
  results: ActionResult[];
  state: ScalingState;
  warnings: string[];
}

const CAPACITY = new Set(['capacity', 'quota']);

export function plannedResults(plan: Plan): ActionResult[] {
  return [...plan.pools.flatMap((p) => p.actions), ...(plan.orphans?.actions ?? [])].map((action) => ({
    action,
    status: 'planned' as const,
  }));
}

export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  let state = opts.state;
  const warnings: string[] = [];
  /** Pools stopped by an auth error: pool → message. */
  const stopped = new Map<string, string>();
  /** provider|zone that answered capacity/quota in this pass: later launches skip them. */
  const fullThisPass = new Set<string>();
  const all = [...plan.pools.flatMap((p) => p.actions), ...(plan.orphans?.actions ?? [])];
  let done = 0;

  const leaseLost = (action: Action): ActionResult | undefined => {
    const lost = opts.lease?.lostReason();
    return lost
      ? { action, status: 'failed', error: { class: 'lease_lost', message: `not tried: ${lost}` } }
      : undefined;
  };
  /** The adapter to act through, or why the action is not tried (the lease was lost, its pool was stopped). */
  const adapterFor = (action: Action): CloudAdapter | ActionResult => {
    const noLease = leaseLost(action);
    if (noLease) return noLease;
    const stop = stopped.get(action.pool);
    if (stop)
      return { action, status: 'failed', error: { class: 'auth_stopped', message: `not tried: ${stop}` } };
    return (
      opts.adapters.get(action.provider) ?? {
        action,
        status: 'failed',
        error: { class: 'unknown', message: `no adapter for provider ${action.provider}` },
      }
    );
  };
  /** An auth error stops the pool's remaining actions. */
  const noted = (action: Action, r: ActionResult): ActionResult => {
    if (r.error?.class === 'auth' && !stopped.has(action.pool))
      stopped.set(action.pool, `${action.provider} refused our credentials (${r.error.message})`);
    return r;
  };
  const run = async (action: Action): Promise<ActionResult> => {
    const adapter = adapterFor(action);
    if (!isAdapter(adapter)) return adapter;
    return noted(
      action,
      action.kind === 'launch' ? await launch(adapter, action) : await agentAction(adapter, action),
    );
  };

  /** Launches each provider can still take this pass beyond the plan's own (fallbacks use it). */
  const spare = { ...(plan.spare ?? {}) };

  /**
   * One launch down its chain: every zone of its provider in order, then (when all of them
   * answered capacity/quota) each fallback provider that has room left, in the same pass.
   */
  const launch = async (adapter: CloudAdapter, a: LaunchAction): Promise<ActionResult> => {
    const moved: string[] = [];
    let last: { err: CloudError; tried: string[] } | undefined;
    const targets = [{ provider: a.provider, zones: a.zones }, ...(a.fallbacks ?? [])];
    for (const [ix, t] of targets.entries()) {
      const fallback = ix > 0;
      const ad = fallback ? opts.adapters.get(t.provider) : adapter;
      if (!ad) {
        moved.push(`${t.provider}: not observed this pass`);
        continue;
      }
      if (fallback && (spare[t.provider] ?? 0) <= 0) {
        moved.push(`${t.provider}: no room left under max_instances this pass`);
        continue;
      }
      if (fallback) spare[t.provider]--;
      const r = await launchOn(ad, a, t, fallback);
      if (r.status === 'done') {
        const chainMoved = moved.length ? `${moved.join('; ')}; launched on ${t.provider}` : undefined;
        return { ...r, ...(fallback ? { provider: t.provider } : {}), ...(chainMoved ? { chainMoved } : {}) };
      }
      if (fallback) spare[t.provider]++;
      if (!r.full) return r;
      last = r.full;
      const until = t.zones.map((z) => state.backoff[backoffKey(t.provider, z)]?.until).sort()[0];
      moved.push(
        `${t.provider}: ${r.full.tried.length ? `${r.full.err.kind} in ${r.full.tried.join(', ')}` : 'every zone full earlier in this pass'}${until ? `, backoff until ${until}` : ''}`,
      );
    }
    if (last && last.tried.length)
      return {
        ...failure(a, last.err, last.tried),
        error: {
          class: last.err.kind,
          message:
            targets.length > 1
              ? `no provider of the chain could launch: ${moved.join('; ')}`
              : `no ${last.err.kind} in ${last.tried.join(', ')}: ${last.err.message}`,
        },
      };
    return {
      action: a,
      status: 'failed',
      error: {
        class: 'capacity',
        message:
          targets.length > 1
            ? `no provider of the chain could launch: ${moved.join('; ')}`
            : `every zone of ${a.provider} answered capacity/quota errors earlier in this pass`,
      },
    };
  };

  /** The zones of one provider in order; `full` when every one answered capacity/quota. */
  const launchOn = async (
    adapter: CloudAdapter,
    a: LaunchAction,
    t: LaunchTarget,
    fallback: boolean,
  ): Promise<ActionResult & { full?: { err: CloudError; tried: string[] } }> => {
    const tried: string[] = [];
    let last: CloudError | undefined;
    for (const zone of t.zones) {
      if (fullThisPass.has(`${t.provider}|${zone}`)) continue;
      try {
        const res = await adapter.launch({
          autoscaleConfigName: a.pool,
          serverId: a.serverId,
          zone,
          // A fallback provider is another request body: its own key (the same on every runner).
          idempotencyKey: zoneIdempotencyKey(a.idempotencyKey, fallback ? `${t.provider}\n${zone}` : zone),
          scriptTokens: opts.scriptTokens(a.pool, t.provider),
          ...(opts.ownerId ? { ownerId: opts.ownerId } : {}),
        });
        state = withZoneSuccess(state, t.provider, zone);
        return {
          action: a,
          status: 'done',
          zone,
          instanceId: res.instance.id,
          ...(res.requestId ? { requestId: res.requestId } : {}),
          ...(tried.length ? { zonesTried: tried } : {}),
        };
      } catch (err) {
        if (err instanceof CloudError && CAPACITY.has(err.kind)) {
          tried.push(zone);
          // Concurrent launches may meet the same full zone: one backoff step per pass.
          if (!fullThisPass.has(`${t.provider}|${zone}`))
            state = withCapacityFailure(state, t.provider, zone, opts.now, err.message);
          fullThisPass.add(`${t.provider}|${zone}`);
          last = err;
          continue;
        }
        return failure(a, err, tried);
      }
    }
    return {
      action: a,
      status: 'failed',
      full: {
        err:
          last ??
          new CloudError({ kind: 'capacity', cloud: adapter.kind, message: 'full earlier in this pass' }),
        tried,
      },
    };
  };

  const terminate = async (adapter: CloudAdapter, a: TerminateAction): Promise<ActionResult> => {
    try {
      const res = await terminateInstance(adapter, a);
      return {
        action: a,
        status: 'done',
        instanceId: a.instance.id,
        ...(res.requestId ? { requestId: res.requestId } : {}),
      };
    } catch (err) {
      return failure(a, err, []);
    }
  };

  /** Re-enables and deregistrations go through Kasm; drains are run in two phases below. */
  const agentAction = async (
    adapter: CloudAdapter,
    a: Exclude<Action, LaunchAction>,
  ): Promise<ActionResult> => {
    if (a.kind === 'terminate') return terminate(adapter, a);
    if (!opts.kasm)
      return {
        action: a,
        status: 'failed',
        error: { class: 'kasm', message: 'no Kasm API to drain through (demand was read from a snapshot)' },
      };
    return agentResult(
      a,
      a.kind === 'enable' ? await reEnable(a, adapter, opts.kasm) : await deregister(a, opts.kasm),
    );
  };

  const results: ActionResult[] = new Array(all.length);
  const finish = (i: number, r: ActionResult) => {
    results[i] = r;
    opts.onProgress?.(++done, all.length, r);
  };
  const kasm = opts.kasm;
  const isDrain = (a: Action): a is TerminateAction => a.kind === 'terminate' && a.drain === true;
  const drains = all.flatMap((a, i) => (isDrain(a) ? [i] : []));
  // Drains first, in two phases: every agent is disabled before the one session read that
  // step 2 needs (a get_kasms is tens of MB at scale), then each finishes on that read.
  const begun = new Map<number, { adapter: CloudAdapter; steps: DrainStep[] }>();
  if (all.length > 0) await opts.lease?.confirm();
  const phaseA = drains.map((i) =>
    limit(async () => {
      const a = all[i] as TerminateAction;
      if (!kasm)
        return finish(i, {
          action: a,
          status: 'failed',
          error: { class: 'kasm', message: 'no Kasm API to drain through (demand was read from a snapshot)' },
        });
      const adapter = adapterFor(a);
      if (!isAdapter(adapter)) return finish(i, adapter);
      const b = await beginDrain(a, adapter, kasm, opts.now);
      if (b.failed) return finish(i, noted(a, agentResult(a, b.failed)));
      begun.set(i, { adapter, steps: b.steps });
    }),
  );
  const others = all.flatMap((a, i) => (isDrain(a) ? [] : [limit(async () => finish(i, await run(a)))]));
  await Promise.all(phaseA);
  let sessions: Map<string, number> | { error: unknown } = new Map();
  if (begun.size > 0 && kasm) sessions = await sessionsPerAgent(kasm).catch((error: unknown) => ({ error }));
  if (begun.size > 0) await opts.lease?.confirm();
  const phaseB = [...begun].map(([i, b]) =>
    limit(async () => {
      const a = all[i] as TerminateAction;
      // A drain begun (agent disabled, drain tag set) is finished or undone by the next pass (drain.ts).
      const noLease = leaseLost(a);
      if (noLease) return finish(i, { ...noLease, steps: b.steps });
      const out: DrainOutcome =
        sessions instanceof Map
          ? await finishDrain(a, b.adapter, kasm!, b.steps, sessions.get(a.instance.serverId) ?? 0)
          : { status: 'failed', steps: b.steps, error: sessions.error };
      finish(i, noted(a, agentResult(a, out)));
    }),
  );
  await Promise.all([...others, ...phaseB]);

  const tagJobs = [
    ...plan.pools.flatMap((p) => (stopped.has(p.pool) ? [] : p.tagUpdates)),
    ...(plan.orphans?.tagUpdates ?? []),
  ];
  if (tagJobs.length > 0 && (await opts.lease?.confirm())) return { results, state, warnings };
  await Promise.all(
    tagJobs.map((t) =>
      limit(async () => {
        const adapter = opts.adapters.get(t.provider);
        try {
          await adapter?.updateTags(t.instance, t.patch);
        } catch (err) {
          warnings.push(`could not tag ${t.instance.name} (${t.reason}): ${oneLine(err)}`);
        }
      }),
    ),
  );
  return { results, state, warnings };
}

function isAdapter(x: CloudAdapter | ActionResult): x is CloudAdapter {
  return !('status' in x && 'action' in x);
}

/** A drain, re-enable or deregistration outcome as the report's result. */
function agentResult(a: Exclude<Action, LaunchAction>, out: DrainOutcome): ActionResult {
  const instanceId = a.kind === 'deregister' ? undefined : a.instance.id;
  const base = {
    action: a,
    ...(instanceId ? { instanceId } : {}),
    ...(out.steps.length ? { steps: out.steps } : {}),
  };
  if (out.status === 'failed') return { ...failure(a, out.error, []), ...base, status: 'failed' };
  return {
    ...base,
    status: out.status,
    ...(out.note ? { note: out.note } : {}),
    ...(out.requestId ? { requestId: out.requestId } : {}),
  };
}

function failure(action: Action, err: unknown, tried: string[]): ActionResult {
  const ce = err instanceof CloudError ? err : undefined;
  return {
    action,
    status: 'failed',
    error: { class: ce?.kind ?? (err instanceof CliError ? 'kasm' : 'unknown'), message: oneLine(err) },
    ...(ce?.requestId ? { requestId: ce.requestId } : {}),
    ...(tried.length ? { zonesTried: tried } : {}),
  };
}
