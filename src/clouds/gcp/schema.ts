import { gcpOverrideProblems } from './override.js';
import { GCP_MESSAGES } from './fields.generated.js';
import { gcpMessageProblems } from './values.js';
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { priceSchema } from '../../core/price.js';
import { TAG_IDLE_SINCE, TAG_MANAGED, TAG_POOL, TAG_SERVER_ID } from '../ownership.js';
import {
  bool,
  checked,
  int,
  jsonField,
  jsonSchemaAs,
  name,
  pattern,
  text,
} from '../../core/fields/common.js';
import { endpointError } from '../oci/schema.js';
import { startupScriptProblems } from '../../core/fields/startup-script-schema.js';

/**
 * One GCP VM provider config: Kasm's keys, kasm-scale's own `endpoint`, and the `*_file`
 * keys. Limits follow GCP's documentation (summarised in docs/clouds.md); cross-field
 * rules (zone in region, script key vs metadata, ...) are in ../checks/gcp.ts.
 */

/** GCP allows 256 KiB per metadata value; the script is one value (raw bytes). */
export const GCP_METADATA_VALUE_LIMIT = 256 * 1024;
/** All metadata keys and values together. */
export const GCP_METADATA_TOTAL_LIMIT = 512 * 1024;
/** Labels kasm-scale adds to every instance it launches (ownership); users may not set them. */
export const RESERVED_LABELS = [TAG_MANAGED, TAG_POOL, TAG_SERVER_ID, TAG_IDLE_SINCE];
export const GCP_MAX_LABELS = 64;

export const OS_TYPES = ['linux', 'windows'] as const;
/** How kasm-scale itself authenticates to Compute (docs/credentials.md); Kasm always needs a key. */
export const GCP_AUTH_MODES = ['service_account_key', 'adc'] as const;
export type GcpAuthMode = (typeof GCP_AUTH_MODES)[number];
export const SCRIPT_TYPES = [
  'startup-script',
  'windows-startup-script-ps1',
  'windows-startup-script-cmd',
  'windows-startup-script-bat',
] as const;
export const DISK_TYPES = [
  'pd-standard',
  'pd-balanced',
  'pd-ssd',
  'pd-extreme',
  'hyperdisk-balanced',
  'hyperdisk-balanced-high-availability',
  'hyperdisk-extreme',
  'hyperdisk-ml',
  'hyperdisk-throughput',
] as const;

const NAME = '[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?';
const PROJECT = '[a-z][-a-z0-9]{4,28}[a-z0-9]';
/** A project may also be domain-scoped: `example.com:my-project`. */
const PROJECT_ANY = `(?:[a-z][-a-z0-9.]*[a-z0-9]:)?${PROJECT}`;
const REGION = '[a-z]+-[a-z]+[0-9]+';
const API = '(?:https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta|alpha)/)?';

export const GCP_PATTERNS = {
  project: new RegExp(`^${PROJECT_ANY}$`),
  region: new RegExp(`^${REGION}$`),
  zone: new RegExp(`^${REGION}-[a-z]$`),
  image: new RegExp(`^${API}projects/${PROJECT_ANY}/global/images/(?:family/)?${NAME}$`),
  network: new RegExp(`^${API}(?:projects/${PROJECT_ANY}/)?global/networks/${NAME}$`),
  subnetwork: new RegExp(`^${API}(?:projects/${PROJECT_ANY}/)?regions/(${REGION})/subnetworks/${NAME}$`),
  cmek: /^projects\/[^/]+\/locations\/[a-z0-9-]+\/keyRings\/[A-Za-z0-9_-]{1,63}\/cryptoKeys\/[A-Za-z0-9_-]{1,63}(\/cryptoKeyVersions\/\d+)?$/,
  accelerator: new RegExp(
    `^${API}(?:projects/${PROJECT_ANY}/)?zones/(${REGION}-[a-z])/acceleratorTypes/[a-z0-9-]+$|^[a-z0-9]+(?:-[a-z0-9]+)+$`,
  ),
  machineType: /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/,
  networkTag: new RegExp(`^${NAME}$`),
  labelKey: /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u,
  labelValue: /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u,
  metadataKey: /^[a-zA-Z0-9_-]+$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
};

