/**
 * Each cloud's emulator, as `simulate`, `demo` and `emulator --for` start and seed it. Typed
 * over every CloudName: a cloud added to src/clouds/registry.ts does not compile until it has
 * an entry here. Entries import lazily, so no emulator code loads until one is asked for.
 */
import type { CloudName, ProviderOf } from '../clouds/registry.js';
import type { CloudSimulation } from './simulation.js';

export const CLOUD_EMULATORS: { [K in CloudName]: () => Promise<CloudSimulation<ProviderOf<K>>> } = {
  oci: async () => (await import('./oci/seed-from-config.js')).ociSimulation,
  gcp: async () => (await import('./gcp/seed-from-config.js')).gcpSimulation,
};

/** The emulator of a cloud, typed for any provider of the registry. */
export function cloudEmulator(name: CloudName): Promise<CloudSimulation<ProviderOf<CloudName>>> {
  return CLOUD_EMULATORS[name]() as Promise<CloudSimulation<ProviderOf<CloudName>>>;
}
