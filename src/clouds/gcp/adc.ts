/**
 * `gcp_auth: adc`: Application Default Credentials, found the way Google's own libraries
 * find them (google-auth-library, which @google-cloud/compute already uses):
 *   1. GOOGLE_APPLICATION_CREDENTIALS: a service account key, or an external_account file
 *      (workload identity federation: an OIDC token from a file is exchanged at Google's
 *      STS, optionally for a service account's token);
 *   2. gcloud's well-known file (`gcloud auth application-default login`);
 *   3. the metadata server on GCE/GKE (GCE_METADATA_HOST points it elsewhere).
 * We do not reimplement any of it: the library's GoogleAuth is handed to the clients. What
 * we add is one early token fetch, so a missing or broken identity is one clear line
 * before any call, and a description of the identity for `doctor` (never a secret).
 */
import type { googleAuthLibrary as Gal } from 'google-gax';
import { oneLine } from '../../core/errors.js';
import type { GcpProvider } from './schema.js';
import { CloudError } from '../types.js';

type GoogleAuth = Gal.GoogleAuth;

/** Compute accepts cloud-platform and compute; cloud-platform is what GKE/GCE grant by default. */
export const ADC_SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export type AdcSource = 'key_file' | 'external_account' | 'metadata_server' | 'gcloud_user' | 'other';

export interface AdcIdentity {
  source: AdcSource;
  /** Service account e-mail, or a description of a federated principal: never a secret. */
  principal: string;
  /** Where it came from, for people: a path, a metadata host, an STS audience. */
  from: string;
}

const METADATA_DEFAULT = '169.254.169.254';

export function metadataHostLabel(env: NodeJS.ProcessEnv = process.env): string {
  return env.GCE_METADATA_IP || env.GCE_METADATA_HOST || METADATA_DEFAULT;
}

/** Builds the library's GoogleAuth (lazily loaded through google-gax, the same copy the clients use). */
export async function newAdcAuth(p: Pick<GcpProvider, 'gcp_project'>): Promise<GoogleAuth> {
  const { googleAuthLibrary } = await import('google-gax');
  return new googleAuthLibrary.GoogleAuth({ scopes: ADC_SCOPES, projectId: p.gcp_project });
}

/**
 * Resolves the credential and fetches its first access token (the library caches it for
 * the clients). Throws CloudError 'auth' with a one-line message and the fix.
 */
export async function primeAdc(
  auth: GoogleAuth,
  p: Pick<GcpProvider, 'vm_provider_config_name'>,
): Promise<void> {
  try {
    const client = await auth.getClient();
    await client.getAccessToken();
  } catch (err) {
    throw adcError(err, p.vm_provider_config_name);
  }
}

/** What went wrong finding or using ADC, as one line that names no token. */
export function adcError(err: unknown, provider: string, env: NodeJS.ProcessEnv = process.env): CloudError {
  const raw = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
  const status = (err as { response?: { status?: number }; status?: number })?.response?.status;
  const what = `provider ${provider}: gcp_auth: adc`;
  let message: string;
  if (/Could not load the default credentials/i.test(raw)) {
    const gac = env.GOOGLE_APPLICATION_CREDENTIALS;
    message = gac
      ? `${what}: GOOGLE_APPLICATION_CREDENTIALS (${gac}) gave no credentials; point it at a service account key or an external_account file`
      : `${what}: no Application Default Credentials found: GOOGLE_APPLICATION_CREDENTIALS is unset, there is no gcloud ADC file, and no metadata server answered at ${metadataHostLabel(env)}; on GCE/GKE check the metadata server is reachable (workload identity enabled on the node pool), elsewhere set GOOGLE_APPLICATION_CREDENTIALS (see docs/credentials.md)`;
  } else if (/ENOENT|no such file/i.test(raw)) {
    message = `${what}: a credential file is missing (${scrub(raw)}); check GOOGLE_APPLICATION_CREDENTIALS and the external_account file's credential_source.file`;
  } else {
    message = `${what}: getting an access token failed${status ? ` (HTTP ${status})` : ''}: ${scrub(raw)}; check the workload identity binding (roles/iam.workloadIdentityUser) or the node's service account, and the token's audience`;
  }
  return new CloudError({ kind: 'auth', cloud: 'gcp', status, message, cause: new Error(scrub(raw)) });
}

/** One line, bounded, with anything that looks like a token or JWT cut out. */
export function scrub(s: string): string {
  return oneLine(s)
    .replace(/ya29\.[\w.-]+/g, 'ya29.…')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '<jwt>')
    .replace(/"(access_token|accessToken|id_token|subject_token)"\s*:\s*"[^"]*"/g, '"$1":"…"')
    .slice(0, 300);
}

/** Who the credential is, for `doctor`: e-mail or federated principal, and where it came from. */
export async function describeAdc(
  auth: GoogleAuth,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AdcIdentity> {
  const { googleAuthLibrary } = await import('google-gax');
  const client = await auth.getClient();
  if (client instanceof googleAuthLibrary.BaseExternalAccountClient) {
    const email = client.getServiceAccountEmail();
    const audience = (client as unknown as { audience?: string }).audience ?? '?';
    return {
      source: 'external_account',
      principal: email ?? `a federated principal of ${audience} (no service account impersonation)`,
      from: `workload identity federation (${env.GOOGLE_APPLICATION_CREDENTIALS ?? 'external_account file'})`,
    };
  }
  if (client instanceof googleAuthLibrary.Compute) {
    const creds = await auth.getCredentials();
    return {
      source: 'metadata_server',
      principal: creds.client_email ?? 'the default service account',
      from: `metadata server ${metadataHostLabel(env)}`,
    };
  }
  const creds = await auth.getCredentials();
  if (client instanceof googleAuthLibrary.JWT)
    return {
      source: 'key_file',
      principal: creds.client_email ?? '?',
      from: env.GOOGLE_APPLICATION_CREDENTIALS ?? 'the gcloud ADC file',
    };
  if (client instanceof googleAuthLibrary.UserRefreshClient)
    return { source: 'gcloud_user', principal: 'a gcloud user login', from: 'the gcloud ADC file' };
  return { source: 'other', principal: creds.client_email ?? '?', from: 'Application Default Credentials' };
}

/** The metadata server's scopes for the default account (what the token may do), if it tells. */
export async function metadataScopes(): Promise<string[] | undefined> {
  try {
    const { googleAuthLibrary } = await import('google-gax');
    const s: unknown = await googleAuthLibrary.gcpMetadata.instance('service-accounts/default/scopes');
    return typeof s === 'string' ? s.split(/\s+/).filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}
