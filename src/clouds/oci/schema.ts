import { z } from 'zod';
import { priceSchema } from '../../core/price.js';
import { ocidError, regionError } from './ocid.js';
import { OCI_MODELS, OCI_ROOT_MODEL } from './fields.generated.js';
import { translateOciOverride } from './override.js';
import { ociRestProblems } from './values.js';
import { checked, int, jsonField, name, pattern, text } from '../../core/fields/common.js';
import { startupScriptProblems } from '../../core/fields/startup-script-schema.js';

/** kasm-scale's own freeform tags (clouds/ownership.ts) all start with this; users may not set them. */
const RESERVED_TAG_PREFIX = 'kasm-scale-';

/**
 * One OCI VM provider config: Kasm's keys exactly as Kasm names them (so `config submit`
 * sends them as they are), plus kasm-scale's own `endpoint` and the `*_file` keys the
 * loader reads secrets from. Cross-field rules (key ↔ fingerprint, Flex-only fields) are
 * in ../checks/oci.ts.
 */

/** OCI allows 16 KB of user_data; the limit applies to the value as sent, i.e. base64. */
export const OCI_USER_DATA_LIMIT = 16 * 1024;

/** How kasm-scale itself signs OCI requests (docs/credentials.md); Kasm always needs an API key. */
export const OCI_AUTH_MODES = [
  'api_key',
  'instance_principal',
  'resource_principal',
  'security_token',
] as const;
export type OciAuthMode = (typeof OCI_AUTH_MODES)[number];

export const BASELINES = ['BASELINE_1_1', 'BASELINE_1_2', 'BASELINE_1_8'] as const;

const ocid = (type: string | string[], what: string) => checked(`${what} OCID`, (s) => ocidError(s, type));

/** `ssh-ed25519 AAAA... comment`, one key per line; the base64 blob names the same type. */
export function sshPublicKeyError(s: string): string | undefined {
  const lines = s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length)
    return 'expected an SSH public key such as "ssh-ed25519 AAAA... user@host", not an empty string';
  for (const [i, line] of lines.entries()) {
    const m =
      /^(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/.exec(
        line,
      );
    const where = lines.length > 1 ? `line ${i + 1}: ` : '';
    if (!m) {
      if (/PRIVATE KEY/.test(line))
        return `${where}this is a private key; expected the public key (the .pub file)`;
      return `${where}expected an OpenSSH public key line "<type> <base64> [comment]" with type ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp256/384/521`;
    }
    const blob = Buffer.from(m[2], 'base64');
    const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
    if (len < 0 || blob.subarray(4, 4 + len).toString('latin1') !== m[1])
      return `${where}the base64 part is not a ${m[1]} key (damaged or truncated paste)`;
  }
  return undefined;
}

export function endpointError(s: string): string | undefined {
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'expected an http(s):// base URL';
    return undefined;
  } catch {
    return 'expected a base URL such as http://127.0.0.1:8123';
  }
}

const startupScript = (limitBytes: number, measure: (s: string) => number, limitText: string) =>
  text('the startup script Kasm runs on each new agent').superRefine((s, ctx) => {
    const size = measure(s);
    if (size > limitBytes)
      ctx.addIssue({
        code: 'custom',
        message: `the startup script is ${size} bytes ${limitText}; expected at most ${limitBytes}`,
        input: s,
      });
    for (const message of startupScriptProblems(s)) ctx.addIssue({ code: 'custom', message, input: s });
  });

export const ociStartupScript = startupScript(
  OCI_USER_DATA_LIMIT,
  (s) => Buffer.from(s, 'utf8').toString('base64').length,
  'as base64 user_data',
);

/** Paths inside the override as the translator reports them: `a.b[0].c` → ['a','b',0,'c']. */
function splitPath(p: string): (string | number)[] {
  return p.split('.').flatMap((part) => {
    const out: (string | number)[] = [];
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
    return out;
  });
}

export const ociConfigOverride = jsonField(
  z
    .record(z.string(), z.unknown(), {
      error: 'expected an object such as {"launch_instance_details": {...}}',
    })
    .describe('an object such as {"launch_instance_details": {...}}')
    .superRefine((o, ctx) => {
      // The same translator the launch uses: what it cannot translate is what would be lost.
      for (const p of translateOciOverride(o).problems)
        ctx.addIssue({ code: 'custom', message: p.message, path: splitPath(p.path), input: o });
    }),
  undefined,
);

