/** The GCP side of a scenario: the emulator on the scenario's clock and a provider entry for it. */
import { serviceAccountKey } from '../../clouds/gcp/fixture.js';
import { startGcpEmulator } from '../../../src/emulators/gcp/index.js';

const MB = 1024 * 1024;

export async function gcpProviderFor(o: { now: () => number; machineType?: string; accelerators?: Array<{ acceleratorType: string; acceleratorCount: number }> }) {
  const emu = await startGcpEmulator({ now: o.now, provisioningDelayMs: 60_000, deleteDelayMs: 30_000, operationDelayMs: 0 });
  const key = serviceAccountKey('kasm-test-project');
  emu.registerServiceAccount(key);
  const machineType = o.machineType ?? 'n1-standard-8';
  const accelerators = o.accelerators ?? [];
  const spec = { 'n1-standard-8': { cores: 8, memoryMb: 30720 }, 'e2-standard-4': { cores: 4, memoryMb: 16384 } }[machineType] ?? { cores: 4, memoryMb: 16384 };
  const gpus = accelerators.reduce((n, a) => n + a.acceleratorCount, 0);
  return {
    emu,
    size: { cores: spec.cores, memory: spec.memoryMb * MB, gpus },
    provider: {
      vm_provider_name: 'gcp',
      vm_provider_config_name: 'gcp-main',
      max_instances: 4,
      startup_script: '#!/bin/bash\necho "agent {server_id}"\n',
      gcp_credentials: key,
      gcp_project: 'kasm-test-project',
      gcp_region: 'us-central1',
      gcp_zone: 'us-central1-a',
      gcp_machine_type: machineType,
      gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
      gcp_boot_volume_gb: 50,
      gcp_disk_type: 'pd-balanced',
      gcp_network: 'projects/kasm-test-project/global/networks/default',
      gcp_subnetwork: 'projects/kasm-test-project/regions/us-central1/subnetworks/default',
      gcp_public_ip: true,
      gcp_network_tags: [],
      gcp_custom_labels: {},
      gcp_metadata: [],
      gcp_guest_accelerators: accelerators,
      gcp_config_override: accelerators.length ? { scheduling: { onHostMaintenance: 'TERMINATE' } } : {},
      vm_installed_os_type: 'linux',
      startup_script_type: 'startup-script',
      endpoint: emu.url,
    },
  };
}
