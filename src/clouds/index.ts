import { cloudOf, CLOUD_LIST, type CloudName, type ProviderOf } from './registry.js';
import type { AdapterOptions, CloudAdapter } from './types.js';

export type { AdapterOptions } from './types.js';

/** Closes the clients kept by `shareClients` (end of a simulation), for every cloud that keeps any. */
export async function closeSharedClients(): Promise<void> {
  for (const cloud of CLOUD_LIST) await cloud.closeSharedClients?.();
}

/**
 * The one door to the clouds. The SDK of a cloud is imported by its registry entry, lazily,
 * only when a provider of that kind is used: `--help`, `config validate` and the like never load it.
 */
export async function createAdapter(
  provider: ProviderOf<CloudName>,
  opts: AdapterOptions = {},
): Promise<CloudAdapter> {
  return (await cloudOf(provider).adapter())(provider, opts);
}
