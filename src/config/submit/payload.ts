import type { Provider } from '../types.js';

/**
 * What `config submit` sends to Kasm for one provider: Kasm's own keys only (never
 * `endpoint`, `*_file` or other kasm-scale keys; the loader has already read every `*_file`
 * into its value). JSON-typed fields go as strings holding JSON, the way Kasm's admin UI
 * sends its "(JSON)" text areas, so Kasm parses them on its best-trodden path; Kasm
 * accepts native values too, and comparisons treat both forms alike (compare.ts).
 */

/** Kasm masks these in answers; they cannot be compared, only sent. */
export const SECRET_FIELDS = ['oci_private_key', 'gcp_credentials'] as const;

/** Kasm's "(JSON)" fields: sent as JSON strings. */
export const JSON_FIELDS = new Set([
  'oci_nsg_ocids',
  'oci_availability_domains',
  'oci_custom_tags',
  'oci_config_override',
  'gcp_credentials',
  'gcp_network_tags',
  'gcp_custom_labels',
  'gcp_metadata',
  'gcp_service_account',
  'gcp_guest_accelerators',
  'gcp_config_override',
]);

/**
 * Keys whose Kasm name is not confirmed by Kasm's docs (reference/kasm.md): sent, but only
 * compared when Kasm's answer has them, so a Kasm that ignores them never looks "changed".
 */
export const UNCONFIRMED_FIELDS = new Set(['vm_installed_os_type', 'startup_script_type']);

const COMMON = ['vm_provider_name', 'vm_provider_config_name', 'max_instances', 'startup_script'];

export const KASM_KEYS: Record<Provider['vm_provider_name'], string[]> = {
  oci: [
    ...COMMON,
    'oci_user_ocid',
    'oci_fingerprint',
    'oci_private_key',
    'oci_region',
    'oci_tenancy_ocid',
    'oci_compartment_ocid',
    'oci_nsg_ocids',
    'oci_availability_domains',
    'oci_image_ocid',
    'oci_shape',
    'oci_flex_cpus',
    'oci_baseline_ocpu_utilization',
    'oci_flex_memory_gb',
    'oci_boot_volume_gb',
    'oci_storage_vpus_per_gb',
    'oci_custom_tags',
    'oci_subnet_ocid',
    'oci_ssh_public_key',
    'oci_config_override',
  ],
  gcp: [
    ...COMMON,
    'gcp_credentials',
    'gcp_project',
    'gcp_region',
    'gcp_zone',
    'gcp_machine_type',
    'gcp_image',
    'gcp_boot_volume_gb',
    'gcp_disk_type',
    'gcp_cmek',
    'gcp_network',
    'gcp_subnetwork',
    'gcp_public_ip',
    'gcp_network_tags',
    'gcp_custom_labels',
    'gcp_metadata',
    'gcp_service_account',
    'gcp_guest_accelerators',
    'gcp_config_override',
    'vm_installed_os_type',
    'startup_script_type',
  ],
};

/**
 * Optional keys that, when absent from the file, are sent as "" (Kasm's "empty") so that
 * deleting one from the file clears it in Kasm: an update leaves omitted keys unchanged.
 * Optional numbers and enums are left out instead (Kasm may reject "" for those).
 */
export const CLEAR_WHEN_ABSENT = new Set(['oci_ssh_public_key', 'oci_config_override', 'gcp_cmek', 'gcp_service_account', 'gcp_config_override']);

export function toKasmPayload(p: Provider): Record<string, unknown> {
  const src = p as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KASM_KEYS[p.vm_provider_name]) {
    const v = src[key];
    if (v === undefined || v === null) {
      if (CLEAR_WHEN_ABSENT.has(key)) out[key] = '';
      continue;
    }
    out[key] = JSON_FIELDS.has(key) && typeof v !== 'string' ? JSON.stringify(v) : v;
  }
  return out;
}

/** Keys of a provider entry that are kasm-scale's own and never reach Kasm (for the report). */
export function localOnlyKeys(p: Provider): string[] {
  const kasm = new Set(KASM_KEYS[p.vm_provider_name]);
  return Object.keys(p).filter((k) => !kasm.has(k) && (p as unknown as Record<string, unknown>)[k] !== undefined);
}
