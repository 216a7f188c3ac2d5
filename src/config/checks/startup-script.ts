import { LAUNCH_TOKENS, scanStartupScript, SCRIPT_TOKENS } from '../../core/fields/startup-script.js';
import type { CheckContext } from '../../core/fields/check-context.js';

/**
 * The startup-script rules that depend on who launches with the provider. kasm-scale
 * launches on a provider when an autoscale config in this file names it (enabled or not:
 * enabling one must not break its launches). For such a provider:
 * - a Kasm token kasm-scale cannot fill (`{server_hostname}`, `{server_external_fqdn}`:
 *   Kasm's DNS registration; `{nginx_cert_in}`, `{nginx_key_in}`) is refused instead of
 *   being filled with "";
 * - `{manager_token}` needs kasm.manager_token (inline, `${ENV}` or manager_token_file):
 *   without it the agent installs but never joins. The file is the only source, so
 *   `config validate` sees exactly what `reconcile` will fill.
 * A provider no autoscale config names is only submitted to Kasm, whose own autoscaler
 * fills every token itself, so those scripts keep them.
 */
export function checkStartupScripts(
  root: Record<string, unknown>,
  ctx: CheckContext,
  env: NodeJS.ProcessEnv,
): void {
  const providers = Array.isArray(root.providers) ? root.providers : [];
  const autoscale = Array.isArray(root.autoscale) ? root.autoscale : [];
  const kasm = isObject(root.kasm) ? root.kasm : undefined;
  const hasToken =
    kasm !== undefined &&
    ((typeof kasm.manager_token === 'string' && kasm.manager_token.trim() !== '') ||
      kasm.manager_token_file !== undefined);
  providers.forEach((p, i) => {
    if (!isObject(p) || typeof p.startup_script !== 'string' || typeof p.vm_provider_config_name !== 'string')
      return;
    const name = p.vm_provider_config_name;
    // A provider launched here: named by a pool alone or as a link of its chain.
    const pool = autoscale.find(
      (a) =>
        isObject(a) &&
        (a.vm_provider_config_name === name ||
          (Array.isArray(a.vm_provider_config_names) && a.vm_provider_config_names.includes(name))),
    ) as Record<string, unknown> | undefined;
    if (!pool) return;
    const at = ['providers', i, 'startup_script'];
    const launcher = `autoscale config "${String(pool.autoscale_config_name)}"`;
    const fillable = new Set<string>(LAUNCH_TOKENS);
    const kasmOnly = new Set<string>(SCRIPT_TOKENS.filter((t) => !fillable.has(t)));
    const reported = new Set<string>();
    for (const f of scanStartupScript(p.startup_script).fields) {
      // A spec is reported by the schema; a token once, at its first use.
      if (f.spec !== undefined || reported.has(f.name)) continue;
      const where = `provider "${name}" startup script line ${f.line}:${f.column}`;
      if (kasmOnly.has(f.name)) {
        reported.add(f.name);
        const why = f.name.startsWith('nginx_')
          ? "Kasm's own nginx certificate (Kasm ≤ 1.16)"
          : "Kasm's DNS registration";
        ctx.add(
          at,
          `${where}: {${f.name}} is filled only by Kasm's own autoscaler (${why}); kasm-scale launches this provider for ${launcher} and cannot fill it; remove it from the script, or let Kasm's autoscaler run this provider`,
        );
      } else if (f.name === 'manager_token' && !hasToken) {
        reported.add(f.name);
        const envNote = env.KASM_MANAGER_TOKEN
          ? ' (KASM_MANAGER_TOKEN is set in the environment, but the token is read only through the file)'
          : '';
        ctx.add(
          at,
          `${where}: {${f.name}} needs kasm.manager_token, which is not set${envNote}; set it, e.g. manager_token: \${KASM_MANAGER_TOKEN}, or kasm.manager_token_file: a path (without it the agent never joins Kasm)`,
        );
      }
    }
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