/**
 * The same value checks as gcp_config_override, for the fields that land in the Instance
 * as-is (metadata items, service account, accelerators): the generated proto tables
 * catch what the hand-written shapes let through (an int32 that would wrap, ...).
 * Runs only when the shape above it passed, so a value is reported once.
 */
function protoChecked(message: string, list: boolean) {
  if (!GCP_MESSAGES[message]) throw new Error(`${message} is not in the generated compute tables`);
  return (v: unknown, ctx: z.RefinementCtx) => {
    const items = list && Array.isArray(v) ? v.map((x, i) => [x, [i]] as const) : [[v, []] as const];
    for (const [item, at] of items)
      for (const p of gcpMessageProblems(item, message, {}, [...at]))
        ctx.addIssue({ code: 'custom', message: p.message, path: p.path, input: undefined });
  };
}

/** Why `json` is not a usable service account key (never echoes key material). */
export function serviceAccountKeyErrors(o: Record<string, unknown>): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (o.type !== 'service_account')
    out.push({
      path: ['type'],
      message: `expected "type": "service_account" (a service account key JSON from IAM > Service accounts > Keys)${typeof o.type === 'string' ? `, not "${o.type}"` : ''}`,
    });
  if (typeof o.client_email !== 'string' || !GCP_PATTERNS.email.test(o.client_email))
    out.push({
      path: ['client_email'],
      message: 'expected client_email, the service account e-mail address',
    });
  if (typeof o.private_key !== 'string' || !o.private_key.includes('PRIVATE KEY'))
    out.push({ path: ['private_key'], message: 'expected private_key, a PEM private key' });
  else {
    try {
      createPrivateKey({ key: o.private_key, format: 'pem' });
    } catch {
      out.push({
        path: ['private_key'],
        message: 'private_key does not parse as a PEM private key (damaged or truncated; download a new key)',
      });
    }
  }
  return out;
}

export const gcpCredentials = jsonField(
  z
    .looseObject(
      {
        type: z.literal('service_account'),
        project_id: z.string().optional(),
        private_key_id: z.string().optional(),
        private_key: z.string(),
        client_email: z.string(),
        client_id: z.string().optional(),
        token_uri: z.string().optional(),
      },
      { error: 'expected a service account key JSON object' },
    )
    .describe('a service account key JSON object'),
  undefined,
);

/** The credential checks with our wording (zod's own would be terser), run before the shape. */
const gcpCredentialsChecked = z
  .unknown()
  .superRefine((v, ctx) => {
    let o = v;
    if (typeof v === 'string' && v.trim() !== '') {
      try {
        o = JSON.parse(v);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'expected the service account key JSON; this is not valid JSON',
          input: '(secret)',
        });
        return;
      }
    }
    if (o === undefined || o === '') return;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected the service account key JSON object',
        input: '(secret)',
      });
      return;
    }
    for (const e of serviceAccountKeyErrors(o as Record<string, unknown>))
      ctx.addIssue({ code: 'custom', message: e.message, path: e.path, input: '(secret)' });
  })
  .pipe(gcpCredentials);
jsonSchemaAs.set(gcpCredentialsChecked, gcpCredentials);

export const gcpStartupScript = text('the startup script Kasm runs on each new agent').superRefine(
  (s, ctx) => {
    const size = Buffer.byteLength(s, 'utf8');
    if (size > GCP_METADATA_VALUE_LIMIT)
      ctx.addIssue({
        code: 'custom',
        message: `the startup script is ${size} bytes; expected at most ${GCP_METADATA_VALUE_LIMIT} (GCP's limit for one metadata value)`,
        input: s,
      });
    for (const message of startupScriptProblems(s)) ctx.addIssue({ code: 'custom', message, input: s });
  },
);

const labelKey = z.string().superRefine((k, ctx) => {
  if (RESERVED_LABELS.includes(k))
    ctx.addIssue({
      code: 'custom',
      message: `label "${k}" is reserved: kasm-scale sets it on every instance it launches to mark ownership`,
      input: k,
    });
  else if (!GCP_PATTERNS.labelKey.test(k))
    ctx.addIssue({
      code: 'custom',
      message:
        'expected a label key of 1–63 lowercase letters, digits, "_" or "-", starting with a lowercase letter',
      input: k,
    });
});

