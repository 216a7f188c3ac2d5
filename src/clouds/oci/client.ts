/**
 * Builds OCI SDK clients for a provider entry. Four things the SDK does not do for us:
 * - the key is opened with node:crypto first (a wrong passphrase inside the SDK throws an
 *   uncaught async error that kills the process) and handed over decrypted, in memory;
 * - the SDK's own retries are switched off (we retry in one place, src/clouds/retry.ts);
 * - every request is bounded in time (the SDK has no timeout: a server that stops answering
 *   mid-request would stall a whole pass); running out is a network error (ETIMEDOUT),
 *   which classifyOciError calls transient;
 * - the transport records each error answer's Retry-After by opc-request-id, because the
 *   OciError the SDK throws does not carry response headers.
 *
 * createOciTransport is the shared part; createOciClients (oci-core) and identity.ts
 * (oci-identity, loaded only when needed) both build their clients on it.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
// First: oci-core's model table, loaded lazily (must run before oci-core is evaluated).
import './lazy-models.js';
import * as common from 'oci-common';
import * as core from 'oci-core';
import type { OciProvider } from './schema.js';
import { parseRetryAfter } from '../retry.js';
import { ociPlatformAuth } from './platform-auth.js';
import { KeyObjectRequestSigner } from './signer.js';
import { CloudError } from '../types.js';

/** What signing and addressing need from a provider entry (init has no full entry yet). */
export type OciCredentials = Pick<
  OciProvider,
  | 'vm_provider_config_name'
  | 'oci_user_ocid'
  | 'oci_tenancy_ocid'
  | 'oci_fingerprint'
  | 'oci_private_key'
  | 'oci_private_key_passphrase'
  | 'oci_region'
  | 'endpoint'
> &
  Partial<Pick<OciProvider, 'oci_auth' | 'oci_config_file' | 'oci_profile'>>;

