/**
 * Kasm's own autoscale configs, as Kasm 1.15 answers `get_autoscale_configs`
 * (docs/coexistence-and-sizing.md): one row per config with its zone by id and the VM
 * provider config it launches with under a per-cloud key (`oci_vm_config_id`,
 * `gcp_vm_config_id`, ...; the others null). Reading them needs the Autoscale View
 * permission; auth.ts refuses a key without it with 401 "Unauthorized", as Kasm does.
 * Kasm's API cannot create them here: a test adds them with addAutoscaleConfig.
 */
import { ensureZone, type KasmCall, type KasmContext } from './context.js';
import { newKasmId } from './format.js';
import type { EmuState } from './model.js';

/** The per-cloud provider keys a 1.15 row carries (null unless it is that cloud). */
const PROVIDER_KEYS = [
  'aws_vm_config_id',
  'azure_vm_config_id',
  'digital_ocean_vm_config_id',
  'gcp_vm_config_id',
  'oci_vm_config_id',
  'vsphere_vm_config_id',
  'openstack_vm_config_id',
];

export interface AddAutoscaleConfigInput {
  autoscale_config_name: string;
  /** The Kasm zone it scales (created when missing). */
  zone_name: string;
  /** The VM provider config it launches with: its id, or its name (looked up among the stored ones). */
  vm_provider_config_id?: string;
  vm_provider_config_name?: string;
  enabled?: boolean;
  autoscale_type?: string;
  [k: string]: unknown;
}

export type EmuAutoscaleConfig = Record<string, unknown> & { autoscale_config_id: string; zone_name: string };

export const getAutoscaleConfigs: KasmCall = ({ state }) => [
  200,
  { autoscale_configs: (state.autoscaleConfigs ?? []).map((c) => autoscaleConfigRow(state, c)) },
];

/** Adds one of Kasm's own autoscale configs (its VM provider config must be stored already). */
export function addAutoscaleConfig(
  { state, save }: KasmContext,
  input: AddAutoscaleConfigInput,
): EmuAutoscaleConfig {
  ensureZone(state, String(input?.zone_name ?? ''));
  const row = newAutoscaleConfig(state, input);
  (state.autoscaleConfigs ??= []).push(row);
  save();
  return { ...row };
}

export function setAutoscaleConfigEnabled({ state, save }: KasmContext, id: string, enabled: boolean): void {
  const c = (state.autoscaleConfigs ?? []).find((x) => x.autoscale_config_id === id);
  if (!c) throw new Error(`no autoscale config ${id}`);
  c.enabled = enabled;
  save();
}

/** Builds the stored row; throws (400 on the control route) when the provider config is unknown. */
function newAutoscaleConfig(state: EmuState, input: AddAutoscaleConfigInput): EmuAutoscaleConfig {
  if (!input?.autoscale_config_name || !input.zone_name)
    throw new Error('addAutoscaleConfig needs autoscale_config_name and zone_name');
  const provider = state.vmProviderConfigs.find((c) =>
    input.vm_provider_config_id
      ? c.vm_provider_config_id === input.vm_provider_config_id
      : c.vm_provider_config_name === input.vm_provider_config_name,
  );
  if (!provider)
    throw new Error(
      `no VM provider config ${input.vm_provider_config_id ?? input.vm_provider_config_name ?? '(none given)'} in the emulator`,
    );
  const { vm_provider_config_id: _id, vm_provider_config_name: _name, ...rest } = input;
  const providerKey = `${String(provider.vm_provider_name)}_vm_config_id`;
  return {
    autoscale_type: 'Docker Agent',
    enabled: true,
    aggressive_scaling: false,
    downscale_backoff: 600,
    standby_cores: 0,
    standby_memory_mb: 0,
    standby_gpus: 0,
    agent_cores_override: 0,
    agent_memory_override_gb: 0,
    agent_gpus_override: 0,
    register_dns: false,
    base_domain_name: null,
    server_pool_id: null,
    ...Object.fromEntries(PROVIDER_KEYS.map((k) => [k, null])),
    ...rest,
    [providerKey]: provider.vm_provider_config_id,
    autoscale_config_id: newKasmId(),
  };
}

/** A `get_autoscale_configs` row: the zone by id only, as Kasm stores it (clients map it through get_zones). */
function autoscaleConfigRow(state: EmuState, c: EmuAutoscaleConfig): Record<string, unknown> {
  const { zone_name, ...rest } = c;
  return { ...rest, zone_id: state.zones.find((z) => z.zone_name === zone_name)?.zone_id ?? null };
}