export const gcpFields = {
  vm_provider_name: z.literal('gcp').describe('VM provider: gcp'),
  vm_provider_config_name: name('a name for this provider config').describe(
    'Name: the VM provider config name in Kasm, unique in this file',
  ),
  max_instances: int({ what: 'the maximum number of instances' }).describe(
    'Max Instances: the most instances this provider runs at once; integer ≥ 0',
  ),
  startup_script: gcpStartupScript
    .optional()
    .describe(
      'Startup Script: run on each new agent, one metadata value (≤ 256 KB); Kasm fills {tokens}, other braces doubled',
    ),
  startup_script_file: text('the path of the startup script file')
    .optional()
    .describe(
      'Path of the startup script file (~ expands; relative to this file); instead of startup_script',
    ),
  gcp_auth: z
    .enum(GCP_AUTH_MODES, {
      error: `expected an auth mode: ${GCP_AUTH_MODES.join(' or ')} (see docs/credentials.md)`,
    })
    .optional()
    .describe(
      'kasm-scale only (never sent to Kasm): how kasm-scale authenticates: service_account_key (default; gcp_credentials) or adc (Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, the GCE/GKE metadata server, workload identity federation) instead of gcp_credentials',
    ),
  gcp_credentials: gcpCredentialsChecked
    .optional()
    .describe(
      'GCP Credentials (JSON): a service account key JSON (type service_account, private_key, client_email). Secret: inline, ${ENV}, or use gcp_credentials_file',
    ),
  gcp_credentials_file: text('the path of the service account key JSON file')
    .optional()
    .describe(
      'Path of the service account key JSON file (~ expands; relative to this file); instead of gcp_credentials',
    ),
  gcp_project: pattern(
    GCP_PATTERNS.project,
    'a project ID: 6–30 lowercase letters, digits or hyphens, starting with a letter (such as pensive-voice-547511)',
  ).describe('Project ID: 6–30 lowercase letters, digits or hyphens, such as pensive-voice-547511'),
  gcp_region: pattern(GCP_PATTERNS.region, 'a region such as us-east4').describe('Region: such as us-east4'),
  gcp_zone: pattern(GCP_PATTERNS.zone, 'a zone such as us-east4-b').describe(
    'Zone: such as us-east4-b; must be in gcp_region',
  ),
  gcp_machine_type: pattern(GCP_PATTERNS.machineType, 'a machine type such as e2-standard-2').describe(
    'Machine Type: such as e2-standard-2',
  ),
  gcp_image: pattern(
    GCP_PATTERNS.image,
    'an image path such as projects/ubuntu-os-cloud/global/images/ubuntu-2004-focal-v20211212 (or .../images/family/<family>)',
  ).describe(
    'Machine Image: projects/<p>/global/images/<name> or projects/<p>/global/images/family/<family>',
  ),
  gcp_boot_volume_gb: int({
    min: 50,
    max: 65536,
    what: 'a boot volume size in GB (Kasm requires at least 50)',
  }).describe('Boot Volume GB: boot disk size in GB, at least 50'),
  // Checked against GCP's list but typed as string (the contract type): new disk types appear often.
  gcp_disk_type: z
    .string({ error: `expected a disk type: one of ${DISK_TYPES.join(', ')}` })
    .refine((s) => (DISK_TYPES as readonly string[]).includes(s), {
      error: `expected a disk type: one of ${DISK_TYPES.join(', ')}`,
    })
    .meta({ examples: [...DISK_TYPES] })
    .describe('Disk Type: pd-standard, pd-balanced, pd-ssd, pd-extreme or hyperdisk-*'),
  gcp_cmek: pattern(GCP_PATTERNS.cmek, 'a key path projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>')
    .optional()
    .describe(
      'Customer Managed Encryption Key: projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k> (optional)',
    ),
  gcp_network: pattern(
    GCP_PATTERNS.network,
    'a network path such as projects/<project>/global/networks/default',
  ).describe('Network: projects/<p>/global/networks/<n>'),
  gcp_subnetwork: pattern(
    GCP_PATTERNS.subnetwork,
    'a subnetwork path such as projects/<project>/regions/<region>/subnetworks/default',
  ).describe('Sub Network: projects/<p>/regions/<region>/subnetworks/<s>, region = gcp_region'),
  gcp_public_ip: bool().default(false).describe('Public IP: give instances an external IP (default false)'),
  gcp_network_tags: jsonField(
    z
      .array(
        pattern(
          GCP_PATTERNS.networkTag,
          'a network tag of 1–63 lowercase letters, digits or "-", starting with a letter and not ending with "-"',
        ),
        { error: 'expected a list of network tags' },
      )
      .max(64, { error: 'expected at most 64 network tags' })
      .describe('a list of network tags'),
    [],
  )
    .default([])
    .describe('Network Tags (JSON): a list of at most 64 tags, such as ["https-server"] (default [])'),
  gcp_custom_labels: jsonField(
    z
      .record(
        labelKey,
        z
          .string({ error: 'expected a string label value (quote numbers and booleans)' })
          .regex(GCP_PATTERNS.labelValue, {
            error: 'expected a label value of at most 63 lowercase letters, digits, "_" or "-"',
          }),
        {
          error: 'expected an object of label → value',
        },
      )
      .refine((o) => Object.keys(o).length <= GCP_MAX_LABELS - 3, {
        error: `expected at most ${GCP_MAX_LABELS - 3} labels (GCP allows ${GCP_MAX_LABELS}; kasm-scale adds 3 ownership labels)`,
      })
      .describe('an object of label → value'),
    {},
  )
    .default({})
    .describe(
      'Custom Labels (JSON): an object of label → value, at most 61 (kasm-scale adds 3); kasm-scale-* keys are reserved (default {})',
    ),
  gcp_metadata: jsonField(
    z
      .array(
        z.strictObject(
          {
            key: z
              .string({ error: 'expected a metadata key' })
              .regex(GCP_PATTERNS.metadataKey, {
                error: 'expected a metadata key of letters, digits, "_" or "-"',
              })
              .refine((k) => Buffer.byteLength(k) < 128, {
                error: 'expected a metadata key shorter than 128 bytes',
              }),
            value: z
              .string({ error: 'expected a string value (quote numbers and booleans)' })
              .refine((v) => Buffer.byteLength(v) <= GCP_METADATA_VALUE_LIMIT, {
                error: `expected a metadata value of at most ${GCP_METADATA_VALUE_LIMIT} bytes`,
              }),
          },
          { error: 'expected an item {"key": ..., "value": ...}' },
        ),
        { error: 'expected a list of {"key": ..., "value": ...} items' },
      )
      .superRefine(protoChecked('Items', true))
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((it, i) => {
          if (seen.has(it.key))
            ctx.addIssue({
              code: 'custom',
              message: `duplicate metadata key "${it.key}"; expected each key once`,
              path: [i, 'key'],
              input: it.key,
            });
          seen.add(it.key);
        });
      })
      .describe('a list of {"key": ..., "value": ...} items'),
    [],
  )
    .default([])
    .describe(
      'Metadata (JSON): a list of {"key": ..., "value": ...} items, unique keys, not the startup script key (default [])',
    ),
  gcp_service_account: jsonField(
    z
      .strictObject(
        {
          email: pattern(
            GCP_PATTERNS.email,
            'the service account e-mail, such as name@project.iam.gserviceaccount.com',
          ),
          scopes: z.array(text('an OAuth scope such as https://www.googleapis.com/auth/cloud-platform'), {
            error: 'expected a list of OAuth scopes',
          }),
        },
        { error: 'expected {"email": ..., "scopes": [...]}' },
      )
      .superRefine(protoChecked('ServiceAccount', false))
      .describe('{"email": ..., "scopes": [...]}'),
    undefined,
  )
    .optional()
    .describe('Service Account (JSON): {"email": ..., "scopes": [...]} the instances run as (optional)'),
  gcp_guest_accelerators: jsonField(
    z
      .array(
        z.strictObject(
          {
            acceleratorType: pattern(
              GCP_PATTERNS.accelerator,
              'an accelerator type such as projects/<p>/zones/<zone>/acceleratorTypes/nvidia-tesla-t4',
            ),
            acceleratorCount: int({ min: 1, what: 'an accelerator count' }),
          },
          { error: 'expected {"acceleratorType": ..., "acceleratorCount": N}' },
        ),
        { error: 'expected a list of {"acceleratorType": ..., "acceleratorCount": N}' },
      )
      .superRefine(protoChecked('AcceleratorConfig', true))
      .describe('a list of {"acceleratorType": ..., "acceleratorCount": N}'),
    [],
  )
    .default([])
    .describe(
      'Guest Accelerators (JSON): a list of {"acceleratorType": ..., "acceleratorCount": N} offered in gcp_zone (default [])',
    ),
  gcp_config_override: jsonField(
    z
      .record(z.string(), z.unknown(), { error: 'expected an object merged into the instance request' })
      .superRefine((o, ctx) => {
        for (const k of ['name', 'labels'])
          if (Object.hasOwn(o, k))
            ctx.addIssue({
              code: 'custom',
              message: `the override may not set "${k}" (Kasm and kasm-scale set it); use gcp_custom_labels for labels`,
              path: [k],
              input: o[k],
            });
        for (const p of gcpOverrideProblems(o))
          ctx.addIssue({ code: 'custom', message: p.message, path: p.path, input: undefined });
      })
      .describe('an object merged into the instance request'),
    undefined,
  )
    .optional()
    .describe(
      'GCP Config Override (JSON): an object merged into the Instance request; may not set name or labels',
    ),
  vm_installed_os_type: z
    .enum(OS_TYPES, { error: 'expected linux or windows' })
    .default('linux')
    .describe('VM Installed OS Type: linux or windows (default linux)'),
  startup_script_type: z
    .enum(SCRIPT_TYPES, { error: `expected one of ${SCRIPT_TYPES.join(', ')}` })
    .optional()
    .describe(
      'Startup Script Type: the metadata key for the script: startup-script (Linux default), windows-startup-script-ps1 (Windows default), -cmd or -bat',
    ),
  spot: z
    .boolean({ error: 'expected true or false' })
    .optional()
    .describe(
      'kasm-scale: true launches Spot VMs (scheduling.provisioningModel SPOT, instanceTerminationAction DELETE); config submit writes it into gcp_config_override. See docs/spot.md',
    ),
  price: priceSchema,
  endpoint: checked('a base URL', endpointError)
    .optional()
    .describe(
      'kasm-scale only (never sent to Kasm): Compute API base URL, such as a local emulator (http://127.0.0.1:<port>)',
    ),
};

