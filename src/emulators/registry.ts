/**
 * Each cloud's emulator, as `simulate`, `demo` and `emulator --for` start, seed, list and
 * fault it. Typed over every CloudName: a cloud added to src/clouds/registry.ts does not
 * compile until it has an entry here. Entries import lazily, so no emulator code loads
 * until one is asked for.
 */
import type { CloudName, ProviderOf } from '../clouds/registry.js';
import type { CloudSimulation } from './simulation.js';

export const CLOUD_EMULATORS = {
  oci: async () => (await import('./oci/simulation.js')).ociSimulation,
  gcp: async () => (await import('./gcp/simulation.js')).gcpSimulation,
} as const satisfies { [K in CloudName]: () => Promise<CloudSimulation<ProviderOf<K>>> };

/** The emulator object of one cloud (OciEmulator, GcpEmulator), as its entry starts it. */
export type EmulatorOf<K extends CloudName> =
  Awaited<ReturnType<(typeof CLOUD_EMULATORS)[K]>> extends CloudSimulation<ProviderOf<K>, infer E>
    ? E
    : never;

/** The emulator of a cloud, typed for any provider of the registry. */
export function cloudEmulator(name: CloudName): Promise<CloudSimulation<ProviderOf<CloudName>>> {
  return CLOUD_EMULATORS[name]() as Promise<CloudSimulation<ProviderOf<CloudName>>>;
}
