/**
 * OCI's part of `kasm-scale init`: the API key (generated as `keys generate` does, or an
 * existing one read), its upload, the OCI questions with the region's availability domains
 * listed, the questions every cloud shares, then the ~/.oci/config profile.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Output } from '../../core/output.js';
import { checkWritableTarget, expandHome } from '../../core/files.js';
import { absPath, displayPath } from '../../core/wizard/answer-checks.js';
import { parseIntLoose, parseList, parseMap } from '../../core/wizard/parse.js';
import type { CloudWizard, WizardHost } from '../wizard-types.js';
import { writeOciConfigProfile } from './config-profile.js';
import { generateKeyFiles } from './key-generate.js';
import { inspectKey } from './key-inspect.js';
import { listRegionAds, type OciKeyResult } from './wizard-ads.js';
import {
  ADS,
  OCI,
  OCI_KEY,
  OCI_KEY_ADDED,
  OCI_PROFILE,
  OCI_QUESTION_IDS,
  type OciWizardCtx,
  pemLooksEncrypted,
  sshKeyText,
} from './wizard-questions.js';

const num = (v: unknown) => parseIntLoose(String(v ?? ''));
const str = (v: unknown) => String(v ?? '').trim();

/** A fresh wizard per init run (it keeps the --oci-config file between prepare and run). */
export function ociWizard(): CloudWizard {
  let ociConfigFile: string | undefined;
  return {
    endpointFlag: {
      flag: '--oci-endpoint',
      what: 'an OCI-compatible API, e.g. http://127.0.0.1:8123 for kasm-scale emulator oci',
    },
    questionIds: OCI_QUESTION_IDS,
    // The profile is written at the end: its file is checked before the first write (the key pair).
    prepare: async (ctx, flags) => {
      const given = typeof flags.ociConfig === 'string' ? flags.ociConfig : undefined;
      ociConfigFile = resolve(expandHome(given ?? '~/.oci/config', ctx.home));
      await checkWritableTarget(ociConfigFile, 'OCI config file');
    },
    run: async (host) => {
      const ctx: OciWizardCtx = {
        ...host.ctx,
        ociConfigFile: ociConfigFile ?? resolve(expandHome('~/.oci/config', host.ctx.home)),
      };
      const key = await ociFlow(host, ctx);
      return {
        writeBeside: () => writeProfile(host, ctx, key),
        section: (common) => ociSection(host, key, common),
      };
    },
  };
}

/** The API key first (made or read), its upload, the OCI questions, then ~/.oci/config's profile. */
async function ociFlow(host: WizardHost, ctx: OciWizardCtx): Promise<OciKeyResult> {
  const { answers, out } = host;
  await host.ask(OCI_KEY[0]!, ctx);
  await host.ask(OCI_KEY[1]!, ctx);
  if (answers.oci_key_source === 'existing')
    ctx.keyEncrypted = pemLooksEncrypted(
      readFileSync(absPath(String(answers.oci_private_key_file), ctx), 'utf8'),
    );
  await host.ask(OCI_KEY[2]!, ctx);
  if (host.unattended) {
    // No one to paste the key before the next question: check every answer first, so a
    // bad answer leaves nothing behind, then make the key. An existing key is only read,
    // so it is read now and can list the availability domains.
    const existing = answers.oci_key_source === 'existing' ? await ociKey(host, ctx) : undefined;
    await askOci(host, ctx, existing);
    await host.askShared();
    await host.ask(OCI_PROFILE, ctx);
    const key = existing ?? (await ociKey(host, ctx));
    showPublicKey(out, key);
    return key;
  }
  const key = await ociKey(host, ctx);
  showPublicKey(out, key);
  await waitForKeyAdded(host, ctx);
  await askOci(host, ctx, key);
  await host.askShared();
  await host.ask(OCI_PROFILE, ctx);
  return key;
}

/**
 * The OCI questions; just before the availability domains (key, user, tenancy and region
 * known, the key said to be uploaded), the region's ADs are listed and become the default.
 */
async function askOci(host: WizardHost, ctx: OciWizardCtx, key: OciKeyResult | undefined): Promise<void> {
  for (const q of OCI) {
    if (q.id === ADS && !host.given(ADS)) {
      ctx.availabilityDomains = await listRegionAds(host.answers, {
        out: host.out,
        key,
        endpoint: host.endpoint,
      });
    }
    await host.ask(q, ctx);
  }
}

