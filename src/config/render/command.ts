import type { Output } from '../../core/output.js';
import { renderConfig } from './run.js';

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
  const { loadConfig } = await import('../load.js');
  const config = await loadConfig(opts.file);
  const rendered = renderConfig(config, { provider: opts.provider, showSecrets: opts.showSecrets });
  if (out.json) {
    out.printJson({ file: config.file, providers: rendered });
    return 0;
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
  return 0;
}
