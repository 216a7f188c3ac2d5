/**
 * `kasm-scale reconcile`: flags in, one pass, the report out, an exit code back.
 */
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Output } from '../core/output.js';
import type { KasmScaleConfig } from '../config/types.js';
import { reconcileJson } from '../report/json.js';
import { renderHuman } from '../report/human.js';
import { checkMetricsFolder, writeMetricsFile } from '../report/metrics.js';
import { pricesOf } from '../cost/running.js';
import { summarize } from '../report/summary.js';
import { ExitCode } from '../core/exit-codes.js';
import { checkWritableTarget, expandHome } from '../core/files.js';
import { leaseClock } from '../lease/clock.js';
import { DEFAULT_CONCURRENCY, parseNow } from '../scaling/pass-options.js';
import { runPass } from '../scaling/reconcile.js';
import { INTENTS_FILE } from '../scaling/intents.js';
import { defaultStateDir, STATE_FILE } from '../scaling/state.js';

export interface ReconcileCommandOptions {
  file?: string;
  dryRun?: boolean;
  autoscale?: string[];
  demand?: string;
  detailedExitcode?: boolean;
  metricsFile?: string;
  stateDir?: string;
  concurrency?: string;
  /** KASM_SCALE_NOW, read by the CLI layer only. */
  nowText?: string;
  /** KASM_SCALE_SERVICEACCOUNT_PREFIX: where the Kubernetes service-account files are (tests). */
  serviceAccountPrefix?: string;
  /** --allow-kasm-autoscaler */
  allowKasmAutoscaler?: boolean;
  keepOrphans?: boolean;
}

export async function reconcileCommand(o: ReconcileCommandOptions, out: Output): Promise<number> {
  const now = parseNow(o.nowText);
  if (o.detailedExitcode && !o.dryRun)
    throw new InputError('--detailed-exitcode works with --dry-run only', {
      hint: 'add --dry-run, or drop --detailed-exitcode',
    });
  const { loadConfig } = await import('../config/load.js');
  const config: KasmScaleConfig = await loadConfig(o.file);
  const concurrency = parseConcurrency(o.concurrency, config);
  const stateDir = o.stateDir ? expandHome(o.stateDir) : defaultStateDir();
  const metricsFile = o.metricsFile ? expandHome(o.metricsFile) : undefined;
  // The files written after acting are checked before acting: a pass that launched must not
  // fail afterwards on a path that was wrong from the start.
  if (metricsFile) await checkMetricsFolder(metricsFile);
  if (metricsFile) await checkWritableTarget(metricsFile, '--metrics-file');
  if (!o.dryRun)
    for (const f of [STATE_FILE, INTENTS_FILE]) await checkWritableTarget(join(stateDir, f), 'state file');
  const result = await runPass({
    config,
    only: o.autoscale ?? [],
    dryRun: Boolean(o.dryRun),
    ...(o.demand ? { demandFile: o.demand } : {}),
    stateDir,
    concurrency,
    now,
    // Only the file gives the token (inline, ${ENV} or manager_token_file), so validate sees what a launch fills.
    ...(config.kasm?.manager_token ? { managerToken: config.kasm.manager_token } : {}),
    allowKasmAutoscaler: Boolean(o.allowKasmAutoscaler),
    ...(o.keepOrphans ? { keepOrphans: true } : {}),
    // With KASM_SCALE_NOW the lease clock starts there and runs on (lease/clock.ts).
    lease: {
      clock: leaseClock(o.nowText ? now : undefined),
      ...(o.serviceAccountPrefix ? { serviceAccountPrefix: o.serviceAccountPrefix } : {}),
    },
    out,
  });
  const summary = summarize(result, { detailedExitcode: o.detailedExitcode });
  if (metricsFile) {
    try {
      await writeMetricsFile(metricsFile, result, summary, pricesOf(config.providers));
    } catch (err) {
      // The pass is done; its report still comes out, and the exit code says "partly".
      const line = `could not write --metrics-file ${metricsFile}: ${(err as Error).message}`;
      result.warnings.push(line);
      out.warn(line);
      if (summary.exitCode === ExitCode.Ok) summary.exitCode = ExitCode.Partial;
    }
  }
  for (const line of renderHuman(result, summary, out.json ? out.color : out.colorOut)) out.result(line);
  if (out.json) out.printJson(reconcileJson(result, summary));
  return summary.exitCode;
}

function parseConcurrency(flag: string | undefined, config: KasmScaleConfig): number {
  const fromConfig = config.reconcile?.concurrency;
  const raw = flag ?? (fromConfig === undefined ? undefined : String(fromConfig));
  if (raw === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new InputError(`--concurrency ${raw} is not a whole number from 1 to 256`, {
      hint: 'for example --concurrency 8',
    });
  return n;
}
