import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLOUD_LIST, cloudNamed, isCloudName } from '../clouds/registry.js';
import { findSections, splitLines } from '../keys/ini.js';
import { expandHome } from '../core/files.js';
import { inspectKey, keySizeProblem } from '../clouds/oci/key-inspect.js';
import { autoscale, type FieldCheck, fieldCheck, gcp, kasm, oci } from './fields.js';
import { AnswerFormatError, parseAccelerators, parseIntLoose, parseList, parseMap } from './parse.js';

/**
 * Every question `kasm-scale init` asks, as data. The flow (flow.ts) walks these lists in
 * order and asks each through an injected `ask`: inquirer on a terminal, the answers file
 * when unattended. The `id` is the key in an answers file (docs/init.md, "Unattended", lists them).
 *
 * `validate` returns the problem with a typed answer (the config schema's own message) or
 * undefined; `value` turns the typed text into what the config file holds.
 */

export type Answers = Record<string, string | boolean>;

import type { WriteJournal } from './journal.js';

export interface Ctx {
  env: NodeJS.ProcessEnv;
  home: string;
  force: boolean;
  /** oci-cli config file the profile goes into. */
  ociConfigFile: string;
  /** Set by the flow once the OCI key has been read or generated. */
  keyEncrypted?: boolean;
  /** The answers file names a file holding the Kasm API key secret: the secret is not asked. */
  kasmSecretFileGiven?: boolean;
  /** `--oci-endpoint`: where OCI calls go instead of the region's public endpoint; written as the provider's `endpoint`. */
  ociEndpoint?: string;
  /** `--gcp-endpoint`: the same for GCP (the Compute API base URL). */
  gcpEndpoint?: string;
  /** The answers file names a file holding the Kasm manager token: the token is not asked. */
  managerTokenFileGiven?: boolean;
  /** KASM_MANAGER_TOKEN is set and no answer gives the token: the config refers to the variable. */
  managerTokenInEnv?: boolean;
  /** Set by the flow when OCI listed the region's availability domains (ads.ts). */
  availabilityDomains?: string[];
  /** Every file this run writes is recorded here first, so a failed run can take it back. */
  journal?: WriteJournal;
}

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

export interface Question {
  id: string;
  kind: 'input' | 'password' | 'select' | 'confirm';
  message: string;
  default?: string | boolean | ((a: Answers, ctx: Ctx) => string | boolean | undefined);
  choices?: Choice[];
  when?: (a: Answers, ctx: Ctx) => boolean;
  /** Empty text is a valid answer (the key is left out or empty). */
  optional?: boolean;
  validate?: (raw: string, a: Answers, ctx: Ctx) => string | undefined;
  /**
   * Known values to pick from: a terminal then shows a checkbox (the default's values
   * ticked) instead of a text input; the answer is the ticked values, comma-separated.
   */
  pick?: (a: Answers, ctx: Ctx) => Choice[] | undefined;
}

/** A check of `value(raw)` against a config field schema; text format errors first. */
function via(convert: (raw: string) => unknown, check: FieldCheck) {
  return (raw: string): string | undefined => {
    let v: unknown;
    try {
      v = convert(raw);
    } catch (err) {
      if (err instanceof AnswerFormatError) return err.message;
      throw err;
    }
    return check(v);
  };
}
const asText = (raw: string) => raw.trim();
const checkText = (s: Parameters<typeof fieldCheck>[0]) => via(asText, fieldCheck(s));
const checkInt = (s: Parameters<typeof fieldCheck>[0]) => via(parseIntLoose, fieldCheck(s));

/** `~/x` and relative paths → absolute (relative to the current folder). */
export function absPath(raw: string, ctx: Ctx): string {
  return resolve(expandHome(raw.trim(), ctx.home));
}

