import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Output } from '../core/output.js';
import { generateKeyFiles } from '../keys/generate.js';
import { inspectKey } from '../clouds/oci/key-inspect.js';
import type { CloudName } from '../clouds/registry.js';
import { listRegionAds, type OciKeyResult } from './ads.js';
import {
  absPath,
  ADS,
  AGENT,
  type Choice,
  type Answers,
  AUTOSCALE,
  type Ctx,
  GCP,
  KASM,
  OCI,
  OCI_KEY,
  OCI_KEY_ADDED,
  OCI_PROFILE,
  pemLooksEncrypted,
  type Question,
  START,
} from './questions.js';

/**
 * The wizard's one flow. It never talks to a terminal itself: every answer comes from
 * `ask` (inquirer on a TTY, the answers file when unattended), and every line it shows
 * goes through Output, so both modes walk exactly the same path.
 *
 * `ask` gets the question, its default, the check for a typed answer, and the values to
 * pick from when they are known (Question.pick); it returns the accepted answer (text, or
 * a boolean for a confirm).
 */
export type Ask = (
  q: Question,
  def: string | boolean | undefined,
  check: (raw: string) => string | undefined,
  pick?: Choice[],
) => Promise<string | boolean>;

export interface FlowResult {
  answers: Answers;
  key?: OciKeyResult;
}

export interface FlowDeps {
  ask: Ask;
  out: Output;
  ctx: Ctx;
  /** Unattended: no human to wait for (the "key added?" pause is skipped, the key is made last). */
  unattended: boolean;
  /** An answer for this question id is already given (answers file): nothing to look up for it. */
  given?: (id: string) => boolean;
  /** Bound on listing the availability domains (default ads.ts ADS_TIMEOUT_MS). */
  adsTimeoutMs?: number;
}

/** Values typed as `none` mean "leave this out" for optional questions with a default. */
function normalize(q: Question, raw: string): string {
  return q.optional && raw.trim().toLowerCase() === 'none' ? '' : raw;
}

async function askOne(q: Question, answers: Answers, deps: FlowDeps): Promise<void> {
  if (q.when && !q.when(answers, deps.ctx)) return;
  const def = typeof q.default === 'function' ? q.default(answers, deps.ctx) : q.default;
  const check = (raw: string): string | undefined => {
    const v = normalize(q, raw);
    if (v.trim() === '' && q.optional) return undefined;
    if (v.trim() === '' && q.kind !== 'password') return `an answer is needed (${q.message})`;
    return q.validate?.(v, answers, deps.ctx);
  };
  const pick = q.pick?.(answers, deps.ctx);
  const value = await deps.ask(q, def, check, pick?.length ? pick : undefined);
  answers[q.id] = typeof value === 'string' ? normalize(q, value).trim() : value;
}

async function askAll(list: Question[], answers: Answers, deps: FlowDeps): Promise<void> {
  for (const q of list) await askOne(q, answers, deps);
}

export async function runFlow(deps: FlowDeps, answers: Answers = {}): Promise<FlowResult> {
  await askAll(START, answers, deps);
  const key = await CLOUD_FLOW[answers.cloud as CloudName](answers, deps);
  return { answers, key };
}

/** Each cloud's part of the flow, ending with the questions every cloud shares (askRest). */
const CLOUD_FLOW: Record<CloudName, (answers: Answers, deps: FlowDeps) => Promise<OciKeyResult | undefined>> =
  {
    oci: ociFlow,
    gcp: async (answers, deps) => {
      await askAll(GCP, answers, deps);
      await askRest(answers, deps);
      return undefined;
    },
  };

/** OCI: the API key (made or read), its upload, the OCI questions, then ~/.oci/config's profile. */
async function ociFlow(answers: Answers, deps: FlowDeps): Promise<OciKeyResult> {
  const { out } = deps;
  await askOne(OCI_KEY[0], answers, deps);
  await askOne(OCI_KEY[1], answers, deps);
  if (answers.oci_key_source === 'existing')
    deps.ctx.keyEncrypted = pemLooksEncrypted(
      readFileSync(absPath(String(answers.oci_private_key_file), deps.ctx), 'utf8'),
    );
  await askOne(OCI_KEY[2], answers, deps);
  if (deps.unattended) {
    // No one to paste the key before the next question: check every answer first, so a
    // bad answer leaves nothing behind, then make the key. An existing key is only read,
    // so it is read now and can list the availability domains.
    const existing = answers.oci_key_source === 'existing' ? await ociKey(answers, deps) : undefined;
    await askOci(answers, deps, existing);
    await askRest(answers, deps);
    await askOne(OCI_PROFILE, answers, deps);
    const key = existing ?? (await ociKey(answers, deps));
    showPublicKey(out, key);
    return key;
  }
  const key = await ociKey(answers, deps);
  showPublicKey(out, key);
  await waitForKeyAdded(answers, deps);
  await askOci(answers, deps, key);
  await askRest(answers, deps);
  await askOne(OCI_PROFILE, answers, deps);
  return key;
}

/**
 * The OCI questions; just before the availability domains (key, user, tenancy and region
 * known, the key said to be uploaded), the region's ADs are listed and become the default.
 */
async function askOci(answers: Answers, deps: FlowDeps, key: OciKeyResult | undefined): Promise<void> {
  for (const q of OCI) {
    if (q.id === ADS && !deps.given?.(ADS)) {
      deps.ctx.availabilityDomains = await listRegionAds(answers, deps.ctx, {
        out: deps.out,
        key,
        timeoutMs: deps.adsTimeoutMs,
      });
    }
    await askOne(q, answers, deps);
  }
}

/** The questions every cloud shares, after the cloud-specific ones. */
async function askRest(answers: Answers, deps: FlowDeps): Promise<void> {
  await askAll(AGENT, answers, deps);
  await askAll(KASM, answers, deps);
  await askAll(AUTOSCALE, answers, deps);
}

/** Generates the key pair (as `keys generate`) or reads the chosen key's public half. */
async function ociKey(answers: Answers, deps: FlowDeps): Promise<OciKeyResult> {
  const file = absPath(String(answers.oci_private_key_file), deps.ctx);
  if (answers.oci_key_source === 'generate') {
    const progress = deps.out.progress('Generating an RSA 2048 key pair…');
    try {
      const name = basename(file, '.pem');
      for (const f of [`${name}.pem`, `${name}_public.pem`])
        await deps.ctx.journal?.record(join(dirname(file), f));
      const g = await generateKeyFiles({
        dir: dirname(file),
        name: basename(file, '.pem'),
        force: deps.ctx.force,
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
      ? absPath(answers.oci_private_key_passphrase_file, deps.ctx)
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

async function waitForKeyAdded(answers: Answers, deps: FlowDeps): Promise<void> {
  if (deps.unattended) {
    answers[OCI_KEY_ADDED.id] = true;
    return;
  }
  for (;;) {
    await askOne(OCI_KEY_ADDED, answers, deps);
    if (answers[OCI_KEY_ADDED.id] === true) return;
    deps.out.info(
      'The key works only once OCI knows it: paste the public key above in the console, then answer yes.',
    );
  }
}
