/**
 * The one place that turns `lock:` into a Lease. Each backend is its own module, loaded
 * only when the config names it: the SDKs behind them are heavy, and most runs use the file.
 */
import { InputError } from '../core/errors.js';
import type { KasmScaleConfig, LockSection, Provider } from '../config/types.js';
import { DEFAULT_TTL_SECONDS } from '../config/schema/lock.js';
import { everyUnref, holderIdentity } from './clock.js';
import { acquireSharedLease } from './shared-lease.js';
import type { Lease, LeaseOptions, LeaseStore } from './types.js';

function providerFor<C extends Provider['vm_provider_name']>(
  config: KasmScaleConfig,
  lock: { type: string; provider: string },
  cloud: C,
): Extract<Provider, { vm_provider_name: C }> {
  const p = config.providers.find((x) => x.vm_provider_config_name === lock.provider);
  if (!p || p.vm_provider_name !== cloud) {
    const known =
      config.providers
        .filter((x) => x.vm_provider_name === cloud)
        .map((x) => x.vm_provider_config_name)
        .join(', ') || 'none';
    throw new InputError(
      `lock.provider ${lock.provider} in ${config.file}: no ${cloud} provider of that name (lock type ${lock.type} signs with its credentials)`,
      { hint: `known ${cloud} providers: ${known}` },
    );
  }
  return p as Extract<Provider, { vm_provider_name: C }>;
}

/** The store behind a shared lease (not for `file`). Exported for doctor. */
export async function openLeaseStore(
  config: KasmScaleConfig,
  lock: Exclude<LockSection, { type: 'file' }>,
  o: Pick<LeaseOptions, 'serviceAccountPrefix'> = {},
): Promise<LeaseStore> {
  switch (lock.type) {
    case 'oci-object-storage':
      return (await import('./oci-object-storage.js')).openOciObjectStore(
        lock,
        providerFor(config, lock, 'oci'),
      );
    case 'gcs':
      return (await import('./gcs.js')).openGcsStore(lock, providerFor(config, lock, 'gcp'));
    case 'kubernetes':
      return (await import('./kubernetes.js')).openKubernetesStore(lock, {
        ...(o.serviceAccountPrefix !== undefined ? { serviceAccountPrefix: o.serviceAccountPrefix } : {}),
      });
  }
}

/** Takes the pass lock named by the config; LockedError (exit 4) when another pass holds it. */
export async function acquireLease(config: KasmScaleConfig, o: LeaseOptions): Promise<Lease> {
  const lock = config.lock ?? { type: 'file' as const };
  const holder = o.holder ?? holderIdentity();
  if (lock.type === 'file') return (await import('./file.js')).openFileLease({ ...o, holder });
  const store = await openLeaseStore(config, lock, o);
  try {
    return await acquireSharedLease(store, {
      ttlSeconds: lock.ttl_seconds ?? DEFAULT_TTL_SECONDS,
      holder,
      clock: o.clock ?? Date.now,
      warn: o.warn,
      every: o.every ?? everyUnref,
    });
  } catch (err) {
    await store.close?.().catch(() => {});
    throw err;
  }
}