/** Why `raw` is not a readable file; undefined when it is. */
export function fileProblem(raw: string, ctx: Ctx, what: string): string | undefined {
  if (raw.trim() === '') return `expected the path of ${what}`;
  const p = absPath(raw, ctx);
  try {
    const st = statSync(p);
    if (st.isDirectory()) return `${p} is a folder; expected the path of ${what}`;
    readFileSync(p);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${p} does not exist; expected the path of ${what}`;
    if (code === 'EACCES') return `${p} cannot be read (permission denied)`;
    return `${p} cannot be read (${code ?? 'error'})`;
  }
}

export function readText(raw: string, ctx: Ctx): string {
  return readFileSync(absPath(raw, ctx), 'utf8');
}

const isFlex = (a: Answers) => typeof a.oci_shape === 'string' && /\.Flex$/i.test(a.oci_shape.trim());

/** Looks like a PEM private key that needs a passphrase (the flow asks for one). */
export function pemLooksEncrypted(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text);
}

/** An SSH key answer: the key line itself, or the path of a .pub file; empty skips it. */
export function sshKeyText(raw: string, ctx: Ctx): string {
  const t = raw.trim();
  if (t === '' || /^(ssh-|ecdsa-|sk-)/.test(t)) return t;
  return readText(t, ctx).trim();
}

/** The startup script answer: empty = the built-in Docker agent template, else a file. */
export const TEMPLATE = '';

function defaultSshKey(_a: Answers, ctx: Ctx): string {
  for (const f of ['id_ed25519.pub', 'id_rsa.pub', 'id_ecdsa.pub']) {
    if (existsSync(resolve(ctx.home, '.ssh', f))) return `~/.ssh/${f}`;
  }
  return '';
}

function profileExists(file: string, name: string): boolean {
  try {
    return findSections(splitLines(readFileSync(file, 'utf8')), name).length > 0;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------

export const START: Question[] = [
  {
    id: 'cloud',
    kind: 'select',
    message: 'Which cloud will run the Kasm agents?',
    choices: CLOUD_LIST.map((c) => ({ value: c.name, name: c.label })),
    default: CLOUD_LIST[0]!.name,
    validate: (raw) =>
      isCloudName(raw) ? undefined : `expected ${CLOUD_LIST.map((c) => `'${c.name}'`).join(' or ')}`,
  },
  {
    id: 'vm_provider_config_name',
    kind: 'input',
    message: 'Name of this VM provider config (as Kasm will show it)',
    default: (a) => `${String(a.cloud)}-agents`,
    validate: checkText(oci.vm_provider_config_name),
  },
];

export const OCI_KEY: Question[] = [
  {
    id: 'oci_key_source',
    kind: 'select',
    message: 'OCI API key',
    choices: [
      { value: 'generate', name: 'Generate a new key pair (as kasm-scale keys generate)' },
      { value: 'existing', name: 'Use an existing private key file' },
    ],
    default: 'generate',
    validate: (raw) =>
      raw === 'generate' || raw === 'existing' ? undefined : "expected 'generate' or 'existing'",
  },
  {
    id: 'oci_private_key_file',
    kind: 'input',
    message: 'Private key file',
    default: '~/.oci/oci_api_key.pem',
    validate: (raw, a, ctx) => {
      const p = absPath(raw, ctx);
      if (a.oci_key_source === 'generate') {
        if (!/\.pem$/.test(p))
          return 'expected a file name ending in .pem (the public key goes next to it as NAME_public.pem)';
        const pub = p.replace(/\.pem$/, '_public.pem');
        const taken = [p, pub].filter((f) => existsSync(f));
        if (taken.length && !ctx.force)
          return `${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}; choose another path, or "Use an existing private key file"`;
        return undefined;
      }
      const problem = fileProblem(raw, ctx, 'the API private key PEM file');
      if (problem) return problem;
      const text = readText(raw, ctx);
      if (pemLooksEncrypted(text)) return undefined; // the passphrase question checks it
      return keyProblem(text, undefined, p);
    },
  },
  {
    id: 'oci_private_key_passphrase_file',
    kind: 'input',
    message: 'The key is encrypted: file holding its passphrase',
    when: (a, ctx) => a.oci_key_source === 'existing' && ctx.keyEncrypted === true,
    validate: (raw, a, ctx) => {
      const problem = fileProblem(raw, ctx, 'a file holding the passphrase');
      if (problem) return problem;
      return keyProblem(
        readText(String(a.oci_private_key_file), ctx),
        readFileSync(absPath(raw, ctx)),
        absPath(String(a.oci_private_key_file), ctx),
      );
    },
  },
];

/** inspectKey's one line (InputError) as a prompt message. */
function keyProblem(text: string, passphrase: Buffer | undefined, path: string): string | undefined {
  try {
    const k = inspectKey(text, passphrase, {
      source: `key file ${path}`,
      passphraseFlag: 'oci_private_key_passphrase_file',
    });
    if (k.kind !== 'private')
      return `${path} is a public key; expected the private key (the .pem without _public)`;
    return keySizeProblem(k, path);
  } catch (err) {
    const e = err as { message: string; hint?: string };
    return e.hint ? `${e.message}; ${e.hint}` : e.message;
  }
}

export const OCI_KEY_ADDED: Question = {
  id: 'oci_key_added',
  kind: 'confirm',
  message: 'Have you added the public key in the OCI console?',
  default: true,
};

/** The availability domains question: the flow lists the region's ADs just before it. */
export const ADS = 'oci_availability_domains';

export const OCI: Question[] = [
  {
    id: 'oci_user_ocid',
    kind: 'input',
    message: 'User OCID (Profile → User Settings → OCID)',
    validate: checkText(oci.oci_user_ocid),
  },
  {
    id: 'oci_tenancy_ocid',
    kind: 'input',
    message: 'Tenancy OCID (Profile → Tenancy → OCID)',
    validate: checkText(oci.oci_tenancy_ocid),
  },
  {
    id: 'oci_compartment_ocid',
    kind: 'input',
    message: 'Compartment OCID for the agents (the tenancy OCID is the root compartment)',
    default: (a) => (typeof a.oci_tenancy_ocid === 'string' ? a.oci_tenancy_ocid : undefined),
    validate: checkText(oci.oci_compartment_ocid),
  },
  {
    id: 'oci_region',
    kind: 'input',
    message: 'Region',
    default: 'us-ashburn-1',
    validate: checkText(oci.oci_region),
  },
  {
    id: ADS,
    kind: 'input',
    message: 'Availability domains, comma-separated (e.g. BEol:US-ASHBURN-AD-1, BEol:US-ASHBURN-AD-2)',
    // Listed from OCI when the key works (flow.ts → ads.ts): all of them, as launches
    // fall through to the next AD when one is out of capacity.
    default: (_a, ctx) => ctx.availabilityDomains?.join(', '),
    pick: (_a, ctx) => ctx.availabilityDomains?.map((name) => ({ value: name, name })),
    validate: via(parseList, fieldCheck(oci.oci_availability_domains)),
  },
  {
    id: 'oci_shape',
    kind: 'input',
    message: 'Shape',
    default: 'VM.Standard.E4.Flex',
    validate: checkText(oci.oci_shape),
  },
  {
    id: 'oci_flex_cpus',
    kind: 'input',
    message: 'Flex OCPUs per agent',
    default: '2',
    when: isFlex,
    validate: checkInt(oci.oci_flex_cpus),
  },
  {
    id: 'oci_flex_memory_gb',
    kind: 'input',
    message: 'Flex memory per agent, GB (1–64 GB per OCPU)',
    default: '16',
    when: isFlex,
    validate: (raw, a) => {
      const base = checkInt(oci.oci_flex_memory_gb)(raw);
      if (base) return base;
      const cpus = Number(a.oci_flex_cpus);
      const gb = Number(raw.trim());
      if (cpus > 0 && (gb < cpus || gb > cpus * 64))
        return `expected ${cpus}–${cpus * 64} GB for ${cpus} OCPUs (OCI allows 1–64 GB per OCPU)`;
      return undefined;
    },
  },
  {
    id: 'oci_baseline_ocpu_utilization',
    kind: 'select',
    message: 'Burstable baseline CPU utilization',
    when: isFlex,
    choices: [
      { value: 'BASELINE_1_1', name: '100% (not burstable)' },
      { value: 'BASELINE_1_2', name: '50%' },
      { value: 'BASELINE_1_8', name: '12.5%' },
    ],
    default: 'BASELINE_1_1',
    validate: checkText(oci.oci_baseline_ocpu_utilization),
  },
  {
    id: 'oci_image_ocid',
    kind: 'input',
    message: 'Image OCID (Ubuntu 22.04 or another image Kasm supports)',
    validate: checkText(oci.oci_image_ocid),
  },
  {
    id: 'oci_subnet_ocid',
    kind: 'input',
    message: 'Subnet OCID',
    validate: checkText(oci.oci_subnet_ocid),
  },
  {
    id: 'oci_nsg_ocids',
    kind: 'input',
    message: 'Network security group OCIDs, comma-separated (empty for none)',
    optional: true,
    validate: via(parseList, fieldCheck(oci.oci_nsg_ocids)),
  },
  {
    id: 'oci_ssh_public_key',
    kind: 'input',
    message: 'SSH public key for the agents: a .pub file or the key itself (empty for none)',
    default: defaultSshKey,
    optional: true,
    validate: (raw, _a, ctx) => {
      const t = raw.trim();
      if (t === '') return undefined;
      if (!/^(ssh-|ecdsa-|sk-)/.test(t)) {
        const problem = fileProblem(t, ctx, 'an SSH public key (.pub) file');
        if (problem) return problem;
      }
      return fieldCheck(oci.oci_ssh_public_key)(sshKeyText(t, ctx));
    },
  },
  {
    id: 'oci_boot_volume_gb',
    kind: 'input',
    message: 'Boot volume, GB (at least 50)',
    default: '80',
    validate: checkInt(oci.oci_boot_volume_gb),
  },
  {
    id: 'oci_custom_tags',
    kind: 'input',
    message: 'Freeform tags, key=value comma-separated (empty for none)',
    optional: true,
    validate: via(parseMap, fieldCheck(oci.oci_custom_tags)),
  },
];

export const GCP: Question[] = [
  {
    id: 'gcp_credentials_file',
    kind: 'input',
    message: 'Service account key JSON file',
    validate: (raw, _a, ctx) => {
      const problem = fileProblem(raw, ctx, 'the service account key JSON file');
      if (problem) return problem;
      let json: unknown;
      try {
        json = JSON.parse(readText(raw, ctx));
      } catch {
        return `${absPath(raw, ctx)} is not JSON; expected the service account key file downloaded from IAM → Service Accounts → Keys`;
      }
      return fieldCheck(gcp.gcp_credentials)(json);
    },
  },
  {
    id: 'gcp_project',
    kind: 'input',
    message: 'Project ID',
    default: (a, ctx) => {
      try {
        const j = JSON.parse(readText(String(a.gcp_credentials_file), ctx)) as { project_id?: string };
        return j.project_id;
      } catch {
        return undefined;
      }
    },
    validate: checkText(gcp.gcp_project),
  },
  {
    id: 'gcp_region',
    kind: 'input',
    message: 'Region',
    default: 'us-east4',
    validate: checkText(gcp.gcp_region),
  },
  {
    id: 'gcp_zone',
    kind: 'input',
    message: 'Zone',
    default: (a) => `${String(a.gcp_region)}-b`,
    validate: (raw, a) => {
      const base = checkText(gcp.gcp_zone)(raw);
      if (base) return base;
      const region = String(a.gcp_region);
      return raw.trim().startsWith(`${region}-`)
        ? undefined
        : `zone ${raw.trim()} is not in region ${region}; expected a zone such as ${region}-b`;
    },
  },
  {
    id: 'gcp_machine_type',
    kind: 'input',
    message: 'Machine type',
    default: 'e2-standard-4',
    validate: checkText(gcp.gcp_machine_type),
  },
  {
    id: 'gcp_image',
    kind: 'input',
    message: 'Image',
    default: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    validate: checkText(gcp.gcp_image),
  },
  {
    id: 'gcp_boot_volume_gb',
    kind: 'input',
    message: 'Boot volume, GB (at least 50)',
    default: '80',
    validate: checkInt(gcp.gcp_boot_volume_gb),
  },
  {
    id: 'gcp_disk_type',
    kind: 'input',
    message: 'Disk type',
    default: 'pd-balanced',
    validate: checkText(gcp.gcp_disk_type),
  },
  {
    id: 'gcp_network',
    kind: 'input',
    message: 'Network',
    default: (a) => `projects/${String(a.gcp_project)}/global/networks/default`,
    validate: checkText(gcp.gcp_network),
  },
  {
    id: 'gcp_subnetwork',
    kind: 'input',
    message: 'Subnetwork',
    default: (a) => `projects/${String(a.gcp_project)}/regions/${String(a.gcp_region)}/subnetworks/default`,
    validate: (raw, a) => {
      const base = checkText(gcp.gcp_subnetwork)(raw);
      if (base) return base;
      const m = /\/regions\/([^/]+)\//.exec(raw);
      return m && m[1] !== a.gcp_region
        ? `the subnetwork is in region ${m[1]}, not ${String(a.gcp_region)}; expected projects/<p>/regions/${String(a.gcp_region)}/subnetworks/<name>`
        : undefined;
    },
  },
  { id: 'gcp_public_ip', kind: 'confirm', message: 'Give agents a public IP?', default: true },
  {
    id: 'gcp_custom_labels',
    kind: 'input',
    message: 'Labels, key=value comma-separated (empty for none)',
    optional: true,
    validate: via(parseMap, fieldCheck(gcp.gcp_custom_labels)),
  },
  {
    id: 'gcp_network_tags',
    kind: 'input',
    message: 'Network tags, comma-separated (empty for none)',
    optional: true,
    validate: via(parseList, fieldCheck(gcp.gcp_network_tags)),
  },
  {
    id: 'gcp_guest_accelerators',
    kind: 'input',
    message: 'GPUs per agent as TYPE:COUNT, e.g. nvidia-tesla-t4:1 (empty for none)',
    optional: true,
    validate: via(parseAccelerators, fieldCheck(gcp.gcp_guest_accelerators)),
  },
];

/** Startup script and max instances: both clouds, after the cloud-specific questions. */
export const AGENT: Question[] = [
  {
    id: 'startup_script_file',
    kind: 'input',
    message: "Startup script file (empty: start from kasm-scale's Docker agent template)",
    optional: true,
    validate: (raw, a, ctx) => {
      if (raw.trim() === TEMPLATE) return undefined;
      const problem = fileProblem(raw, ctx, 'the startup script');
      if (problem) return problem;
      return fieldCheck((cloudNamed(a.cloud) ?? CLOUD_LIST[0]!).fields.startup_script!)(readText(raw, ctx));
    },
  },
  {
    id: 'max_instances',
    kind: 'input',
    message: 'Most agents this provider may run at once (max_instances)',
    default: '10',
    validate: checkInt(oci.max_instances),
  },
];

export const KASM: Question[] = [
  {
    id: 'kasm_url',
    kind: 'input',
    message: 'Kasm URL (e.g. https://kasm.example.com)',
    validate: checkText(kasm.url),
  },
  {
    id: 'kasm_api_key',
    kind: 'input',
    message: 'Kasm API key (Admin → Settings → Developers → API Keys)',
    validate: checkText(kasm.api_key),
  },
  {
    id: 'kasm_api_key_secret',
    kind: 'password',
    message: 'Kasm API key secret (stored in a 0600 file, not in the config)',
    when: (_a, ctx) => !ctx.kasmSecretFileGiven,
    validate: (raw) =>
      raw.trim() === '' ? 'expected the Kasm API key secret, not an empty string' : undefined,
  },
  {
    id: 'kasm_manager_token',
    kind: 'password',
    message:
      "Kasm manager token, filled into the startup script's {manager_token} so a new agent can join (stored in a 0600 file)",
    // Not asked when the environment has it (and no answer gives it): the config then says ${KASM_MANAGER_TOKEN}.
    when: (a, ctx) => !ctx.managerTokenFileGiven && !ctx.managerTokenInEnv && scriptNeedsManagerToken(a, ctx),
    validate: (raw) =>
      raw.trim() === ''
        ? 'expected the Kasm manager token (the startup script uses {manager_token}), not an empty string'
        : undefined,
  },
];

/** The built-in template uses {manager_token}; a script of the user's own may not. */
function scriptNeedsManagerToken(a: Answers, ctx: Ctx): boolean {
  const file = String(a.startup_script_file ?? '').trim();
  if (file === TEMPLATE) return true;
  try {
    return readText(file, ctx).includes('{manager_token}');
  } catch {
    return true;
  }
}

export const AUTOSCALE: Question[] = [
  {
    id: 'autoscale_config_name',
    kind: 'input',
    message: 'Autoscale config name',
    default: (a) => String(a.vm_provider_config_name),
    validate: checkText(autoscale.autoscale_config_name),
  },
  {
    id: 'zone_name',
    kind: 'input',
    message: 'Kasm zone whose agents this scales',
    default: 'default',
    validate: checkText(autoscale.zone_name),
  },
  {
    id: 'standby_cores',
    kind: 'input',
    message: 'Standby cores (free cores to keep ready)',
    default: '4',
    validate: checkInt(autoscale.standby_cores),
  },
  {
    id: 'standby_memory_mb',
    kind: 'input',
    message: 'Standby memory, MB',
    default: '8192',
    validate: checkInt(autoscale.standby_memory_mb),
  },
  {
    id: 'standby_gpus',
    kind: 'input',
    message: 'Standby GPUs',
    default: '0',
    validate: checkInt(autoscale.standby_gpus),
  },
  {
    id: 'downscale_backoff',
    kind: 'input',
    message: 'Downscale backoff, seconds an agent must be idle before removal',
    default: '900',
    validate: checkInt(autoscale.downscale_backoff),
  },
  {
    id: 'minimum_instances',
    kind: 'input',
    message: 'Minimum agents to keep running',
    default: '0',
    validate: checkInt(autoscale.minimum_instances),
  },
];

export const OCI_PROFILE: Question = {
  id: 'oci_profile',
  kind: 'input',
  message: 'Profile name to write in the OCI config file',
  default: (a, ctx) =>
    profileExists(ctx.ociConfigFile, 'DEFAULT') ? String(a.vm_provider_config_name) : 'DEFAULT',
  validate: (raw, _a, ctx) => {
    const name = raw.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(name))
      return 'expected a profile name of letters, digits, ".", "_", "@" or "-"';
    if (profileExists(ctx.ociConfigFile, name) && !ctx.force)
      return `profile [${name}] already exists in ${ctx.ociConfigFile}; choose another name (or rerun with --force to replace it)`;
    return undefined;
  },
};

/** Every question id, for the answers-file check (a misspelt key is an error). */
export function allQuestions(): Question[] {
  return [...START, ...OCI_KEY, OCI_KEY_ADDED, ...OCI, ...GCP, ...AGENT, ...KASM, ...AUTOSCALE, OCI_PROFILE];
}

/** Answers-file-only keys (no prompt): a secret given as a file instead of typed. */
export const EXTRA_ANSWER_KEYS = ['kasm_api_key_secret_file', 'kasm_manager_token_file'] as const;

/** Values for the config from the typed answers. */
export const convert = { parseList, parseMap, parseAccelerators, parseIntLoose };
