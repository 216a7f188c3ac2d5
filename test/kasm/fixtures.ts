import type { GcpProvider, KasmScaleConfig, OciProvider } from '../../src/config/types.js';
import { SEED_GCP_PLACEMENT } from '../helpers/providers.js';

/** Resolved provider entries as loadConfig() returns them (secrets already read from *_file). */

export const OCI_KEY_SECRET =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretOCIkeybody\n-----END PRIVATE KEY-----\n';
export const GCP_PRIVATE_KEY_SECRET =
  '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCsecretGCPkeybody\n-----END PRIVATE KEY-----\n';
export const PASSPHRASE_SECRET = 'correct-horse-battery-staple-9';

export function ociProvider(over: Partial<OciProvider> = {}): OciProvider {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'OCI Ashburn agents',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho {server_id} ${{HOME}}\n',
    oci_user_ocid: 'ocid1.user.oc1..aaaaaaaauser',
    oci_fingerprint: '12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0',
    oci_private_key: OCI_KEY_SECRET,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: 'ocid1.tenancy.oc1..aaaaaaaatenancy',
    oci_compartment_ocid: 'ocid1.compartment.oc1..aaaaaaaacompartment',
    oci_nsg_ocids: ['ocid1.networksecuritygroup.oc1.iad.aaaansg'],
    oci_availability_domains: ['BEol:US-ASHBURN-AD-1', 'BEol:US-ASHBURN-AD-2'],
    oci_image_ocid: 'ocid1.image.oc1.iad.aaaaimage',
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 8,
    oci_boot_volume_gb: 80,
    oci_custom_tags: { team: 'vdi' },
    oci_subnet_ocid: 'ocid1.subnet.oc1.iad.aaaasubnet',
    oci_config_override: { launch_instance_details: { is_pv_encryption_in_transit_enabled: true } },
    endpoint: 'http://127.0.0.1:8123',
    ...over,
  };
}

export function gcpProvider(over: Partial<GcpProvider> = {}): GcpProvider {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-east',
    max_instances: 4,
    startup_script: '#!/bin/bash\necho {server_id}\n',
    gcp_credentials: {
      type: 'service_account',
      project_id: 'pensive-voice-547511',
      private_key: GCP_PRIVATE_KEY_SECRET,
      client_email: 'kasm@pensive-voice-547511.iam.gserviceaccount.com',
    },
    ...SEED_GCP_PLACEMENT,
    gcp_network_tags: ['https-server'],
    gcp_custom_labels: { env: 'prod' },
    gcp_metadata: [{ key: 'enable-oslogin', value: 'TRUE' }],
    gcp_service_account: {
      email: 'agents@pensive-voice-547511.iam.gserviceaccount.com',
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    },
    gcp_guest_accelerators: [
      {
        acceleratorType: 'projects/pensive-voice-547511/zones/us-east4-b/acceleratorTypes/nvidia-tesla-t4',
        acceleratorCount: 1,
      },
    ],
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    ...over,
  };
}

export function configWith(
  url: string,
  apiKey: string,
  apiKeySecret: string,
  providers = [ociProvider(), gcpProvider()],
): KasmScaleConfig {
  return {
    file: '/tmp/kasm-scale.yaml',
    kasm: { url, api_key: apiKey, api_key_secret: apiKeySecret },
    providers,
    autoscale: [],
  };
}
