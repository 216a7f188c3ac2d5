/** The `status --json` document: one object, snake_case, pools' `observed` shaped as reconcile's. */
import { observedJson, orphanJson } from '../report/json.js';
import { scheduleJson } from '../report/schedule.js';
import type { StatusReport } from './collect.js';

export function statusJson(r: StatusReport): Record<string, unknown> {
  return {
    version: 1,
    now: r.now,
    state_dir: r.stateDir,
    state_file: r.state.status,
    state_note: r.state.note ?? null,
    last_success_at: r.lastSuccessAt ?? null,
    kasm: {
      configured: r.kasm.configured,
      reachable: r.kasm.reachable,
      usable: r.kasm.usable,
      reason: r.kasm.reason ?? null,
    },
    pools: r.pools.map((p) => {
      const observed = p.figures ? observedJson(p.figures) : null;
      // Without a usable Kasm these figures are not known: null, never a misleading 0.
      if (observed && !r.kasm.usable)
        for (const k of [
          'agents',
          'sessions',
          'free',
          'free_registered',
          'pending',
          'waiting',
          'oversized_sessions',
        ])
          observed[k] = null;
      return {
        pool: p.pool,
        provider: p.provider,
        providers: p.providers,
        chain_moves: p.chainMoves,
        instances: p.instances,
        zone: p.zone,
        error: p.error ? { class: p.error.kind, message: p.error.message } : null,
        observed,
        backoff: p.backoff.map((b) => ({
          provider: b.provider,
          zone: b.zone,
          until: b.until,
          delay_sec: b.delaySec,
          failures: b.failures,
          last_error: b.lastError ?? null,
        })),
        last_pass: p.lastPass ?? null,
        last_launch_at: p.lastLaunchAt ?? null,
        launches_stopped: p.breaker
          ? {
              failed: p.breaker.failed,
              resolved: p.breaker.resolved,
              trial_at: p.breaker.trialAt?.toISOString() ?? null,
            }
          : null,
        schedule: scheduleJson(p.schedule),
        cost_per_hour: p.costPerHour
          ? {
              amount: p.costPerHour.amount,
              currency: p.costPerHour.currency,
              instances: p.costPerHour.instances,
            }
          : null,
        next_pass: p.error ? null : { launch: p.next.launch, terminate: p.next.terminate },
        notes: p.notes,
      };
    }),
    orphans: r.orphans.map(orphanJson),
    notes: r.notes,
  };
}
