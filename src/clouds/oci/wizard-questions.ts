/**
 * OCI's questions in `kasm-scale init`: the API key (made or read), the tenancy, network
 * and shape, and the ~/.oci/config profile. The flow that walks them is wizard.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  absPath,
  checkInt,
  checkText,
  fieldCheck,
  fileProblem,
  readText,
  via,
} from '../../core/wizard/answer-checks.js';
import { parseList, parseMap } from '../../core/wizard/parse.js';
import type { Answers, Question, WizardCtx } from '../../core/wizard/question.js';
import { findSections, splitLines } from './ini.js';
import { inspectKey, keySizeProblem } from './key-inspect.js';
import { ociFields as oci } from './schema.js';

/** What OCI's questions see beyond every cloud's context. */
export interface OciWizardCtx extends WizardCtx {
  /** oci-cli config file the profile goes into (--oci-config). */
  ociConfigFile: string;
  /** Set by the flow once the OCI key has been read or generated. */
  keyEncrypted?: boolean;
  /** Set by the flow when OCI listed the region's availability domains (wizard-ads.ts). */
  availabilityDomains?: string[];
}

type OciQuestion = Question<OciWizardCtx>;

const isFlex = (a: Answers) => typeof a.oci_shape === 'string' && /\.Flex$/i.test(a.oci_shape.trim());

/** Looks like a PEM private key that needs a passphrase (the flow asks for one). */
export function pemLooksEncrypted(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text);
}

/** An SSH key answer: the key line itself, or the path of a .pub file; empty skips it. */
export function sshKeyText(raw: string, ctx: { home: string }): string {
  const t = raw.trim();
  if (t === '' || /^(ssh-|ecdsa-|sk-)/.test(t)) return t;
  return readText(t, ctx).trim();
}

function defaultSshKey(_a: Answers, ctx: WizardCtx): string {
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

export const OCI_KEY: OciQuestion[] = [
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

export const OCI_KEY_ADDED: OciQuestion = {
  id: 'oci_key_added',
  kind: 'confirm',
  message: 'Have you added the public key in the OCI console?',
  default: true,
};

/** The availability domains question: the flow lists the region's ADs just before it. */
export const ADS = 'oci_availability_domains';

export const OCI: OciQuestion[] = [
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
    // Listed from OCI when the key works (wizard.ts → wizard-ads.ts): all of them, as
    // launches fall through to the next AD when one is out of capacity.
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

export const OCI_PROFILE: OciQuestion = {
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

/** Every OCI question id, in the order the flow may ask them. */
export const OCI_QUESTION_IDS = [...OCI_KEY, OCI_KEY_ADDED, ...OCI, OCI_PROFILE].map((q) => q.id);
