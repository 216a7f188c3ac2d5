import type { GcpProvider, OciProvider } from '../../src/config/types.js';
import { SEED_GCP_PLACEMENT } from '../helpers/providers.js';

/** Provider objects built straight from the resolved-config types (no loader involved). */
export function ociProvider(over: Partial<OciProvider> = {}): OciProvider {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'OCI Ashburn agents',
    max_instances: 5,
    startup_script:
      '#!/bin/bash\nexport SERVER_ID={server_id}\necho "${{SERVER_ID}}" > /tmp/id\nbash install.sh -i {server_id} -r {provider_name} -M {manager_token} -m {upstream_auth_address}\n',
    oci_user_ocid: 'ocid1.user.oc1..aaaaaaaauser',
    oci_fingerprint: '11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00',
    oci_private_key: '-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----\n',
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: 'ocid1.tenancy.oc1..aaaaaaaatenancy',
    oci_compartment_ocid: 'ocid1.compartment.oc1..aaaaaaaacompartment',
    oci_nsg_ocids: ['ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg'],
    oci_availability_domains: ['BEol:US-ASHBURN-AD-1', 'BEol:US-ASHBURN-AD-2'],
    oci_image_ocid: 'ocid1.image.oc1.iad.aaaaaaaaimage',
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 8,
    oci_baseline_ocpu_utilization: 'BASELINE_1_2',
    oci_boot_volume_gb: 60,
    oci_storage_vpus_per_gb: 20,
    oci_custom_tags: { Team: 'desktops', CostCenter: '42' },
    oci_subnet_ocid: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
    oci_ssh_public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ6z admin@example',
    ...over,
  };
}

export function gcpProvider(over: Partial<GcpProvider> = {}): GcpProvider {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'GCP us-east4 agents',
    max_instances: 4,
    startup_script: '#!/bin/bash\nbash install.sh -i {server_id} -r {provider_name} -M {manager_token}\n',
    gcp_credentials: {
      type: 'service_account',
      project_id: 'pensive-voice-547511',
      private_key_id: 'abc',
      private_key: '-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----\n',
      client_email: 'kasm@pensive-voice-547511.iam.gserviceaccount.com',
    },
    ...SEED_GCP_PLACEMENT,
    gcp_cmek: 'projects/pensive-voice-547511/locations/global/keyRings/my-keyring/cryptoKeys/my-key',
    gcp_network_tags: ['https-server', 'foo', 'bar'],
    gcp_custom_labels: { foo: 'bar', bin: 'baz' },
    gcp_metadata: [{ key: 'ssh-keys', value: 'user1:ssh-rsa AAAAB3Nza user1' }],
    gcp_service_account: {
      email: 'service-account@example.com',
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    },
    gcp_guest_accelerators: [
      {
        acceleratorType: 'projects/pensive-voice-547511/zones/us-east4-b/acceleratorTypes/nvidia-tesla-t4',
        acceleratorCount: 1,
      },
    ],
    gcp_config_override: {
      shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true, enableVtpm: true },
    },
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    ...over,
  };
}

/** The seed page's two OCI Config Override examples, verbatim. */
export const SEED_OCI_OVERRIDE_IMDS = {
  launch_instance_details: {
    instance_options: { OCI_MODEL_NAME: 'InstanceOptions', are_legacy_imds_endpoints_disabled: true },
  },
};
export const SEED_OCI_OVERRIDE_PLUGINS = {
  launch_instance_details: {
    agent_config: {
      OCI_MODEL_NAME: 'LaunchInstanceAgentConfigDetails',
      is_monitoring_disabled: false,
      is_management_disabled: false,
      are_all_plugins_disabled: false,
      plugins_config: [
        {
          OCI_MODEL_NAME: 'InstanceAgentPluginConfigDetails',
          name: 'Vulnerability Scanning',
          desired_state: 'ENABLED',
        },
      ],
    },
  },
};