export const gcpInputSchema = z.strictObject(gcpFields).describe('A GCP VM provider config (Kasm keys)');

/** Resolved: `*_file` keys gone (the loader read them), the script type defaulted by OS type. */
export const gcpSchema = gcpInputSchema.transform(
  ({ startup_script_file: _s, gcp_credentials_file: _c, startup_script, gcp_credentials, ...rest }) => ({
    ...rest,
    startup_script: startup_script ?? '',
    gcp_auth: rest.gcp_auth ?? ('service_account_key' as GcpAuthMode),
    // Read from gcp_credentials_file by the loader; reported by checks/gcp.ts when missing.
    gcp_credentials: gcp_credentials ?? {
      type: 'service_account' as const,
      private_key: '',
      client_email: '',
    },
    startup_script_type: rest.startup_script_type ?? defaultScriptType(rest.vm_installed_os_type),
  }),
);

export function defaultScriptType(os: (typeof OS_TYPES)[number]): (typeof SCRIPT_TYPES)[number] {
  return os === 'windows' ? 'windows-startup-script-ps1' : 'startup-script';
}

export type GcpProvider = z.output<typeof gcpSchema>;
export type GcpServiceAccountKey = z.output<typeof gcpCredentials>;
export type GcpMetadataItem = GcpProvider['gcp_metadata'][number];
export type GcpGuestAccelerator = GcpProvider['gcp_guest_accelerators'][number];
