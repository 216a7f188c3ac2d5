/**
 * The built-in providers of `demo` and the scenario tests: an OCI and a GCP provider
 * config (as config-file data) for the emulated clouds, with throw-away keys (made by each
 * cloud's emulator, src/emulators/<cloud>/demo-credentials.ts). The emulators are seeded
 * from these by world.ts, so every OCID and path here is accepted.
 */
import type { GcpServiceAccountKey } from '../config/types.js';
import { DEMO_TENANCY, DEMO_USER, type OciDemoKey } from '../emulators/oci/demo-credentials.js';

export { gcpDemoServiceAccount } from '../emulators/gcp/demo-credentials.js';
export { ociDemoKey, type OciDemoKey } from '../emulators/oci/demo-credentials.js';

export const OCI_IDS = {
  tenancy: DEMO_TENANCY,
  user: DEMO_USER,
  compartment: 'ocid1.compartment.oc1..aaaaaaaacomp',
  image: 'ocid1.image.oc1.iad.aaaaaaaaimage',
  subnet: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
  ad1: 'Uocm:US-ASHBURN-AD-1',
  ad2: 'Uocm:US-ASHBURN-AD-2',
} as const;

export const GCP_PROJECT = 'kasm-test-project';

/** An OCI provider on E4.Flex (2 OCPUs → 4 vCPUs, 16 GB by default) in two ADs. */
export function emulatedOciProvider(
  key: OciDemoKey,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-main',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho "agent {server_id} -> {upstream_auth_address}"\n',
    oci_user_ocid: OCI_IDS.user,
    oci_fingerprint: key.fingerprint,
    oci_private_key: key.privatePem,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: OCI_IDS.tenancy,
    oci_compartment_ocid: OCI_IDS.compartment,
    oci_nsg_ocids: [],
    oci_availability_domains: [OCI_IDS.ad1, OCI_IDS.ad2],
    oci_image_ocid: OCI_IDS.image,
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_boot_volume_gb: 60,
    oci_custom_tags: {},
    oci_subnet_ocid: OCI_IDS.subnet,
    ...over,
  };
}

/** A GCP provider in us-central1-a (n1-standard-8 by default); GPUs need onHostMaintenance TERMINATE. */
export function emulatedGcpProvider(
  key: GcpServiceAccountKey,
  over: {
    machineType?: string;
    accelerators?: Array<{ acceleratorType: string; acceleratorCount: number }>;
  } & Record<string, unknown> = {},
): Record<string, unknown> {
  const { machineType, accelerators = [], ...rest } = over;
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-main',
    max_instances: 4,
    startup_script: '#!/bin/bash\necho "agent {server_id}"\n',
    gcp_credentials: key,
    gcp_project: GCP_PROJECT,
    gcp_region: 'us-central1',
    gcp_zone: 'us-central1-a',
    gcp_machine_type: machineType ?? 'n1-standard-8',
    gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    gcp_boot_volume_gb: 50,
    gcp_disk_type: 'pd-balanced',
    gcp_network: `projects/${GCP_PROJECT}/global/networks/default`,
    gcp_subnetwork: `projects/${GCP_PROJECT}/regions/us-central1/subnetworks/default`,
    gcp_public_ip: true,
    gcp_network_tags: [],
    gcp_custom_labels: {},
    gcp_metadata: [],
    gcp_guest_accelerators: accelerators,
    gcp_config_override: accelerators.length ? { scheduling: { onHostMaintenance: 'TERMINATE' } } : {},
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    ...rest,
  };
}
