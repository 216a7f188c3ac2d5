/** The `--json` document of a reconcile pass: one object, stable keys, snake_case. */
import type { ActionResult } from '../scaling/apply.js';
import type { PassResult } from '../scaling/reconcile.js';
import type { OrphanInstance, PoolFigures, Resources } from '../scaling/types.js';
import { scheduleJson } from './schedule.js';
import type { Summary } from './summary.js';

const res = (r: Resources | undefined) =>
  r ? { cores: r.cores, memory_mb: Math.round(r.memoryMb), gpus: r.gpus } : null;

export function reconcileJson(r: PassResult, s: Summary): Record<string, unknown> {
  return {
    version: 1,
    now: r.plan.now,
    dry_run: r.dryRun,
    kasm: { usable: r.plan.kasmUsable, reason: r.plan.kasmReason ?? null },
    state_file: r.stateStatus,
    pools: r.plan.pools.map((p) => {
      const f = p.figures;
      return {
        pool: p.pool,
        provider: p.provider,
        providers: p.providers,
        chain_moves: p.chainMoves ?? [],
        zone: p.zone,
        result: r.poolResults[p.pool] ?? 'ok',
        error: p.error ? { class: p.error.kind, message: p.error.message } : null,
        observed: f ? observedJson(f) : null,
        schedule: scheduleJson(p.schedule),
        actions: r.results.filter((x) => x.action.pool === p.pool).map(actionJson),
        tag_updates: p.tagUpdates.length,
        preempted: p.preempted
          ? { agents: p.preempted.agents, sessions_lost: p.preempted.sessionsLost }
          : null,
        notes: p.notes,
      };
    }),
    orphans: {
      instances: r.plan.orphans.instances.map(orphanJson),
      actions: r.results.filter((x) => r.plan.orphans.actions.includes(x.action)).map(actionJson),
      notes: r.plan.orphans.notes,
    },
    notes: r.plan.notes,
    warnings: r.warnings,
    summary: {
      to_launch: s.toLaunch,
      to_terminate: s.toTerminate,
      launched: s.launched,
      terminated: s.terminated,
      failed: s.failed,
      failed_pools: s.failedPools,
      preempted: s.preempted,
      sessions_lost_to_preemption: s.sessionsLostToPreemption,
      exit_code: s.exitCode,
      duration_ms: Math.round(r.durationMs),
      last_success_at: r.lastSuccessAt ?? null,
    },
  };
}

/** A pool's observed figures as JSON (snake_case); shared with `status`. */
export function observedJson(f: PoolFigures): Record<string, unknown> {
  return {
    agents: f.agents,
    sessions: f.sessions,
    free: res(f.free),
    free_registered: res(f.freeRegistered),
    pending: res(f.pending),
    standby: res(f.standby),
    waiting: res(f.waiting),
    oversized_sessions: f.oversizedSessions ?? 0,
    agent_size: res(f.agentSize),
    instances: f.instances,
    provider_instances: f.providerInstances,
    max_instances: f.maxInstances,
    ...(f.chain
      ? {
          chain: f.chain.map((c) => ({
            provider: c.provider,
            instances: c.instances,
            provider_instances: c.providerInstances,
            max_instances: c.maxInstances,
          })),
        }
      : {}),
  };
}

export function actionJson(x: ActionResult): Record<string, unknown> {
  return {
    kind: x.action.kind,
    cause: x.action.cause,
    reason: x.action.reason,
    status: x.status,
    // Where it ran (a launch that fell through its chain: the provider it landed on).
    provider: x.provider ?? x.action.provider,
    chain_moved: x.chainMoved ?? null,
    server_id:
      x.action.kind === 'launch' || x.action.kind === 'deregister'
        ? x.action.serverId
        : x.action.instance.serverId,
    instance_id: x.instanceId ?? ('instance' in x.action ? x.action.instance.id : null),
    instance_name: 'instance' in x.action ? x.action.instance.name : null,
    zone:
      x.zone ??
      ('instance' in x.action
        ? x.action.instance.zone
        : x.action.kind === 'launch'
          ? (x.action.zones[0] ?? null)
          : null),
    zones_tried: x.zonesTried ?? [],
    idempotency_key: x.action.kind === 'launch' ? x.action.idempotencyKey : null,
    drain: x.action.kind === 'terminate' ? x.action.drain : null,
    steps: x.steps ?? [],
    note: x.note ?? null,
    error: x.error ?? null,
    request_id: x.requestId ?? null,
  };
}

/** One orphan as reconcile's and status's JSON show it. */
export function orphanJson(o: OrphanInstance) {
  return {
    provider: o.provider,
    instance_id: o.instance.id,
    instance_name: o.instance.name,
    server_id: o.instance.serverId,
    pool_label: o.poolLabel,
    since: o.since,
    state: o.instance.state,
    agent_status: o.agentStatus ?? null,
    sessions: o.sessions,
  };
}
