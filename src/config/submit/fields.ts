import type { Provider } from '../types.js';

/**
 * Every key `config submit` sends to Kasm, per cloud, and what it sends when the file
 * leaves an optional key out. Kasm's update leaves a key it gets as null (or not at all)
 * unchanged, so "not in the file" can only reach Kasm as the empty value of the key's
 * type that Kasm stores: "" for strings, {} / [] for JSON columns, and for integers a
 * value Kasm reads as "not set". docs/submit.md shows this table (a test keeps the two
 * equal), and test/kasm/submit-clear.test.ts clears each optional key through the emulator.
 */

export type KasmFieldType = 'string' | 'integer' | 'boolean' | 'json-list' | 'json-dict' | 'secret';

export interface SubmitField {
  key: string;
  type: KasmFieldType;
  /**
   * required: the file must have it (or its `*_file` key), so it is never left out;
   * defaulted: the loader fills the schema's default, which is what is sent;
   * optional: left out of the file, `cleared` is sent.
   */
  presence: 'required' | 'defaulted' | 'optional';
  /** Sent when an optional key is left out (JSON fields: the native empty value; the payload sends its JSON text). */
  cleared?: unknown;
  /** Stored values that also mean "not set" (besides null, "", {} and []). */
  alsoUnset?: unknown[];
  /** Not compared: Kasm masks secrets; the match keys are how the config is found. */
  compared: boolean;
  /** Kasm's name for it is not confirmed: compared only when Kasm's answer has it. */
  unconfirmed?: boolean;
  /** Why this value (for a defaulted key: its default), shown in docs/submit.md. */
  why: string;
}

const req = (
  key: string,
  type: KasmFieldType,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'required', compared: true, why, ...extra });
const def = (
  key: string,
  type: KasmFieldType,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'defaulted', compared: true, why, ...extra });
const opt = (
  key: string,
  type: KasmFieldType,
  cleared: unknown,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'optional', cleared, compared: true, why, ...extra });

const COMMON: SubmitField[] = [
  req('vm_provider_name', 'string', 'with the name, how submit finds the config in Kasm', {
    compared: false,
  }),
  req('vm_provider_config_name', 'string', 'with the type, how submit finds the config in Kasm', {
    compared: false,
  }),
  req('max_instances', 'integer', '0 is a real limit, not "not set"'),
  req('startup_script', 'string', 'never printed'),
];