export interface OciClientOptions {
  /** Bound on one HTTP request, answer body included (default DEFAULT_OCI_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * 30 s: OCI answers reads and LaunchInstance in well under that; what takes longer is a
 * hung connection, and the retry (transient, bounded) or the next pass does better than
 * waiting. LaunchInstance is safe to retry after a timeout (opc-retry-token).
 */
export const DEFAULT_OCI_TIMEOUT_MS = 30_000;

export interface OciClients {
  compute: core.ComputeClient;
  network: core.VirtualNetworkClient;
  /** Retry-After (ms) of a failed answer, looked up once by its opc-request-id. */
  takeRetryAfter(opcRequestId: string | null | undefined): number | undefined;
  endpoint: string;
}

/** Opens the private key; throws CloudError 'auth' with a line that names no secret. */
export function openPrivateKey(
  p: Pick<OciProvider, 'vm_provider_config_name' | 'oci_private_key' | 'oci_private_key_passphrase'>,
): string {
  return openPrivateKeyObject(p).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The same, as a KeyObject (parsed once, used for every signature). */
export function openPrivateKeyObject(
  p: Pick<OciProvider, 'vm_provider_config_name' | 'oci_private_key' | 'oci_private_key_passphrase'>,
): KeyObject {
  try {
    // An empty passphrase keeps OpenSSL from ever prompting on a TTY for an encrypted key.
    return createPrivateKey({ key: p.oci_private_key, passphrase: p.oci_private_key_passphrase ?? '' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = /DECRYPT|PASSPHRASE|INTERRUPTED/i.test(code)
      ? p.oci_private_key_passphrase
        ? 'the passphrase (oci_private_key_passphrase) does not open it'
        : 'it is encrypted and no oci_private_key_passphrase is set'
      : 'it is not a PEM RSA private key';
    throw new CloudError({
      kind: 'auth',
      cloud: 'oci',
      message: `provider ${p.vm_provider_config_name}: cannot use oci_private_key: ${why}`,
    });
  }
}

/** The part of every generated OCI SDK client that addressing touches. */
interface OciSdkClient {
  region: common.Region;
  regionId: string;
  endpoint: string;
}

export interface OciTransport {
  /** For `new XClient(t.params, t.config)`: our signing, bounded transport; SDK retries off. */
  params: common.AuthParams;
  config: common.ClientConfiguration;
  /** Points a client at the region (or `endpoint`, set last: region setters overwrite it). */
  place<C extends OciSdkClient>(client: C): C;
  takeRetryAfter(opcRequestId: string | null | undefined): number | undefined;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * The request signer: our KeyObject signer for an API key (opened now, so a bad key fails
 * before any call), or the SDK's DefaultRequestSigner over its provider for the other
 * oci_auth modes (built on the first request: instance principals fetch their certificate
 * then; a failure is one line, ./platform-auth.ts).
 */
function signerFor(
  p: OciCredentials,
  region: common.Region | undefined,
): () => Promise<common.RequestSigner> {
  const mode = p.oci_auth ?? 'api_key';
  if (mode === 'api_key') {
    const key = openPrivateKeyObject(p);
    const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const auth = new common.SimpleAuthenticationDetailsProvider(
      p.oci_tenancy_ocid,
      p.oci_user_ocid,
      p.oci_fingerprint,
      keyPem,
      null,
      region,
    );
    const signer = new KeyObjectRequestSigner(auth, key);
    return () => Promise.resolve(signer);
  }
  let made: Promise<common.RequestSigner> | undefined;
  return () => {
    made ??= ociPlatformAuth({ ...p, oci_auth: mode }).then((a) => new common.DefaultRequestSigner(a));
    made.catch(() => (made = undefined));
    return made;
  };
}

export function createOciTransport(p: OciCredentials, opts: OciClientOptions = {}): OciTransport {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_OCI_TIMEOUT_MS;
  const region = common.Region.fromRegionId(p.oci_region) as common.Region | undefined;
  const signerOf = signerFor(p, region);

  const retryAfter = new Map<string, number>();
  const httpClient: common.HttpClient = {
    async send(...args: Parameters<common.HttpClient['send']>) {
      // A fresh signal per request (FetchHttpClient hands its httpOptions to fetch as-is);
      // the client object itself is only a holder for the signer.
      const signer = await signerOf();
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await new common.FetchHttpClient(signer, undefined, { signal }).send(...args);
        // Read the whole answer under the same bound, so a server that stalls mid-body
        // fails here (classified) rather than later inside the SDK's JSON read.
        const body = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
        res = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      } catch (err) {
        if (signal.aborted) {
          // The SDK keeps only `code` and `message` of a transport error.
          throw Object.assign(new Error(`no answer within ${seconds(timeoutMs)}`), { code: 'ETIMEDOUT' });
        }
        throw err;
      }
      if (res.status >= 400) {
        const ra = parseRetryAfter(res.headers.get('retry-after'));
        const id = res.headers.get('opc-request-id');
        if (ra !== undefined && id) {
          retryAfter.set(id, ra);
          // Bounded: only the latest answers matter.
          if (retryAfter.size > 256) retryAfter.delete(retryAfter.keys().next().value as string);
        }
      }
      return res;
    },
  };

  return {
    // Our transport signs with `auth`; the SDK's typing takes either a transport or a provider.
    params: { httpClient },
    config: { retryConfiguration: common.NoRetryConfigurationDetails },
    place(c) {
      if (region) c.region = region;
      else c.regionId = p.oci_region;
      // Last: setting region/regionId afterwards would overwrite it.
      if (p.endpoint) c.endpoint = p.endpoint.replace(/\/+$/, '');
      return c;
    },
    takeRetryAfter(id) {
      if (!id) return undefined;
      const v = retryAfter.get(id);
      retryAfter.delete(id);
      return v;
    },
  };
}

export function createOciClients(p: OciCredentials, opts: OciClientOptions = {}): OciClients {
  const t = createOciTransport(p, opts);
  const compute = t.place(new core.ComputeClient(t.params, t.config));
  const network = t.place(new core.VirtualNetworkClient(t.params, t.config));
  return { compute, network, endpoint: p.endpoint ?? compute.endpoint, takeRetryAfter: t.takeRetryAfter };
}