/** Per-field schemas: the validator and the init wizard use the same ones (same messages). */
export const ociFields = {
  vm_provider_name: z.literal('oci').describe('VM provider: oci'),
  vm_provider_config_name: name('a name for this provider config').describe(
    'Name: the VM provider config name in Kasm, unique in this file',
  ),
  max_instances: int({ what: 'the maximum number of instances' }).describe(
    'Max Instances: the most instances this provider runs at once; integer ≥ 0',
  ),
  startup_script: ociStartupScript
    .optional()
    .describe(
      'Startup Script: run on each new agent, sent as base64 user_data (≤ 16 KB as base64); Kasm fills {tokens}, other braces doubled',
    ),
  startup_script_file: text('the path of the startup script file')
    .optional()
    .describe(
      'Path of the startup script file (~ expands; relative to this file); instead of startup_script',
    ),
  oci_auth: z
    .enum(OCI_AUTH_MODES, {
      error: `expected an auth mode: ${OCI_AUTH_MODES.join(', ')} (see docs/credentials.md)`,
    })
    .optional()
    .describe(
      'kasm-scale only (never sent to Kasm): how kasm-scale signs: api_key (default; oci_user_ocid, oci_fingerprint, oci_private_key), instance_principal (an OCI VM), resource_principal (OCI_RESOURCE_PRINCIPAL_* variables), security_token (a profile from oci session authenticate)',
    ),
  oci_config_file: text('the path of an OCI config file')
    .optional()
    .describe(
      'kasm-scale only, with oci_auth: security_token: the OCI config file holding the session profile (default ~/.oci/config)',
    ),
  oci_profile: text('a profile name')
    .optional()
    .describe(
      'kasm-scale only, with oci_auth: security_token: the profile oci session authenticate wrote (default DEFAULT)',
    ),
  oci_user_ocid: ocid('user', 'a user')
    .optional()
    .describe('User OCID: ocid1.user.oc1..<id> (required with oci_auth: api_key, the default)'),
  oci_fingerprint: pattern(
    /^([0-9a-fA-F]{2}:){15}[0-9a-fA-F]{2}$/,
    "the API key fingerprint: 16 hex pairs joined by ':' (aa:bb:...:ff)",
  )
    .optional()
    .describe(
      'Public Key Fingerprint: 16 hex pairs joined by ":" (aa:bb:...:ff); must match the private key (required with oci_auth: api_key)',
    ),
  oci_private_key: text('the API private key PEM')
    .optional()
    .describe(
      'Private Key: the API signing key PEM (RSA, PKCS#1/PKCS#8, encrypted or not). Secret: inline, ${ENV}, or use oci_private_key_file',
    ),
  oci_private_key_file: text('the path of the API private key PEM file')
    .optional()
    .describe(
      'Path of the API private key PEM file (~ expands; relative to this file); instead of oci_private_key',
    ),
  oci_private_key_passphrase: z
    .string({ error: 'expected the private key passphrase' })
    .optional()
    .describe(
      'Passphrase of an encrypted private key. Secret: inline, ${ENV}, or use oci_private_key_passphrase_file',
    ),
  oci_private_key_passphrase_file: text('the path of a file holding the passphrase')
    .optional()
    .describe(
      'Path of a file holding the private key passphrase, used byte for byte (a trailing newline is part of it)',
    ),
  oci_region: checked('an OCI region identifier', (s) => regionError(s)).describe(
    'Region: an OCI region identifier, such as us-ashburn-1',
  ),
  oci_tenancy_ocid: ocid('tenancy', 'a tenancy').describe('Tenancy OCID: ocid1.tenancy.oc1..<id>'),
  oci_compartment_ocid: ocid(['compartment', 'tenancy'], 'a compartment').describe(
    'Compartment OCID: ocid1.compartment.oc1..<id> (or the tenancy OCID for the root compartment)',
  ),
  oci_nsg_ocids: jsonField(
    z
      .array(ocid('networksecuritygroup', 'a network security group'), {
        error: 'expected a list of network security group OCIDs',
      })
      .describe('a list of NSG OCIDs'),
    [],
  )
    .default([])
    .describe(
      'Network Security Group OCIDs (JSON): a list of ocid1.networksecuritygroup... OCIDs (default [])',
    ),
  oci_availability_domains: jsonField(
    z
      .array(
        pattern(
          /^[A-Za-z0-9]{2,8}:[A-Z0-9-]+-AD-[1-3]$/,
          'an availability domain name such as "BEol:US-ASHBURN-AD-1"',
        ),
        { error: 'expected a list of availability domains' },
      )
      .min(1, { error: 'expected at least one availability domain, such as ["BEol:US-ASHBURN-AD-1"]' })
      .describe('a list of availability domains'),
    [],
  ).describe('Availability Domains (JSON): a non-empty list, such as ["BEol:US-ASHBURN-AD-1"]'),
  oci_image_ocid: ocid('image', 'an image').describe('Image OCID: ocid1.image.oc1.<region>.<id>'),
  oci_shape: pattern(
    /^(VM|BM)\.[A-Za-z0-9]+(\.[A-Za-z0-9_-]+)+$/,
    'a shape name such as VM.Standard.E4.Flex',
  ).describe('Shape: such as VM.Standard.E4.Flex'),
  oci_flex_cpus: int({ min: 1, max: 128, what: 'OCPUs' })
    .optional()
    .describe('Flex CPUs: OCPUs 1–128; required with .Flex shapes, not allowed otherwise'),
  oci_baseline_ocpu_utilization: z
    .enum(BASELINES, { error: `expected one of ${BASELINES.join(', ')}` })
    .optional()
    .describe(
      'Burstable Base CPU Utilization (.Flex shapes only): BASELINE_1_1 (100%), BASELINE_1_2 (50%), BASELINE_1_8 (12.5%)',
    ),
  oci_flex_memory_gb: int({ min: 1, max: 2048, what: 'memory in GB' })
    .optional()
    .describe('Flex Memory GB: 1–64 GB per OCPU; required with .Flex shapes, not allowed otherwise'),
  oci_boot_volume_gb: int({
    min: 50,
    max: 32768,
    what: 'a boot volume size in GB (OCI requires at least 50)',
  }).describe('Boot Volume GB: boot volume size in GB, at least 50'),
  oci_storage_vpus_per_gb: int({ min: 10, max: 120, what: 'VPUs per GB' })
    .refine((n) => n % 10 === 0, { error: 'expected VPUs per GB in steps of 10 (10, 20, ... 120)' })
    .optional()
    .describe('Boot Volume VPUs Per GB: 10–120 in steps of 10'),
  oci_custom_tags: jsonField(
    z
      .record(
        z
          .string()
          .min(1, { error: 'expected a non-empty tag key' })
          .max(100, { error: 'expected a tag key of at most 100 characters' })
          .refine((k) => !k.toLowerCase().startsWith(RESERVED_TAG_PREFIX), {
            error: (i) =>
              `tag "${String(i.input)}" is reserved: kasm-scale-* freeform tags mark the instances kasm-scale launches (ownership, pool, idle time); choose another key`,
          }),
        z
          .string({
            error:
              'expected a string value (freeform tags map strings to strings; quote numbers and booleans)',
          })
          .max(256, { error: 'expected a tag value of at most 256 characters' }),
        { error: 'expected an object of string → string (freeform tags)' },
      )
      // The same value check as the override's freeform_tags (oci-core's model type).
      .superRefine((tags, ctx) => {
        for (const p of ociRestProblems(tags, OCI_MODELS[OCI_ROOT_MODEL].fields.freeformTags.type))
          ctx.addIssue({ code: 'custom', message: p.message, path: p.path, input: undefined });
      })
      .describe('an object of string → string'),
    {},
  )
    .default({})
    .describe('Custom Tags (JSON): freeform tags, an object of string → string (default {})'),
  oci_subnet_ocid: ocid('subnet', 'a subnet').describe('Subnet OCID: ocid1.subnet.oc1.<region>.<id>'),
  oci_ssh_public_key: checked('an SSH public key', sshPublicKeyError)
    .optional()
    .describe('SSH Public Key: OpenSSH public key line(s), such as ssh-ed25519 AAAA... user@host'),
  oci_config_override: ociConfigOverride
    .optional()
    .describe(
      'OCI Config Override (JSON): {"launch_instance_details": {...}} in the Python SDK snake_case (with OCI_MODEL_NAME) or camelCase; real LaunchInstanceDetails fields only',
    ),
  spot: z
    .boolean({ error: 'expected true or false' })
    .optional()
    .describe(
      'kasm-scale: true launches preemptible capacity (preemptibleInstanceConfig, TERMINATE, boot volume not kept); config submit writes it into oci_config_override. See docs/spot.md',
    ),
  price: priceSchema,
  endpoint: checked('a base URL', endpointError)
    .optional()
    .describe(
      'kasm-scale only (never sent to Kasm): OCI API base URL, such as a local emulator (http://127.0.0.1:<port>)',
    ),
};

export const ociInputSchema = z.strictObject(ociFields).describe('An OCI VM provider config (Kasm keys)');

/**
 * The resolved provider. The loader has replaced each `*_file` key by the value it names;
 * a secret still missing is reported by the cross-field checks, so `?? ''` is never seen
 * in a config that passed validation.
 */
export const ociSchema = ociInputSchema.transform(
  ({
    startup_script_file: _s,
    oci_private_key_file: _k,
    oci_private_key_passphrase_file: _p,
    startup_script,
    oci_private_key,
    ...rest
  }) => ({
    ...rest,
    startup_script: startup_script ?? '',
    oci_auth: rest.oci_auth ?? ('api_key' as OciAuthMode),
    // Required with api_key (checks/oci.ts); unused by the other modes.
    oci_user_ocid: rest.oci_user_ocid ?? '',
    oci_fingerprint: rest.oci_fingerprint ?? '',
    oci_private_key: oci_private_key ?? '',
  }),
);

export type OciProvider = z.output<typeof ociSchema>;
export type BaselineOcpuUtilization = (typeof BASELINES)[number];
