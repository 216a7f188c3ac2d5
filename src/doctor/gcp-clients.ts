/**
 * The read-only @google-cloud/compute clients doctor needs, built with the adapter's own
 * options (src/clouds/gcp/client.ts: self-signed JWT, endpoint override), so doctor
 * authenticates exactly as reconcile will. The SDK is imported here only when a GCP
 * provider is checked.
 *
 * Each client is imported from its own module: the package's index loads every one of
 * its ~100 v1 clients (and v1beta's), which took 7 s against 1.4 s on a busy CI machine.
 * Should a future release move the files, the index is the fallback.
 */
import type * as Compute from '@google-cloud/compute';
import { gcpClientOptions } from '../clouds/gcp/client.js';
import type { GcpProvider } from '../config/types.js';

type ClientName = 'ProjectsClient' | 'ZonesClient' | 'ImagesClient' | 'NetworksClient' | 'SubnetworksClient' | 'MachineTypesClient' | 'AcceleratorTypesClient';

async function loadClient<N extends ClientName>(name: N, file: string): Promise<(typeof Compute)[N]> {
  try {
    const m = (await import(`@google-cloud/compute/build/src/v1/${file}.js`)) as Record<string, unknown> & { default?: Record<string, unknown> };
    const ctor = m[name] ?? m.default?.[name];
    if (typeof ctor === 'function') return ctor as (typeof Compute)[N];
  } catch {
    // fall through to the package index
  }
  const compute = await import('@google-cloud/compute');
  const mod = ((compute as unknown as { default?: typeof Compute }).default ?? compute) as typeof Compute;
  return mod[name];
}

export async function createGcpReadClients(p: GcpProvider) {
  const o = gcpClientOptions(p);
  const [Projects, Zones, Images, Networks, Subnetworks, MachineTypes, AcceleratorTypes] = await Promise.all([
    loadClient('ProjectsClient', 'projects_client'),
    loadClient('ZonesClient', 'zones_client'),
    loadClient('ImagesClient', 'images_client'),
    loadClient('NetworksClient', 'networks_client'),
    loadClient('SubnetworksClient', 'subnetworks_client'),
    loadClient('MachineTypesClient', 'machine_types_client'),
    loadClient('AcceleratorTypesClient', 'accelerator_types_client'),
  ]);
  const clients = {
    projects: new Projects(o),
    zones: new Zones(o),
    images: new Images(o),
    networks: new Networks(o),
    subnetworks: new Subnetworks(o),
    machineTypes: new MachineTypes(o),
    acceleratorTypes: new AcceleratorTypes(o),
  };
  return {
    ...clients,
    async close() {
      await Promise.all(Object.values(clients).map((c) => c.close().catch(() => {})));
    },
  };
}

export type GcpReadClients = Awaited<ReturnType<typeof createGcpReadClients>>;
