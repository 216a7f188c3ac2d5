/**
 * Client options for @google-cloud/compute, shared by the adapter and `doctor`, so every
 * GCP call authenticates and reaches its endpoint the same way.
 *
 * - Auth: the service account key is passed as `credentials` with `scopes: []`. The
 *   library then signs its own JWT (RS256, aud https://compute.googleapis.com/) and sends
 *   it as the bearer token: no call to a token server, so the same path works against
 *   Google and against the local emulator (which verifies the signature).
 * - Endpoint: `endpoint: http://127.0.0.1:8124` becomes apiEndpoint/port/protocol; the
 *   library breaks on a URL inside apiEndpoint and would use TLS on :443 without them.
 */
import { createHash } from 'node:crypto';
import type { ClientOptions } from 'google-gax';
import type { GcpProvider } from './schema.js';
import { ADC_SCOPES, newAdcAuth, primeAdc } from './adc.js';
import { loadGcpClients } from './load.js';

export function gcpClientOptions(
  p: Pick<GcpProvider, 'gcp_credentials' | 'gcp_project' | 'endpoint'> &
    Partial<Pick<GcpProvider, 'gcp_auth'>>,
  auth?: ClientOptions['auth'],
): ClientOptions {
  const opts: ClientOptions =
    p.gcp_auth === 'adc'
      ? // The library's own Application Default Credentials (./adc.ts), one GoogleAuth for all clients.
        { auth, scopes: ADC_SCOPES, projectId: p.gcp_project, fallback: true }
      : {
          // The whole key: private_key_id becomes the JWT's `kid`, which Google uses to pick the key.
          credentials: p.gcp_credentials as unknown as ClientOptions['credentials'],
          scopes: [],
          projectId: p.gcp_project,
          fallback: true, // REST transport (the default for compute; stated so it never changes under us)
        };
  if (p.endpoint) {
    const u = new URL(p.endpoint);
    opts.apiEndpoint = u.hostname.replace(/^\[|\]$/g, '');
    opts.protocol = u.protocol.replace(/:$/, '');
    opts.port = u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
  }
  return opts;
}

/** For messages: where the calls go. */
export function gcpEndpointLabel(p: Pick<GcpProvider, 'endpoint'>): string {
  return p.endpoint ?? 'https://compute.googleapis.com';
}

/**
 * Per-call options: the library's own retry is switched off (REST retries little anyway,
 * but GET/list would retry UNAVAILABLE on its own schedule) so that our withRetry is the
 * only policy and a call is never retried twice over. (Not `maxRetries`: gax dereferences
 * the retry settings it would have just nulled.)
 */
export const NO_LIBRARY_RETRY = { retry: null } as const;

export type GcpClients = Awaited<ReturnType<typeof newGcpClients>>;

async function newGcpClients(p: GcpProvider) {
  const [Instances, ZoneOperations, MachineTypes] = await loadGcpClients(
    'InstancesClient',
    'ZoneOperationsClient',
    'MachineTypesClient',
  );
  const o = gcpClientOptions(p, await gcpAuthFor(p));
  return {
    instances: new Instances(o),
    zoneOperations: new ZoneOperations(o),
    machineTypes: new MachineTypes(o),
    endpoint: gcpEndpointLabel(p),
  };
}

/** For `gcp_auth: adc`: the library's GoogleAuth with its first token already fetched (one clear error line otherwise). */
export async function gcpAuthFor(p: GcpProvider): Promise<ClientOptions['auth']> {
  if (p.gcp_auth !== 'adc') return undefined;
  const auth = await newAdcAuth(p);
  await primeAdc(auth, p);
  return auth;
}

/** Clients kept for `shareClients`, by who they sign as and where they call. */
const shared = new Map<string, Promise<GcpClients>>();

function sharedKey(p: GcpProvider): string {
  // ADC: one identity per process environment; the project and endpoint tell the clients apart.
  if (p.gcp_auth === 'adc') return JSON.stringify(['adc', p.gcp_project, p.endpoint ?? '']);
  // The private key itself is part of the identity (a rotated key must not reuse old clients); hash it, never keep it as a key.
  const keyHash = createHash('sha256').update(p.gcp_credentials.private_key).digest('hex');
  return JSON.stringify([p.gcp_credentials.client_email, keyHash, p.gcp_project, p.endpoint ?? '']);
}

export async function createGcpClients(p: GcpProvider, opts: { shared?: boolean } = {}): Promise<GcpClients> {
  if (!opts.shared) return newGcpClients(p);
  const key = sharedKey(p);
  let clients = shared.get(key);
  if (!clients) {
    clients = newGcpClients(p);
    shared.set(key, clients);
    clients.catch(() => shared.delete(key));
  }
  return clients;
}

export async function closeGcpClients(c: GcpClients): Promise<void> {
  await Promise.allSettled([c.instances.close(), c.zoneOperations.close(), c.machineTypes.close()]);
}

export async function closeSharedGcpClients(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.allSettled(all.map(async (c) => closeGcpClients(await c)));
}
