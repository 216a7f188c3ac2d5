/**
 * Builds oci-core clients for a provider entry. Three things the SDK does not do for us:
 * - the key is opened with node:crypto first (a wrong passphrase inside the SDK throws an
 *   uncaught async error that kills the process) and handed over decrypted, in memory;
 * - the SDK's own retries are switched off (we retry in one place, src/clouds/retry.ts);
 * - the transport records each error answer's Retry-After by opc-request-id, because the
 *   OciError the SDK throws does not carry response headers.
 */
import { createPrivateKey } from 'node:crypto';
import * as common from 'oci-common';
import * as core from 'oci-core';
import type { OciProvider } from '../../config/types.js';
import { parseRetryAfter } from '../retry.js';
import { CloudError } from '../types.js';

export interface OciClients {
  compute: core.ComputeClient;
  network: core.VirtualNetworkClient;
  /** Retry-After (ms) of a failed answer, looked up once by its opc-request-id. */
  takeRetryAfter(opcRequestId: string | null | undefined): number | undefined;
  endpoint: string;
}

/** Opens the private key; throws CloudError 'auth' with a line that names no secret. */
export function openPrivateKey(p: OciProvider): string {
  try {
    // An empty passphrase keeps OpenSSL from ever prompting on a TTY for an encrypted key.
    const key = createPrivateKey({ key: p.oci_private_key, passphrase: p.oci_private_key_passphrase ?? '' });
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = /DECRYPT|PASSPHRASE|INTERRUPTED/i.test(code)
      ? p.oci_private_key_passphrase
        ? 'the passphrase (oci_private_key_passphrase) does not open it'
        : 'it is encrypted and no oci_private_key_passphrase is set'
      : 'it is not a PEM RSA private key';
    throw new CloudError({ kind: 'auth', cloud: 'oci', message: `provider ${p.vm_provider_config_name}: cannot use oci_private_key: ${why}` });
  }
}

export function createOciClients(p: OciProvider): OciClients {
  const keyPem = openPrivateKey(p);
  const region = common.Region.fromRegionId(p.oci_region) as common.Region | undefined;
  const auth = new common.SimpleAuthenticationDetailsProvider(p.oci_tenancy_ocid, p.oci_user_ocid, p.oci_fingerprint, keyPem, null, region);

  const retryAfter = new Map<string, number>();
  const inner = new common.FetchHttpClient(new common.DefaultRequestSigner(auth));
  const httpClient: common.HttpClient = {
    async send(...args: Parameters<common.HttpClient['send']>) {
      const res = await inner.send(...args);
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
  const config: common.ClientConfiguration = { retryConfiguration: common.NoRetryConfigurationDetails };

  // Our transport signs with `auth`; the SDK's typing takes either a transport or a provider.
  const compute = new core.ComputeClient({ httpClient }, config);
  const network = new core.VirtualNetworkClient({ httpClient }, config);
  for (const c of [compute, network]) {
    if (region) c.region = region;
    else c.regionId = p.oci_region;
    // Last: setting region/regionId afterwards would overwrite it.
    if (p.endpoint) c.endpoint = p.endpoint.replace(/\/+$/, '');
  }
  return {
    compute,
    network,
    endpoint: p.endpoint ?? compute.endpoint,
    takeRetryAfter(id) {
      if (!id) return undefined;
      const v = retryAfter.get(id);
      retryAfter.delete(id);
      return v;
    },
  };
}
