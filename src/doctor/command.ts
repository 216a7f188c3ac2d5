import { InputError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Output } from '../core/output.js';
import { cloudOf } from '../clouds/registry.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { KasmScaleConfig } from '../config/types.js';
import { kasmChecks } from './kasm.js';
import { drainPermissionCheck, orphansCheck } from './lifecycle.js';
import { buildReport, printReport, reportJson } from './report.js';
import { runChecks, type RunOptions } from './runner.js';
import type { CheckGroup, DoctorReport } from '../core/checks.js';

export interface DoctorOptions extends LoadOptions {
  file?: string;
  /** Only this provider (vm_provider_config_name), and the autoscale configs that use it. */
  provider?: string;
  run?: Omit<RunOptions, 'onResult'>;
}

/**
 * `kasm-scale doctor`: loads the config (invalid → exit 2), checks every reference of each
 * provider against its cloud and the Kasm API, prints one line per check, exit 1 when any
 * check failed. Only reads: it never launches, tags or changes anything.
 */
export async function doctorCommand(opts: DoctorOptions, out: Output): Promise<number> {
  const config = await loadConfig(opts.file, { ...opts, onWarning: (w) => out.warn(w) });
  const report = await runDoctor(config, opts, out);
  if (out.json) out.printJson(reportJson(report));
  printReport(report, out);
  return report.ok ? ExitCode.Ok : ExitCode.Failed;
}

/** The checks for a loaded config, run; exported for tests and for `demo`. */
export async function runDoctor(
  config: KasmScaleConfig,
  opts: Pick<DoctorOptions, 'provider' | 'run'> = {},
  out?: Output,
): Promise<DoctorReport> {
  const providers =
    opts.provider === undefined
      ? config.providers
      : config.providers.filter((p) => p.vm_provider_config_name === opts.provider);
  if (opts.provider !== undefined && providers.length === 0)
    throw new InputError(`no provider named "${opts.provider}" in ${config.file}`, {
      hint: config.providers.length
        ? `--provider takes a vm_provider_config_name: ${config.providers.map((p) => `"${p.vm_provider_config_name}"`).join(', ')}`
        : 'the file has no providers',
    });
  const pools =
    opts.provider === undefined
      ? config.autoscale
      : config.autoscale.filter((a) => a.vm_provider_config_names.includes(opts.provider!));

  const groups: CheckGroup[] = [];
  for (const p of providers) {
    // Each cloud's SDK is loaded only when a provider of that cloud is checked.
    groups.push((await cloudOf(p).doctor())(p));
  }
  // An agent's end of life (docs/lifecycle.md): orphans per provider, drain permissions with Kasm.
  providers.forEach((p, i) => {
    const orphans = orphansCheck(config, p);
    if (!orphans) return;
    const g = groups[i];
    const closeGroup = g.close?.bind(g);
    g.checks.push(orphans.check);
    g.close = async () => {
      await orphans.close();
      await closeGroup?.();
    };
  });
  const kasmGroup = kasmChecks(config.kasm, pools, providers, config.file);
  const drain = config.kasm ? drainPermissionCheck(config) : undefined;
  if (drain) kasmGroup.checks.push(drain);
  groups.push(kasmGroup);
  // The pass lease, when it is shared (docs/lease.md); with --provider only if it is that provider's.
  const lock = config.lock;
  if (
    lock &&
    lock.type !== 'file' &&
    (opts.provider === undefined || ('provider' in lock && lock.provider === opts.provider))
  )
    groups.push((await import('./lease.js')).leaseChecks(config, lock));

  const total = groups.reduce((n, g) => n + g.checks.length, 0);
  const progress = out?.progress(`doctor: running ${total} checks…`);
  // (runChecks first loads each cloud's SDK: that is the slow part of a cold start.)
  try {
    const results = await runChecks(groups, {
      ...opts.run,
      onResult: (g, r, done, n) => {
        progress?.update(`doctor: ${done}/${n} ${g.name}: ${r.title}`);
        out?.debug(`doctor: ${g.name}: ${r.title}: ${r.status} (${r.ms} ms)`);
      },
    });
    return buildReport(config.file, results);
  } finally {
    progress?.stop();
  }
}
