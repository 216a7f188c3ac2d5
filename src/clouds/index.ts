import type { Provider } from '../config/types.js';
import type { CloudAdapter } from './types.js';

/** Options every adapter takes; all optional so production code passes nothing. */
export interface AdapterOptions {
  /** Our retry policy for throttled (429) and transient (5xx, network) failures. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Injected in tests so retries never wait on a real clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Random source for jitter (tests pin it). */
  random?: () => number;
  /**
   * The autoscale config names served by this provider. Tags/labels hold poolLabel(name)
   * (a slug + hash); with the names the adapter reports `autoscaleConfigName` as written
   * in the config, otherwise the label itself.
   */
  poolNames?: string[];
  /**
   * Reuse the SDK clients of a provider across adapters in this process instead of making
   * new ones per pass (google-gax hashes its protos for every new client: ~200 ms of CPU
   * each). For simulations that run hundreds of passes; the caller ends them with
   * closeSharedClients(). A one-shot CLI pass leaves this off and closes what it opened.
   */
  shareClients?: boolean;
}

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