export const SUBMIT_FIELDS: Record<Provider['vm_provider_name'], SubmitField[]> = {
  oci: [
    ...COMMON,
    req('oci_user_ocid', 'string', ''),
    req('oci_fingerprint', 'string', ''),
    req(
      'oci_private_key',
      'secret',
      'secret: Kasm masks it, so it is sent with every create and update, never printed',
      { compared: false },
    ),
    req('oci_region', 'string', ''),
    req('oci_tenancy_ocid', 'string', ''),
    req('oci_compartment_ocid', 'string', ''),
    def('oci_nsg_ocids', 'json-list', '`[]`'),
    req('oci_availability_domains', 'json-list', 'a non-empty list'),
    req('oci_image_ocid', 'string', ''),
    req('oci_shape', 'string', ''),
    opt(
      'oci_flex_cpus',
      'integer',
      0,
      'set only with .Flex shapes (validate refuses it otherwise); a fixed shape does not read it',
    ),
    opt(
      'oci_baseline_ocpu_utilization',
      'string',
      '',
      'as `oci_flex_cpus`; with a Flex shape "" means OCI\'s default (not burstable)',
    ),
    opt('oci_flex_memory_gb', 'integer', 0, 'as `oci_flex_cpus`'),
    req('oci_boot_volume_gb', 'integer', ''),
    opt(
      'oci_storage_vpus_per_gb',
      'integer',
      10,
      "OCI's own default for a boot volume (Balanced); 0 is outside OCI's 10–120 and could fail a launch if Kasm passed it on",
      { alsoUnset: [0] },
    ),
    def('oci_custom_tags', 'json-dict', '`{}`'),
    req('oci_subnet_ocid', 'string', ''),
    opt('oci_ssh_public_key', 'string', '', 'no SSH key'),
    opt('oci_config_override', 'json-dict', {}, 'nothing to merge'),
  ],
  gcp: [
    ...COMMON,
    req(
      'gcp_credentials',
      'secret',
      'secret: Kasm masks it, so it is sent with every create and update, never printed',
      { compared: false },
    ),
    req('gcp_project', 'string', ''),
    req('gcp_region', 'string', ''),
    req('gcp_zone', 'string', ''),
    req('gcp_machine_type', 'string', ''),
    req('gcp_image', 'string', ''),
    req('gcp_boot_volume_gb', 'integer', ''),
    req('gcp_disk_type', 'string', ''),
    opt('gcp_cmek', 'string', '', "Google's own encryption key"),
    req('gcp_network', 'string', ''),
    req('gcp_subnetwork', 'string', ''),
    def('gcp_public_ip', 'boolean', '`false`'),
    def('gcp_network_tags', 'json-list', '`[]`'),
    def('gcp_custom_labels', 'json-dict', '`{}`'),
    def('gcp_metadata', 'json-list', '`[]`'),
    opt('gcp_service_account', 'json-dict', {}, "the project's default service account"),
    def('gcp_guest_accelerators', 'json-list', '`[]`'),
    opt('gcp_config_override', 'json-dict', {}, 'nothing to merge'),
    def('vm_installed_os_type', 'string', '`linux`', { unconfirmed: true }),
    def('startup_script_type', 'string', '`startup-script`, or `windows-startup-script-ps1` for windows', {
      unconfirmed: true,
    }),
  ],
};

/** Kasm's keys, per cloud, in the order of Kasm's form. */
export const KASM_KEYS: Record<Provider['vm_provider_name'], string[]> = {
  oci: SUBMIT_FIELDS.oci.map((f) => f.key),
  gcp: SUBMIT_FIELDS.gcp.map((f) => f.key),
};

const BY_KEY = new Map<string, SubmitField>(
  [...SUBMIT_FIELDS.oci, ...SUBMIT_FIELDS.gcp].map((f) => [f.key, f]),
);

export function submitField(key: string): SubmitField | undefined {
  return BY_KEY.get(key);
}

export const SECRET_FIELDS = [...BY_KEY.values()].filter((f) => f.type === 'secret').map((f) => f.key);

/** Kasm's "(JSON)" fields (the secret gcp_credentials is one too): sent as strings holding JSON. */
export const JSON_FIELDS = new Set(
  [...BY_KEY.values()]
    .filter((f) => f.type === 'json-list' || f.type === 'json-dict' || f.key === 'gcp_credentials')
    .map((f) => f.key),
);

function show(v: unknown): string {
  return typeof v === 'string' ? (v === '' ? '`""`' : `\`${v}\``) : `\`${JSON.stringify(v)}\``;
}

/** The table docs/submit.md shows (Markdown), generated from SUBMIT_FIELDS. */
export function submitFieldTable(cloud: Provider['vm_provider_name']): string {
  const rows = SUBMIT_FIELDS[cloud].map((f) => {
    // A defaulted row's `why` is its default.
    const sent =
      f.presence === 'required'
        ? 'required'
        : f.presence === 'defaulted'
          ? `its default, ${f.why}`
          : show(f.cleared);
    const notes = [
      f.presence === 'defaulted' ? '' : f.why,
      !f.compared ? 'not compared' : '',
      f.unconfirmed ? 'compared only when Kasm returns it' : '',
      f.alsoUnset ? `a stored ${f.alsoUnset.map(show).join(', ')} also counts as not set` : '',
    ].filter(Boolean);
    return `| \`${f.key}\` | ${f.type} | ${sent} | ${notes.join('; ')} |`;
  });
  return ['| key | type | left out of the file, submit sends | notes |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}
