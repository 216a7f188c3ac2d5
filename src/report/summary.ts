/** Counts of a pass and its exit code (README "Exit codes"; src/core/exit-codes.ts). */
import { ExitChangesPresent, ExitCode } from '../core/exit-codes.js';
import { KASM_AUTOSCALER } from '../scaling/coexistence.js';
import type { PassResult } from '../scaling/reconcile.js';

export interface Summary {
  toLaunch: number;
  toTerminate: number;
  /** Re-enables and deregistrations (the drain protocol's other actions). */
  toChangeAgents: number;
  launched: number;
  terminated: number;
  failed: number;
  failedPools: number;
  /** Spot instances preempted (first noticed this pass) and the sessions Kasm listed on them. */
  preempted: number;
  sessionsLostToPreemption: number;
  exitCode: number;
}

export function summarize(r: PassResult, opts: { detailedExitcode?: boolean } = {}): Summary {
  const actions = r.results.map((x) => x.action);
  const toLaunch = actions.filter((a) => a.kind === 'launch').length;
  const toTerminate = actions.filter((a) => a.kind === 'terminate').length;
  const toChangeAgents = actions.length - toLaunch - toTerminate;
  const done = r.results.filter((x) => x.status === 'done');
  const failed = r.results.filter((x) => x.status === 'failed').length;
  const failedPools = r.plan.pools.filter((p) => p.error).length;
  const anyFailure = failed > 0 || failedPools > 0 || !r.plan.kasmUsable;
  const poolsOk = r.plan.kasmUsable ? Object.values(r.poolResults).filter((x) => x === 'ok').length : 0;
  let exitCode: number = ExitCode.Ok;
  // A pool left alone because Kasm's own autoscaler scales it is a deliberate partial pass, not a failure.
  const leftToKasm = r.plan.pools.some((p) => p.error?.kind === KASM_AUTOSCALER);
  if (anyFailure)
    exitCode = done.length > 0 || poolsOk > 0 || leftToKasm ? ExitCode.Partial : ExitCode.Failed;
  else if (r.dryRun && opts.detailedExitcode && actions.length > 0) exitCode = ExitChangesPresent;
  else if (r.stateNotSaved) exitCode = ExitCode.Partial; // acted, but its memory was not saved
  // Another runner holds the lease now: the pass stopped acting, whatever it did before.
  if (r.leaseLost) exitCode = ExitCode.Locked;
  return {
    toLaunch,
    toTerminate,
    toChangeAgents,
    launched: done.filter((x) => x.action.kind === 'launch').length,
    terminated: done.filter((x) => x.action.kind === 'terminate').length,
    failed,
    failedPools,
    preempted: r.plan.pools.reduce((n, p) => n + (p.preempted?.agents.length ?? 0), 0),
    sessionsLostToPreemption: r.plan.pools.reduce((n, p) => n + (p.preempted?.sessionsLost ?? 0), 0),
    exitCode,
  };
}