/** Generates the key pair (as `keys generate`) or reads the chosen key's public half. */
async function ociKey(host: WizardHost, ctx: OciWizardCtx): Promise<OciKeyResult> {
  const { answers } = host;
  const file = absPath(String(answers.oci_private_key_file), ctx);
  if (answers.oci_key_source === 'generate') {
    const progress = host.out.progress('Generating an RSA 2048 key pair…');
    try {
      const name = basename(file, '.pem');
      for (const f of [`${name}.pem`, `${name}_public.pem`])
        await ctx.journal?.record(join(dirname(file), f));
      const g = await generateKeyFiles({
        dir: dirname(file),
        name: basename(file, '.pem'),
        force: ctx.force,
      });
      progress.succeed(`Wrote ${g.private_key_file} and ${g.public_key_file} (0600)`);
      return {
        privateKeyFile: g.private_key_file,
        publicKeyFile: g.public_key_file,
        fingerprint: g.fingerprint,
        publicKeyPem: g.public_key_pem,
        generated: true,
      };
    } catch (err) {
      progress.fail();
      throw err;
    }
  }
  const passFile =
    typeof answers.oci_private_key_passphrase_file === 'string' && answers.oci_private_key_passphrase_file
      ? absPath(answers.oci_private_key_passphrase_file, ctx)
      : undefined;
  const info = inspectKey(readFileSync(file, 'utf8'), passFile ? readFileSync(passFile) : undefined, {
    source: `key file ${file}`,
  });
  return {
    privateKeyFile: file,
    fingerprint: info.fingerprint,
    publicKeyPem: info.publicKeyPem,
    generated: false,
    passphraseFile: passFile,
  };
}

function showPublicKey(out: Output, key: OciKeyResult): void {
  const c = out.color;
  out.info('');
  out.info(c.bold('Add this public key to your OCI user:'));
  out.info('  OCI console: Profile → User Settings → API keys → Add API Key → Paste a public key');
  out.info('');
  out.info(key.publicKeyPem.trimEnd());
  out.info('');
  out.info(`Fingerprint: ${c.bold(key.fingerprint)}  (the console shows the same after you add the key)`);
  out.info('');
}

async function waitForKeyAdded(host: WizardHost, ctx: OciWizardCtx): Promise<void> {
  if (host.unattended) {
    host.answers[OCI_KEY_ADDED.id] = true;
    return;
  }
  for (;;) {
    await host.ask(OCI_KEY_ADDED, ctx);
    if (host.answers[OCI_KEY_ADDED.id] === true) return;
    host.out.info(
      'The key works only once OCI knows it: paste the public key above in the console, then answer yes.',
    );
  }
}

/** The key's profile in ~/.oci/config (oci-cli and the SDK read it). */
async function writeProfile(host: WizardHost, ctx: OciWizardCtx, key: OciKeyResult): Promise<void> {
  const { answers: a, out } = host;
  await ctx.journal?.record(ctx.ociConfigFile);
  const r = await writeOciConfigProfile({
    user: String(a.oci_user_ocid),
    tenancy: String(a.oci_tenancy_ocid),
    region: String(a.oci_region),
    keyFile: key.privateKeyFile,
    profile: String(a.oci_profile),
    config: ctx.ociConfigFile,
    force: ctx.force,
    passphrase: key.passphraseFile ? readFileSync(key.passphraseFile) : undefined,
  });
  out.info(
    `${out.color.green('✓')} ${r.action === 'added' ? 'Added' : 'Replaced'} profile [${r.profile}] in ${r.config_file}`,
  );
  // The passphrase stays in its own file; oci-cli asks for it (or add pass_phrase yourself).
  if (r.passphrase_needed)
    out.info(`  the key is encrypted: the profile has no pass_phrase, so oci-cli will ask for it`);
}

function ociSection(
  host: WizardHost,
  key: OciKeyResult,
  common: Record<string, unknown>,
): Record<string, unknown> {
  const { answers: a, ctx, endpoint } = host;
  const p = (file: string) => displayPath(file, ctx.home);
  const flex = /\.Flex$/i.test(str(a.oci_shape));
  const ssh = str(a.oci_ssh_public_key) ? sshKeyText(str(a.oci_ssh_public_key), ctx) : '';
  return {
    vm_provider_name: 'oci',
    ...common,
    oci_user_ocid: str(a.oci_user_ocid),
    oci_tenancy_ocid: str(a.oci_tenancy_ocid),
    oci_compartment_ocid: str(a.oci_compartment_ocid),
    oci_fingerprint: key.fingerprint,
    oci_private_key_file: p(key.privateKeyFile),
    ...(key.passphraseFile ? { oci_private_key_passphrase_file: p(key.passphraseFile) } : {}),
    oci_region: str(a.oci_region),
    oci_availability_domains: parseList(str(a.oci_availability_domains)),
    oci_shape: str(a.oci_shape),
    ...(flex
      ? {
          oci_flex_cpus: num(a.oci_flex_cpus),
          oci_flex_memory_gb: num(a.oci_flex_memory_gb),
          oci_baseline_ocpu_utilization: str(a.oci_baseline_ocpu_utilization),
        }
      : {}),
    oci_image_ocid: str(a.oci_image_ocid),
    oci_subnet_ocid: str(a.oci_subnet_ocid),
    oci_nsg_ocids: parseList(str(a.oci_nsg_ocids)),
    oci_boot_volume_gb: num(a.oci_boot_volume_gb),
    oci_custom_tags: parseMap(str(a.oci_custom_tags)),
    ...(ssh ? { oci_ssh_public_key: ssh } : {}),
    // --oci-endpoint: the provider talks to the same place init did (staging, emulator).
    ...(endpoint ? { endpoint } : {}),
  };
}
