/**
 * `lock: {type: kubernetes}`: a coordination.k8s.io/v1 Lease, the object Kubernetes' own
 * leader election uses. Every write carries the resourceVersion read, so the API server
 * answers 409 Conflict to the runner that lost a race. Releasing clears holderIdentity
 * (as client-go's leader election does), so the service account needs get, create and
 * update on leases — not delete.
 *
 * Config: a kubeconfig file when lock.kubeconfig is set, else the pod's service account
 * (KUBERNETES_SERVICE_HOST/PORT and the token, CA and namespace files under
 * /var/run/secrets/kubernetes.io/serviceaccount).
 */
import { existsSync } from 'node:fs';
import type { LockSection } from '../config/types.js';
import { InputError, oneLine, OperationalError } from '../core/errors.js';
import type { LeaseRecord, LeaseStore } from './types.js';

type KubernetesLock = Extract<LockSection, { type: 'kubernetes' }>;

export interface KubernetesPlace {
  /** Prefix of the service-account files (tests); default none. */
  serviceAccountPrefix?: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const codeOf = (err: unknown) => (err as { code?: number }).code;

/** The Status message the API server sent (ApiException keeps the raw body). */
function statusMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  try {
    const o = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
    if (o?.message) return o.message;
  } catch {
    // not JSON
  }
  return oneLine(err).split(' Body:')[0];
}

export async function openKubernetesStore(lock: KubernetesLock, place: KubernetesPlace): Promise<LeaseStore> {
  const k8s = await import('@kubernetes/client-node');
  // loadFromCluster reads these two from process.env itself.
  const env = process.env;
  const kc = new k8s.KubeConfig();
  const prefix = place.serviceAccountPrefix ?? '';
  if (lock.kubeconfig) {
    if (!existsSync(lock.kubeconfig))
      throw new InputError(`lock.kubeconfig ${lock.kubeconfig} does not exist`, { hint: 'check the path' });
    kc.loadFromFile(lock.kubeconfig);
  } else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    if (!existsSync(`${prefix}${SA_DIR}/token`))
      throw new InputError(`lock type kubernetes: no service account token at ${prefix}${SA_DIR}/token`, {
        hint: 'mount the service account token (automountServiceAccountToken), or set lock.kubeconfig',
      });
    kc.loadFromCluster(prefix);
  } else {
    throw new InputError(
      'lock type kubernetes: not running in a cluster (KUBERNETES_SERVICE_HOST is unset) and no lock.kubeconfig',
      {
        hint: 'run inside a pod, or set lock.kubeconfig to a kubeconfig file',
      },
    );
  }
  const namespace =
    (lock.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace?.trim()) || 'default';
  const name = lock.name ?? 'kasm-scale';
  const api = kc.makeApiClient(k8s.CoordinationV1Api);
  const where = `kubernetes Lease ${namespace}/${name}`;
  const fail = (what: string, err: unknown) => {
    const code = codeOf(err);
    if (code === 403)
      return new OperationalError(`${where}: ${what} is forbidden: ${statusMessage(err)}`, {
        hint: 'grant the service account get, create and update on leases.coordination.k8s.io in that namespace (docs/lease.md); nothing was done',
      });
    if (code === 401)
      return new OperationalError(
        `${where}: the API server did not accept the credentials: ${statusMessage(err)}`,
        {
          hint: 'check the service account token or the kubeconfig; nothing was done',
        },
      );
    return new OperationalError(`${where}: ${what} failed: ${code ? statusMessage(err) : oneLine(err)}`);
  };
  const micro = (iso: string) => new k8s.V1MicroTime(Date.parse(iso));
  const text = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));
  const body = (r: LeaseRecord | undefined, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: r
      ? {
          holderIdentity: r.holder,
          leaseDurationSeconds: r.ttlSeconds,
          acquireTime: micro(r.acquiredAt),
          renewTime: micro(r.renewedAt),
          leaseTransitions: r.transitions,
        }
      : { leaseTransitions: last?.transitions ?? 0 },
  });
  let last: LeaseRecord | undefined;
  const write = async (r: LeaseRecord | undefined, version?: string) => {
    try {
      const out = version
        ? await api.replaceNamespacedLease({ name, namespace, body: body(r, version) })
        : await api.createNamespacedLease({ namespace, body: body(r) });
      last = r;
      return out.metadata?.resourceVersion ?? '';
    } catch (err) {
      if (codeOf(err) === 409) return undefined;
      throw fail(version ? 'updating the Lease' : 'creating the Lease', err);
    }
  };
  return {
    where,
    async read() {
      try {
        const l = await api.readNamespacedLease({ name, namespace });
        const s = l.spec;
        const version = l.metadata?.resourceVersion ?? '';
        if (!s?.holderIdentity) return { record: undefined, version };
        const renewed = s.renewTime ?? s.acquireTime;
        const record: LeaseRecord = {
          holder: s.holderIdentity,
          acquiredAt: text(s.acquireTime ?? renewed ?? new Date(0)),
          renewedAt: text(renewed ?? new Date(0)),
          ttlSeconds: s.leaseDurationSeconds ?? 0,
          transitions: s.leaseTransitions ?? 0,
        };
        return { record, version };
      } catch (err) {
        if (codeOf(err) === 404) return undefined;
        throw fail('reading the Lease', err);
      }
    },
    create: (r) => write(r),
    replace: (r, version) => write(r, version),
    async free(version) {
      await write(undefined, version).catch(() => {});
    },
  };
}
