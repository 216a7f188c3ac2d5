/**
 * The resolved kasm-scale config: what `loadConfig()` returns after parsing YAML/JSON,
 * expanding `${ENV}` and `~`, reading `*_file` secrets and parsing JSON-in-string fields.
 *
 * CONTRACT for every module: import these names from here. The config module's zod
 * schema (src/config/schema/) is the source of truth; these names are re-exported from it
 * as `z.infer<>` types once it exists, so they must keep these names and shapes.
 */

export type BaselineOcpuUtilization = 'BASELINE_1_1' | 'BASELINE_1_2' | 'BASELINE_1_8';

/** Kasm's OCI VM provider keys, plus kasm-scale's own `endpoint` (never submitted to Kasm). */
export interface OciProvider {
  vm_provider_name: 'oci';
  vm_provider_config_name: string;
  max_instances: number;
  startup_script: string;
  oci_user_ocid: string;
  oci_fingerprint: string;
  /** PEM text (inline, `${ENV}` or read from `oci_private_key_file`). Secret. */
  oci_private_key: string;
  /** Secret; from `oci_private_key_passphrase` or `oci_private_key_passphrase_file`. */
  oci_private_key_passphrase?: string;
  oci_region: string;
  oci_tenancy_ocid: string;
  oci_compartment_ocid: string;
  oci_nsg_ocids: string[];
  oci_availability_domains: string[];
  oci_image_ocid: string;
  oci_shape: string;
  oci_flex_cpus?: number;
  oci_baseline_ocpu_utilization?: BaselineOcpuUtilization;
  oci_flex_memory_gb?: number;
  oci_boot_volume_gb: number;
  oci_storage_vpus_per_gb?: number;
  oci_custom_tags: Record<string, string>;
  oci_subnet_ocid: string;
  oci_ssh_public_key?: string;
  /** Kasm's override in Python-SDK snake_case (or camelCase); parsed JSON object. */
  oci_config_override?: Record<string, unknown>;
  /** kasm-scale only: base URL of the OCI API, e.g. http://127.0.0.1:8123 (default: the region's public endpoint). */
  endpoint?: string;
}

/** A parsed GCP service account key (`gcp_credentials`). Secret. */
export interface GcpServiceAccountKey {
  type: 'service_account';
  project_id?: string;
  private_key_id?: string;
  private_key: string;
  client_email: string;
  client_id?: string;
  token_uri?: string;
  [k: string]: unknown;
}

export interface GcpMetadataItem {
  key: string;
  value: string;
}

export interface GcpGuestAccelerator {
  acceleratorType: string;
  acceleratorCount: number;
}

/** Kasm's GCP VM provider keys, plus kasm-scale's own `endpoint` (never submitted to Kasm). */
export interface GcpProvider {
  vm_provider_name: 'gcp';
  vm_provider_config_name: string;
  max_instances: number;
  startup_script: string;
  gcp_credentials: GcpServiceAccountKey;
  gcp_project: string;
  gcp_region: string;
  gcp_zone: string;
  gcp_machine_type: string;
  gcp_image: string;
  gcp_boot_volume_gb: number;
  gcp_disk_type: string;
  gcp_cmek?: string;
  gcp_network: string;
  gcp_subnetwork: string;
  gcp_public_ip: boolean;
  gcp_network_tags: string[];
  gcp_custom_labels: Record<string, string>;
  gcp_metadata: GcpMetadataItem[];
  gcp_service_account?: { email: string; scopes: string[] };
  gcp_guest_accelerators: GcpGuestAccelerator[];
  gcp_config_override?: Record<string, unknown>;
  /** Kasm's "VM Installed OS Type" (key name not confirmed by Kasm's docs). */
  vm_installed_os_type: 'linux' | 'windows';
  /** Kasm's "Startup Script Type": the metadata key the script goes under. */
  startup_script_type: 'startup-script' | 'windows-startup-script-ps1' | 'windows-startup-script-cmd' | 'windows-startup-script-bat';
  /** kasm-scale only: e.g. http://127.0.0.1:8124 (default: Google's). */
  endpoint?: string;
}

export type Provider = OciProvider | GcpProvider;

/** An autoscale config ("pool"): Kasm's keys plus kasm-scale's scaling keys. */
export interface AutoscaleConfig {
  autoscale_config_name: string;
  enabled: boolean;
  /** The provider (by `vm_provider_config_name`) this pool launches on. */
  vm_provider_config_name: string;
  /** The Kasm zone whose agents this pool counts. */
  zone_name: string;
  standby_cores: number;
  standby_memory_mb: number;
  standby_gpus: number;
  /** Seconds an agent must be idle before it may be removed. */
  downscale_backoff: number;
  /** 0 = no override. */
  agent_cores_override: number;
  agent_memory_override_gb: number;
  agent_gpus_override: number;
  // kasm-scale's own keys (the reconcile issue): defaults applied by the loader.
  minimum_instances: number;
  max_launch_per_pass: number;
  scale_down_delay_after_launch: number;
  provision_timeout: number;
}

export interface KasmSection {
  /** https://kasm.example.com (http only on loopback). */
  url: string;
  api_key: string;
  /** Secret. */
  api_key_secret: string;
  /** PEM of a private CA to trust in addition to the system's. */
  ca_file?: string;
}

export interface KasmScaleConfig {
  /** Absolute path of the file it was loaded from. */
  file: string;
  kasm?: KasmSection;
  providers: Provider[];
  autoscale: AutoscaleConfig[];
}
