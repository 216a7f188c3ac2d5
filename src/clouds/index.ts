import type { Provider } from '../config/types.js';
import type { AdapterOptions, CloudAdapter } from './types.js';

export type { AdapterOptions } from './types.js';

/** Closes the clients kept by `shareClients` (end of a simulation). */
export async function closeSharedClients(): Promise<void> {
  const { closeSharedGcpClients } = await import('./gcp/client.js');
  await closeSharedGcpClients();
}

/**
 * The one door to the clouds. The SDK of a cloud is imported here, lazily, only when a
 * provider of that kind is used: `--help`, `config validate` and the like never load it.
 */
export async function createAdapter(provider: Provider, opts: AdapterOptions = {}): Promise<CloudAdapter> {
  if (provider.vm_provider_name === 'oci') {
    const { createOciAdapter } = await import('./oci/adapter.js');
    return createOciAdapter(provider, opts);
  }
  const { createGcpAdapter } = await import('./gcp/adapter.js');
  return createGcpAdapter(provider, opts);
}
