/**
 * VM provider configs: Kasm's get/create/update calls (secrets masked in every answer, see
 * views.ts), and Kasm's checks on `create_vm_provider_config` / `update_vm_provider_config`, as far as
 * Kasm 1.15's API (docs/kasm-api.md) describes them: the common keys are required, and every JSON-typed
 * field is accepted as a native value or a string holding JSON ("" = empty); a wrong type
 * is rejected with "X is not JSON list/dictionary".
 */
import type { ApiAnswer, KasmCall } from './context.js';
import { MASK, newKasmId } from './format.js';
import type { EmuState } from './model.js';
import { maskConfig } from './views.js';

type StoredConfig = EmuState['vmProviderConfigs'][number];

const UNLICENSED: ApiAnswer = [200, { error_message: 'Access Denied. Auto Scaling is not licensed' }];

export const getVmProviderConfigs: KasmCall = ({ state }) => [
  200,
  { vm_provider_configs: state.vmProviderConfigs.map(maskConfig) },
];

export const createVmProviderConfig: KasmCall = (ctx, body) => {
  if (!ctx.licensed) return UNLICENSED;
  const t = targetOf(body);
  if (!t) return [200, { error_message: 'Missing target_vm_provider_config' }];
  const problem = checkProviderConfig(t, true);
  if (problem) return [200, { error_message: problem }];
  const stored = createdConfig(t, newKasmId());
  ctx.state.vmProviderConfigs.push(stored);
  ctx.save();
  return [200, { vm_provider_config: maskConfig(stored) }];
};

export const updateVmProviderConfig: KasmCall = (ctx, body) => {
  if (!ctx.licensed) return UNLICENSED;
  const t = targetOf(body);
  if (!t) return [200, { error_message: 'Missing target_vm_provider_config' }];
  const configs = ctx.state.vmProviderConfigs;
  const id = t.vm_provider_config_id ?? body.vm_provider_config_id;
  const i = configs.findIndex((c) => c.vm_provider_config_id === id);
  if (i < 0) return [200, { error_message: 'Unable to find VM Provider Config' }];
  const problem = checkProviderConfig(t, false);
  if (problem) return [200, { error_message: problem }];
  const merged = mergeUpdate(configs[i], t) as StoredConfig;
  configs[i] = merged;
  ctx.save();
  return [200, { vm_provider_config: maskConfig(merged) }];
};

function targetOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const t = body.target_vm_provider_config;
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : undefined;
}

const JSON_LISTS = [
  'oci_nsg_ocids',
  'oci_availability_domains',
  'gcp_network_tags',
  'gcp_metadata',
  'gcp_guest_accelerators',
];
const JSON_DICTS = [
  'oci_custom_tags',
  'oci_config_override',
  'gcp_custom_labels',
  'gcp_service_account',
  'gcp_config_override',
  'gcp_credentials',
];

function checkJson(key: string, value: unknown, want: 'list' | 'dictionary'): string | undefined {
  if (value === undefined || value === null || value === '' || value === MASK) return undefined;
  let v = value;
  if (typeof value === 'string') {
    try {
      v = JSON.parse(value);
    } catch {
      return `${key} is not valid JSON`;
    }
  }
  const ok = want === 'list' ? Array.isArray(v) : typeof v === 'object' && v !== null && !Array.isArray(v);
  return ok ? undefined : `${key} is not JSON ${want}`;
}

/** An error message, or undefined when Kasm would take the config. */
export function checkProviderConfig(c: Record<string, unknown>, isCreate: boolean): string | undefined {
  const required = ['vm_provider_name', 'vm_provider_config_name', 'max_instances', 'startup_script'];
  if (isCreate) {
    for (const k of required)
      if (c[k] === undefined || c[k] === null || c[k] === '') return `Missing required field: ${k}`;
  }
  if (
    c.vm_provider_name !== undefined &&
    !['oci', 'gcp', 'azure', 'aws', 'digital_ocean', 'vsphere', 'openstack', 'harvester'].includes(
      String(c.vm_provider_name),
    )
  ) {
    return `Invalid vm_provider_name: ${String(c.vm_provider_name)}`;
  }
  if (c.max_instances !== undefined && !Number.isInteger(Number(c.max_instances)))
    return 'max_instances must be an integer';
  for (const k of JSON_LISTS) {
    const e = checkJson(k, c[k], 'list');
    if (e) return e;
  }
  for (const k of JSON_DICTS) {
    const e = checkJson(k, c[k], 'dictionary');
    if (e) return e;
  }
  return undefined;
}

/**
 * Kasm 1.15's update: a key sent as null or left out, and a masked secret, keep what is
 * stored; any other value is stored as sent, empty ones ("", 0, {}, []) included: sending
 * the empty value of its type is the only way to clear a key.
 */
export function mergeUpdate(
  stored: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...stored };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === MASK) continue;
    if (k === 'vm_provider_config_id') continue;
    out[k] = v;
  }
  return out;
}

/** Create: what is sent, without null keys (Kasm's columns keep their defaults). */
export function createdConfig(
  sent: Record<string, unknown>,
  id: string,
): Record<string, unknown> & { vm_provider_config_id: string } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sent))
    if (v !== null && v !== undefined && k !== 'vm_provider_config_id') out[k] = v;
  return { ...out, vm_provider_config_id: id };
}
