/**
 * The one list of clouds. Adding a cloud is one folder (src/clouds/<name>/, exporting a
 * CloudModule from its index.ts), its name in names.ts and one line here; everything else asks this registry
 * (docs/ARCHITECTURE.md, "Adding a cloud").
 */
import type { z } from 'zod';
import { gcp } from './gcp/index.js';
import type { CloudModule } from './module.js';
import { oci } from './oci/index.js';
import type { CloudName } from './names.js';

export type { CloudName } from './names.js';

/** One entry per name in names.ts, no more (a missing or extra entry does not compile). */
export const CLOUDS = { oci, gcp } as const satisfies Record<CloudName, unknown>;

/** The resolved provider config of one cloud (its schema's output). */
export type ProviderOf<K extends CloudName> = z.output<(typeof CLOUDS)[K]['schema']>;

/** Each entry is filed under its own name and is a CloudModule of its own provider type. */
const typed: { [K in CloudName]: CloudModule<ProviderOf<K>> & { name: K } } = CLOUDS;

/** Every cloud, in the registry's order (the order `init` offers them). */
export const CLOUD_LIST: readonly CloudModule<ProviderOf<CloudName>>[] = Object.values(typed) as never;

export function isCloudName(v: unknown): v is CloudName {
  return typeof v === 'string' && Object.hasOwn(CLOUDS, v);
}

/** The registry entry of a provider's cloud, typed for that provider. */
export function cloudOf<P extends ProviderOf<CloudName>>(p: P): CloudModule<P> {
  return typed[p.vm_provider_name as CloudName] as unknown as CloudModule<P>;
}

/** The entry for a name read from a file (undefined: not a cloud we know). */
export function cloudNamed(name: unknown): CloudModule<ProviderOf<CloudName>> | undefined {
  return isCloudName(name) ? (typed[name] as unknown as CloudModule<ProviderOf<CloudName>>) : undefined;
}
