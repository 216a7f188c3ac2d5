import { relative } from 'node:path';
import type { Output } from '../core/output.js';
import { ExitCode } from '../core/exit-codes.js';
import { checkConfig, type LoadOptions } from './load.js';
import { problemLine } from './problems.js';

/**
 * `config validate`: every problem of the file in one run, each as
 * `file:line:col: path: what is wrong; what is expected (found ...)`. Exit 0 when valid,
 * 2 when not. `--json`: `{file, valid, problems, warnings, providers, autoscale}`.
 */
export async function validateCommand(opts: { file?: string } & LoadOptions, out: Output): Promise<number> {
  const { config, problems, warnings } = await checkConfig(opts.file, opts);
  const file = config?.file ?? problems[0]?.file ?? opts.file ?? '';
  const shown = displayPath(file);
  for (const w of warnings) out.warn(w);
  if (out.json) {
    out.printJson({
      file,
      valid: problems.length === 0,
      problems,
      warnings,
      providers:
        config?.providers.map((p) => ({ name: p.vm_provider_config_name, cloud: p.vm_provider_name })) ?? [],
      autoscale: config?.autoscale.map((a) => a.autoscale_config_name) ?? [],
    });
  }
  if (problems.length) {
    for (const p of problems) out.result(problemLine(p, displayPath(p.file)));
    out.info(`${out.color.red('✗')} ${shown}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    return ExitCode.Invalid;
  }
  const providers = config?.providers ?? [];
  const pools = config?.autoscale ?? [];
  out.result(
    `${out.colorOut.green('✓')} ${shown} is valid: ${providers.length} provider${providers.length === 1 ? '' : 's'}${providers.length ? ` (${providers.map((p) => `${p.vm_provider_config_name} [${p.vm_provider_name}]`).join(', ')})` : ''}, ${pools.length} autoscale config${pools.length === 1 ? '' : 's'}`,
  );
  return ExitCode.Ok;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
