import { isAbsolute, dirname, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Output } from '../../core/output.js';
import type { KasmClient } from '../../kasm/types.js';
import type { KasmScaleConfig, KasmSection, Provider } from '../types.js';
import { executeSubmit, type SubmitOutcome } from './execute.js';
import { planSubmit, type SubmitPlan } from './plan.js';
import { printSubmit, submitDocument } from './report.js';

export { planSubmit, diffConfig } from './plan.js';
export { executeSubmit } from './execute.js';
export { toKasmPayload, KASM_KEYS, SECRET_FIELDS, JSON_FIELDS } from './payload.js';

export interface SubmitRun {
  plan: SubmitPlan;
  outcomes: SubmitOutcome[];
}

/** List Kasm's configs, plan, and (unless dry run) carry the plan out. */
export async function submitProviders(
  providers: Provider[],
  client: KasmClient,
  opts: { dryRun: boolean; resendSecrets?: boolean },
): Promise<SubmitRun> {
  const existing = await client.getVmProviderConfigs();
  const plan = planSubmit(providers, existing, { resendSecrets: opts.resendSecrets });
  const outcomes = await executeSubmit(plan, client, opts);
  return { plan, outcomes };
}

/** `--provider NAME`: the providers to submit (every one when no name is given). */
export function selectProviders(
  config: Pick<KasmScaleConfig, 'providers' | 'file'>,
  name?: string,
): Provider[] {
  if (name === undefined) return config.providers;
  const hit = config.providers.filter((p) => p.vm_provider_config_name === name);
  if (hit.length === 0) {
    const names = config.providers.map((p) => `"${p.vm_provider_config_name}"`).join(', ') || 'none';
    throw new InputError(`${config.file} has no provider named "${name}"`, {
      hint: `--provider takes a vm_provider_config_name: ${names}`,
    });
  }
  return hit;
}

/**
 * The auth mode of an entry that holds no key for Kasm (`gcp_auth: adc`, `oci_auth:
 * instance_principal`...), or undefined. Kasm launches agents from its own servers with the
 * key in the provider config; the identity kasm-scale borrows from the machine it runs on
 * is not something Kasm can use, so there is nothing to send.
 */
export function keylessAuth(p: Provider): string | undefined {
  const r = p as unknown as { gcp_auth?: string; oci_auth?: string };
  if (r.gcp_auth !== undefined && r.gcp_auth !== 'service_account_key') return `gcp_auth: ${r.gcp_auth}`;
  if (r.oci_auth !== undefined && r.oci_auth !== 'api_key') return `oci_auth: ${r.oci_auth}`;
  return undefined;
}

/** Nothing is sent when one selected entry has no key for Kasm (exit 2, before any call). */
function refuseKeyless(file: string, providers: Provider[]): void {
  for (const p of providers) {
    const mode = keylessAuth(p);
    if (!mode) continue;
    throw new InputError(
      `${file}: provider ${p.vm_provider_config_name} uses ${mode}, so it holds no key for Kasm, which launches agents with the key in its provider config`,
      {
        hint: `submit it from a config whose entry holds the key (gcp_credentials, or oci_user_ocid and oci_private_key; reconcile and doctor may keep using ${mode}; see docs/credentials.md), or choose others with --provider`,
      },
    );
  }
}

/** A relative `kasm.ca_file` is relative to the config file, like every other path in it. */
export function kasmSectionFor(config: Pick<KasmScaleConfig, 'kasm' | 'file'>): KasmSection {
  const k = config.kasm;
  if (!k)
    throw new InputError(`${config.file} has no kasm section`, {
      hint: 'add kasm: {url, api_key, api_key_secret} to submit provider configs',
    });
  if (!k.api_key_secret)
    throw new InputError(`${config.file}: kasm.api_key_secret is empty`, {
      hint: 'set it inline, as ${ENV_VAR}, or with kasm.api_key_secret_file',
    });
  const ca = k.ca_file;
  if (ca && !ca.trimStart().startsWith('-----BEGIN') && !ca.startsWith('~') && !isAbsolute(ca))
    return { ...k, ca_file: resolve(dirname(config.file), ca) };
  return k;
}

/** What `config submit` hands over once the file is loaded (see config/command.ts). */
export interface SubmitFlags {
  provider?: string;
  dryRun: boolean;
  resendSecrets?: boolean;
}

export async function submitLoadedConfig(
  config: KasmScaleConfig,
  opts: SubmitFlags,
  out: Output,
): Promise<number> {
  const providers = selectProviders(config, opts.provider);
  refuseKeyless(config.file, providers);
  const section = kasmSectionFor(config);
  const { createKasmClient } = await import('../../kasm/client.js');
  const client = createKasmClient(section);
  if (providers.length === 0) out.info(`${config.file} has no providers to submit`);
  out.debug(`listing VM provider configs at ${client.baseUrl}`);
  const { plan, outcomes } = await submitProviders(providers, client, {
    dryRun: opts.dryRun,
    resendSecrets: opts.resendSecrets,
  });
  if (out.json) out.printJson(submitDocument(client.baseUrl, config.file, plan, outcomes, opts.dryRun));
  else printSubmit(out, client.baseUrl, plan, outcomes, opts.dryRun);
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}
