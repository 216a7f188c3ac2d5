import { describe, expect, it } from 'vitest';
import {
  clientFile,
  loadGcpClient,
  loadGcpClients,
  type GcpClientName,
} from '../../../src/clouds/gcp/load.js';

/** Every client the adapter (client.ts) and doctor (gcp-clients.ts) build. */
const USED: GcpClientName[] = [
  'InstancesClient',
  'ZoneOperationsClient',
  'MachineTypesClient',
  'ProjectsClient',
  'ZonesClient',
  'ImagesClient',
  'NetworksClient',
  'SubnetworksClient',
  'AcceleratorTypesClient',
];

describe('GCP client loader', () => {
  it('maps class names to the package file names', () => {
    expect(clientFile('InstancesClient')).toBe('instances_client');
    expect(clientFile('ZoneOperationsClient')).toBe('zone_operations_client');
    expect(clientFile('AcceleratorTypesClient')).toBe('accelerator_types_client');
  });

  it('loads each used client from its own module: the very class the package index exports', async () => {
    const own = await loadGcpClients(...USED);
    // Only now the (slow) index, to compare: the same class object, not a second copy.
    const index = await import('@google-cloud/compute');
    own.forEach((ctor, i) =>
      expect(ctor, USED[i]).toBe((index as unknown as Record<string, unknown>)[USED[i]]),
    );
  }, 60_000);

  it('falls back to the package index when a module is not where it is expected', async () => {
    // No such file: the import fails and the index answers (here: no such export either).
    await expect(loadGcpClient('NoSuchClient' as GcpClientName)).resolves.toBeUndefined();
  }, 60_000);
});
