/**
 * The GCP side of tests that run against the GCP emulator: a resolved provider entry in
 * one project and zone (us-central1-a by default), signed with a service account key.
 */
import type { GcpProvider, GcpServiceAccountKey } from '../../src/config/types.js';

export const GCP_PROJECT = 'kasm-test-project';
export const GCP_ZONE = 'us-central1-a';

/** e2-standard-4 in `project`, us-central1-a, calling `endpoint`. */
export function emulatedGcpProvider(
  key: GcpServiceAccountKey,
  endpoint: string,
  over: Partial<GcpProvider> = {},
  project = GCP_PROJECT,
): GcpProvider {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-test',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho {server_id}\n',
    gcp_credentials: key,
    gcp_project: project,
    gcp_region: 'us-central1',
    gcp_zone: GCP_ZONE,
    gcp_machine_type: 'e2-standard-4',
    gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    gcp_boot_volume_gb: 50,
    gcp_disk_type: 'pd-balanced',
    gcp_network: `projects/${project}/global/networks/default`,
    gcp_subnetwork: `projects/${project}/regions/us-central1/subnetworks/default`,
    gcp_public_ip: true,
    gcp_network_tags: [],
    gcp_custom_labels: {},
    gcp_metadata: [],
    gcp_guest_accelerators: [],
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    endpoint,
    ...over,
  };
}
