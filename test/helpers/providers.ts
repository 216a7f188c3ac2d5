/**
 * Config entries many tests need whole: an autoscale config with every field set, and the
 * GCP/OCI values of the seed page's examples (project pensive-voice-547511, us-east4; OCI
 * Ashburn), which config, render and submit tests spread and then vary.
 */
import type { AutoscaleConfig } from '../../src/config/types.js';

/** An enabled autoscale config with no standby and Kasm's default delays. */
export function autoscalePool(
  name: string,
  provider: string,
  zone = 'default',
  over: Partial<AutoscaleConfig> = {},
): AutoscaleConfig {
  return {
    autoscale_config_name: name,
    enabled: true,
    vm_provider_config_name: provider,
    zone_name: zone,
    standby_cores: 0,
    standby_memory_mb: 0,
    standby_gpus: 0,
    downscale_backoff: 900,
    agent_cores_override: 0,
    agent_memory_override_gb: 0,
    agent_gpus_override: 0,
    minimum_instances: 0,
    max_launch_per_pass: 10,
    scale_down_delay_after_launch: 600,
    provision_timeout: 900,
    ...over,
    // As the loader normalises it: the chain is the list, its first is the preferred provider.
    ...chainOf(provider, over),
  };
}

function chainOf(provider: string, over: Partial<AutoscaleConfig>) {
  const chain = over.vm_provider_config_names ?? [over.vm_provider_config_name ?? provider];
  return { vm_provider_config_name: chain[0], vm_provider_config_names: chain };
}

export const SEED_GCP_PROJECT = 'pensive-voice-547511';

/** The seed page's GCP placement: project, region, zone, machine, image, disk, network. */
export const SEED_GCP_PLACEMENT = {
  gcp_project: SEED_GCP_PROJECT,
  gcp_region: 'us-east4',
  gcp_zone: 'us-east4-b',
  gcp_machine_type: 'e2-standard-2',
  gcp_image: 'projects/ubuntu-os-cloud/global/images/ubuntu-2004-focal-v20211212',
  gcp_boot_volume_gb: 50,
  gcp_disk_type: 'pd-ssd',
  gcp_network: `projects/${SEED_GCP_PROJECT}/global/networks/default`,
  gcp_subnetwork: `projects/${SEED_GCP_PROJECT}/regions/us-east4/subnetworks/default`,
  gcp_public_ip: true,
} as const;

/** The address a seed-page service account key carries. */
export const SEED_GCP_CLIENT_EMAIL = `kasm@${SEED_GCP_PROJECT}.iam.gserviceaccount.com`;

/** `entries` as block-YAML lines indented by `indent` spaces, to splice into a config file text. */
export function yamlLines(entries: Record<string, unknown>, indent: number): string {
  return Object.entries(entries)
    .map(([k, v]) => `${' '.repeat(indent)}${k}: ${JSON.stringify(v)}`)
    .join('\n');
}
