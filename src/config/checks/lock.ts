import type { CloudName } from '../../clouds/names.js';
import type { CheckContext } from '../../core/fields/check-context.js';

/** The cloud whose credentials each shared lease type signs with (a lease backend names its cloud). */
const CLOUD_OF: Record<string, CloudName> = { 'oci-object-storage': 'oci', gcs: 'gcp' };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** `lock.provider` names a provider of the cloud whose object store keeps the lease. */
export function checkLock(lock: unknown, providers: unknown[], ctx: CheckContext): void {
  if (!isObject(lock) || typeof lock.type !== 'string' || typeof lock.provider !== 'string') return;
  const cloud = CLOUD_OF[lock.type];
  if (!cloud) return;
  const mine = providers.filter(
    (p): p is Record<string, unknown> => isObject(p) && p.vm_provider_name === cloud,
  );
  if (mine.some((p) => p.vm_provider_config_name === lock.provider)) return;
  const known = mine.map((p) => `"${String(p.vm_provider_config_name)}"`);
  ctx.add(
    ['lock', 'provider'],
    `no ${cloud} provider named "${lock.provider}" (lock type ${lock.type} signs with its credentials); expected ${known.length ? `one of ${known.join(', ')}` : `the name of a ${cloud} provider in providers (there are none)`}`,
  );
}
