/**
 * Kasm's own autoscaler as kasm-scale sees it: `get_autoscale_configs` (Autoscale View) and
 * `get_vm_provider_configs` (VM Provider View) read together, and which of Kasm's configs
 * compete with one of our pools: enabled, Docker Agent, same Kasm zone (by zone_id via
 * get_zones), and a provider config of ours (same cloud and vm_provider_config_name).
 */
import type { KasmApiClient } from './client.js';
import type { KasmAutoscaleConfig, KasmVmProviderConfig, KasmZone } from './types.js';
import { oneLine } from '../core/errors.js';

/** What Kasm told us about its own autoscaler, or why it could not be read. */
export interface KasmAutoscalers {
  configs?: KasmAutoscaleConfig[];
  providerConfigs?: KasmVmProviderConfig[];
  /** One line: why the check could not be made. */
  error?: string;
  /** True when the error is the key lacking a permission (401). */
  permission?: boolean;
}

/** Reads get_autoscale_configs and get_vm_provider_configs; failures become data. */
export async function readKasmAutoscalers(
  client: Pick<KasmApiClient, 'getAutoscaleConfigs' | 'getVmProviderConfigs'>,
): Promise<KasmAutoscalers> {
  const [configs, providerConfigs] = await Promise.allSettled([
    client.getAutoscaleConfigs(),
    client.getVmProviderConfigs(),
  ]);
  const failed = [configs, providerConfigs].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    const message = oneLine(failed.reason);
    const permission = /401 Unauthorized/.test(message);
    const hint = permission ? ' (give the API key "Autoscale View" and "VM Provider View")' : '';
    return { error: `cannot check for Kasm's own autoscaler: ${message}${hint}`, permission };
  }
  return {
    configs: (configs as PromiseFulfilledResult<KasmAutoscaleConfig[]>).value,
    providerConfigs: (providerConfigs as PromiseFulfilledResult<KasmVmProviderConfig[]>).value,
  };
}

/** The parts of our pool and providers (config/types.ts) the comparison reads. */
interface PoolRef {
  /** The pool's provider chain (one provider is a chain of one). */
  vm_provider_config_names: string[];
  zone_name: string;
}
interface ProviderRef {
  vm_provider_name: string;
  vm_provider_config_name: string;
}

/** Kasm's Docker-agent autoscale configs that are enabled for the pool's zone and provider config. */
export function competingKasmConfigs(
  pool: PoolRef,
  providers: readonly ProviderRef[],
  seen: KasmAutoscalers,
  zones: KasmZone[],
): KasmAutoscaleConfig[] {
  if (!seen.configs || !seen.providerConfigs) return [];
  // Every provider of the pool's chain: Kasm launching from any of them competes.
  const ours = providers.filter((p) => pool.vm_provider_config_names.includes(p.vm_provider_config_name));
  if (!ours.length) return [];
  // Kasm names are not unique: every Kasm provider config with our (cloud, name) counts.
  const providerIds = new Set(
    seen.providerConfigs
      .filter((c) =>
        ours.some(
          (o) =>
            c.vm_provider_name === o.vm_provider_name &&
            c.vm_provider_config_name === o.vm_provider_config_name,
        ),
      )
      .map((c) => c.vm_provider_config_id),
  );
  const zoneIds = new Set(zones.filter((z) => z.zone_name === pool.zone_name).map((z) => z.zone_id));
  return seen.configs.filter(
    (c) =>
      c.enabled &&
      // Server-pool autoscaling launches servers for a pool, not agents for a zone.
      (c.autoscale_type === '' || /docker\s*agent/i.test(c.autoscale_type)) &&
      c.vm_provider_config_id !== null &&
      providerIds.has(c.vm_provider_config_id) &&
      ((c.zone_id !== null && zoneIds.has(c.zone_id)) || c.zone_name === pool.zone_name),
  );
}
