/**
 * The read-only @google-cloud/compute clients doctor needs, built with the adapter's own
 * options (src/clouds/gcp/client.ts: self-signed JWT, endpoint override), so doctor
 * authenticates exactly as reconcile will. The SDK is imported here only when a GCP
 * provider is checked.
 */
import { gcpClientOptions } from '../clouds/gcp/client.js';
import type { GcpProvider } from '../config/types.js';

export async function createGcpReadClients(p: GcpProvider) {
  const compute = await import('@google-cloud/compute');
  const mod = ((compute as unknown as { default?: typeof compute }).default ?? compute) as typeof compute;
  const o = gcpClientOptions(p);
  const clients = {
    projects: new mod.ProjectsClient(o),
    zones: new mod.ZonesClient(o),
    images: new mod.ImagesClient(o),
    networks: new mod.NetworksClient(o),
    subnetworks: new mod.SubnetworksClient(o),
    machineTypes: new mod.MachineTypesClient(o),
    acceleratorTypes: new mod.AcceleratorTypesClient(o),
  };
  return {
    ...clients,
    async close() {
      await Promise.all(Object.values(clients).map((c) => c.close().catch(() => {})));
    },
  };
}

export type GcpReadClients = Awaited<ReturnType<typeof createGcpReadClients>>;
