/**
 * The read-only @google-cloud/compute clients doctor needs, built with the adapter's own
 * options (src/clouds/gcp/client.ts: self-signed JWT, endpoint override) and loaded the
 * adapter's way (src/clouds/gcp/load.ts: one module per client, not the slow package
 * index), so doctor authenticates exactly as reconcile will. The SDK is imported here only
 * when a GCP provider is checked.
 */
import { gcpAuthFor, gcpClientOptions } from './client.js';
import { loadGcpClients } from './load.js';
import type { GcpProvider } from './schema.js';

export async function createGcpReadClients(p: GcpProvider) {
  const auth = await gcpAuthFor(p);
  const o = gcpClientOptions(p, auth);
  const [Projects, Zones, Images, Networks, Subnetworks, MachineTypes, AcceleratorTypes] =
    await loadGcpClients(
      'ProjectsClient',
      'ZonesClient',
      'ImagesClient',
      'NetworksClient',
      'SubnetworksClient',
      'MachineTypesClient',
      'AcceleratorTypesClient',
    );
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
    /** The GoogleAuth of `gcp_auth: adc` (doctor describes its identity), else undefined. */
    auth,
    async close() {
      await Promise.all(Object.values(clients).map((c) => c.close().catch(() => {})));
    },
  };
}

export type GcpReadClients = Awaited<ReturnType<typeof createGcpReadClients>>;
