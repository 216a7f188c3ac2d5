/**
 * Kasm checks: the API answers at kasm.url, the key is accepted, each autoscale config's
 * zone exists, (a warning only) each provider config is in Kasm, and no enabled Kasm
 * autoscale config scales a pool's zone with its provider config (a key without Autoscale
 * View gives a warning). Reads only: get_zones, get_vm_provider_configs, get_autoscale_configs.
 */
import { CliError, oneLine } from '../core/errors.js';
import type { AutoscaleConfig, KasmSection, Provider } from '../config/types.js';
import { createKasmClient, type KasmApiClient } from '../kasm/client.js';
import { competingKasmConfigs, readKasmAutoscalers } from '../kasm/autoscalers.js';
import { kasmAuthCheck } from './kasm-auth.js';
import { once, settle, fail, ok, warn, type Check, type CheckGroup } from '../core/checks.js';

/** Answers that came from Kasm and are about the key (403 Access Denied, 401 permission, 400 no key). */
const KEY_PROBLEM = /refused the API key|401 Unauthorized|rejected \S+ \(HTTP 400\)/;

const hintOf = (err: unknown) => (err instanceof CliError ? err.hint : undefined);

export function kasmChecks(
  section: KasmSection | undefined,
  pools: AutoscaleConfig[],
  providers: Provider[],
  file: string,
): CheckGroup {
  if (!section)
    return {
      name: 'kasm',
      kind: 'kasm',
      checks: [
        {
          id: 'configured',
          title: 'Kasm API configured',
          run: async () =>
            warn(
              `${file} has no kasm section; the Kasm checks are skipped`,
              'add kasm: {url, api_key, api_key_secret} to check the Kasm API too',
            ),
        },
      ],
    };

  let client: KasmApiClient | undefined;
  const getClient = () => (client ??= createKasmClient(section, { timeoutMs: 15_000 }));
  const zones = once(() => settle(Promise.resolve().then(() => getClient().getZones())));
  const configs = once(() => settle(Promise.resolve().then(() => getClient().getVmProviderConfigs())));
  const autoscalers = once(() => readKasmAutoscalers(getClient()));

  const checks: Check[] = [
    {
      id: 'reachable',
      title: 'Kasm API reachable',
      async run() {
        const r = await zones();
        if (r.ok) return ok(`answers at ${section.url}`);
        if (KEY_PROBLEM.test(oneLine(r.error))) return ok(`answers at ${section.url} (see the key check)`);
        return fail(oneLine(r.error), hintOf(r.error));
      },
    },
    kasmAuthCheck(section, zones, 15_000),
    {
      id: 'key',
      title: 'API key valid',
      needs: ['reachable'],
      async run() {
        const r = await zones();
        if (r.ok)
          return ok(
            `key ${section.api_key} accepted (get_zones: ${r.value.length} zone${r.value.length === 1 ? '' : 's'})`,
          );
        return fail(oneLine(r.error), hintOf(r.error));
      },
    },
    ...pools.map((a): Check => ({
      id: `zone:${a.autoscale_config_name}`,
      title: `zone "${a.zone_name}" of autoscale config ${a.autoscale_config_name}`,
      needs: ['key'],
      async run() {
        const r = await zones();
        const names = (r.ok ? r.value : []).map((z) => z.zone_name);
        if (names.includes(a.zone_name)) return ok('exists in Kasm');
        return fail(
          `Kasm has no zone named "${a.zone_name}" (it has: ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'none'})`,
          'set zone_name to one of those (names are case-sensitive), or create the zone in Kasm (Admin > Infrastructure > Zones)',
        );
      },
    })),
    ...providers.map((p): Check => ({
      id: `provider:${p.vm_provider_config_name}`,
      title: `provider config ${p.vm_provider_config_name} in Kasm`,
      needs: ['key'],
      async run() {
        const r = await configs();
        if (!r.ok)
          return warn(`cannot list Kasm's VM provider configs: ${oneLine(r.error)}`, hintOf(r.error));
        const found = r.value.find(
          (c) =>
            c.vm_provider_name === p.vm_provider_name &&
            c.vm_provider_config_name === p.vm_provider_config_name,
        );
        if (found) return ok(`present (vm_provider_config_id ${found.vm_provider_config_id})`);
        return warn(
          `Kasm has no ${p.vm_provider_name} provider config named "${p.vm_provider_config_name}"`,
          `kasm-scale config submit ${file} --provider "${p.vm_provider_config_name}" creates it (needed only if Kasm itself should use it)`,
        );
      },
    })),
    ...pools.map((a): Check => ({
      id: `kasm-autoscaler:${a.autoscale_config_name}`,
      title: `no Kasm autoscaler on zone "${a.zone_name}" with ${a.vm_provider_config_names.join(', ')}`,
      needs: ['key'],
      async run() {
        const [seen, z] = await Promise.all([autoscalers(), zones()]);
        if (seen.error)
          return warn(
            seen.error,
            seen.permission
              ? 'give the API key "Autoscale View" (and "VM Provider View") so doctor and reconcile can check this'
              : undefined,
          );
        const found = competingKasmConfigs(a, providers, seen, z.ok ? z.value : []);
        if (found.length === 0)
          return ok(
            `none of Kasm's ${seen.configs?.length ?? 0} autoscale config(s) is enabled for this zone and provider config`,
          );
        return fail(
          `Kasm's own autoscale config ${found.map((c) => `"${c.autoscale_config_name}"`).join(', ')} is enabled for zone "${a.zone_name}" with provider config ${a.vm_provider_config_names.join(' or ')}: two autoscalers would launch for the same demand`,
          `disable it in Kasm (its AutoScale config: Enabled off), or remove autoscale config ${a.autoscale_config_name} from ${file}; reconcile skips this pool until then (--allow-kasm-autoscaler overrides)`,
        );
      },
    })),
  ];
  return { name: 'kasm', kind: 'kasm', checks };
}
