import { readFileSync } from 'node:fs';
import type { Output } from '../../core/output.js';
import type { Answers } from '../../core/wizard/question.js';
import type { CloudError } from '../types.js';

/** The API key the wizard settled on (generated or found); the ADs lookup signs with it. */
export interface OciKeyResult {
  privateKeyFile: string;
  publicKeyFile?: string;
  fingerprint: string;
  publicKeyPem: string;
  generated: boolean;
  passphraseFile?: string;
}

/**
 * Offering the region's availability domains in `init`. Their names carry a
 * per-tenancy prefix (`BEol:US-ASHBURN-AD-1`) that people cannot guess, so once the key
 * is known and (the person says) uploaded, init asks OCI for them — one attempt, bounded,
 * with the same client code as the adapter. Any failure is only a note: the person types
 * them as before.
 */

/** Long enough for a slow link to OCI, short enough that a person is not left waiting. */
export const ADS_TIMEOUT_MS = 10_000;

export interface ListAdsOptions {
  out: Output;
  /** Undefined: the key does not exist yet (unattended runs make a new key last). */
  key: OciKeyResult | undefined;
  /** --oci-endpoint: where OCI calls go instead of the region's public endpoint. */
  endpoint: string | undefined;
  timeoutMs?: number;
}

/** The region's AD names, or undefined after printing one line saying why not. */
export async function listRegionAds(answers: Answers, opts: ListAdsOptions): Promise<string[] | undefined> {
  const { out, key } = opts;
  const region = String(answers.oci_region);
  const note = (why: string) =>
    out.info(`Could not list the availability domains of ${region}: ${why}; type them instead.`);
  if (!key) {
    note('the new key is made at the end of an unattended run, so OCI cannot know it yet');
    return undefined;
  }
  const progress = out.progress(`Listing the availability domains of ${region}…`);
  try {
    const { listAvailabilityDomains } = await import('./identity.js');
    const ads = await listAvailabilityDomains(
      {
        vm_provider_config_name: String(answers.vm_provider_config_name),
        oci_user_ocid: String(answers.oci_user_ocid),
        oci_tenancy_ocid: String(answers.oci_tenancy_ocid),
        oci_fingerprint: key.fingerprint,
        oci_private_key: readFileSync(key.privateKeyFile, 'utf8'),
        // Byte for byte, as the config loader reads oci_private_key_passphrase_file.
        oci_private_key_passphrase: key.passphraseFile ? readFileSync(key.passphraseFile, 'utf8') : undefined,
        oci_region: region,
        endpoint: opts.endpoint,
      },
      { timeoutMs: opts.timeoutMs ?? ADS_TIMEOUT_MS },
    );
    if (ads.length === 0) {
      progress.stop();
      note('OCI listed none for this tenancy');
      return undefined;
    }
    progress.succeed(`Availability domains in ${region}: ${ads.join(', ')}`);
    return ads;
  } catch (err) {
    progress.stop();
    note(why(err));
    return undefined;
  }
}

/** The likely cause in a few words (the full classified line is for doctor). */
function why(err: unknown): string {
  const e = err as Partial<CloudError> & { message?: string };
  if (e.kind === 'auth' && e.status === 401)
    return 'OCI refused the key (not uploaded yet, or uploaded for another user; check the user and tenancy OCIDs)';
  if (e.kind === 'auth' && e.status === 403) return 'the user may not list them (HTTP 403)';
  if (e.kind === 'not_found') return 'the tenancy OCID is not found or not authorized for this user';
  const line = String(e.message ?? err).split('\n')[0];
  return line.replace(/^OCI ListAvailabilityDomains:?\s*/, '');
}
