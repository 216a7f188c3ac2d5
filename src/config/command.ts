/**
 * `kasm-scale config validate | render | schema | submit`: each subcommand's body, flags in,
 * output and an exit code out. The renderer, the Kasm client and the JSON Schema builder
 * load inside the subcommand that needs them, so `config validate` stays light.
 */
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

/**
 * `config render`: loads the file (the loader validates it), renders each provider and
 * prints. Human mode: a `# name (cloud) ...` line on stderr and the request as pretty JSON
 * on stdout, so `--provider X > body.json` gives a clean JSON file. `--json`: one document
 * `{providers: [{name, cloud, kind, sample, request}]}`.
 */
export async function renderCommand(
  opts: { file?: string; provider?: string; showSecrets: boolean },
  out: Output,
): Promise<number> {
  const { loadConfig } = await import('./load.js');
  const { renderConfig } = await import('./render/run.js');
  const config = await loadConfig(opts.file);
  const rendered = renderConfig(config, { provider: opts.provider, showSecrets: opts.showSecrets });
  if (out.json) {
    out.printJson({ file: config.file, providers: rendered });
    return ExitCode.Ok;
  }
  if (rendered.length === 0) out.info(`${config.file} has no providers`);
  for (const r of rendered) {
    out.info(
      out.color.dim(
        `# ${r.name} (${r.cloud}): ${r.kind} for a sample launch by "${r.sample.autoscale_config_name}" in ${r.sample.zone}, server_id ${r.sample.server_id}`,
      ),
    );
    out.result(JSON.stringify(r.request, null, 2));
  }
  return ExitCode.Ok;
}

/** `config schema`: the JSON Schema of the file, for editors; it takes no input. */
export async function schemaCommand(out: Output): Promise<number> {
  const { configJsonSchema } = await import('./json-schema.js');
  out.printJson(configJsonSchema());
  return ExitCode.Ok;
}

export interface SubmitCommandOptions {
  file?: string;
  provider?: string;
  dryRun: boolean;
  resendSecrets?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `config submit`: exit 0 when every provider was created/updated/unchanged (or planned), 1 when one failed. */
export async function submitCommand(opts: SubmitCommandOptions, out: Output): Promise<number> {
  const { loadConfig } = await import('./load.js');
  const { submitLoadedConfig } = await import('./submit/index.js');
  const config = await loadConfig(opts.file, { env: opts.env, cwd: opts.cwd });
  return submitLoadedConfig(config, opts, out);
}
