/**
 * Three emulators started in-process and a config that points at them: the OCI and GCP
 * objects it references are seeded, its keys are registered, its zones exist in Kasm and
 * its provider configs are in Kasm. Keys are made at test time with node:crypto.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AutoscaleConfig, GcpProvider, GcpServiceAccountKey, KasmScaleConfig, OciProvider } from '../../src/config/types.js';
import { startGcpEmulator, type GcpEmulator, type GcpSeed } from '../../src/emulators/gcp/index.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { startOciEmulator, type OciEmulator, type OciSeed } from '../../src/emulators/oci/index.js';
import { createKasmClient } from '../../src/kasm/client.js';
import { inspectKey } from '../../src/keys/inspect.js';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaadoctortenancy';
export const USER = 'ocid1.user.oc1..aaaaaaaadoctoruser';
export const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaadoctorcomp';
export const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaadoctorimage';
export const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaadoctorsubnet';
export const NSG1 = 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaadoctornsg1';
export const NSG2 = 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaadoctornsg2';
export const AD1 = 'Xyzw:US-ASHBURN-AD-1';
export const AD2 = 'Xyzw:US-ASHBURN-AD-2';
export const PROJECT = 'kasm-doctor-test';
export const ZONE = 'us-central1-a';
export const KASM_KEY = 'doctorkey';
export const KASM_SECRET = 'doctor-secret-8c1f0e';

export interface RsaKey {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

export function rsaKey(): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem, fingerprint: inspectKey(publicPem).fingerprint };
}

/** Shaped like the JSON Google's console downloads. */
export function serviceAccountKey(project = PROJECT): GcpServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `kasm-scale@${project}.iam.gserviceaccount.com`;
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '100000000000000000001',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export const OCI_SEED: OciSeed = {
  availabilityDomains: [AD1, AD2],
  compartments: [{ id: COMPARTMENT, name: 'kasm' }],
  images: [{ id: IMAGE }],
  subnets: [{ id: SUBNET, displayName: 'agents' }],
  networkSecurityGroups: [{ id: NSG1 }, { id: NSG2 }],
  shapes: [
    { shape: 'VM.Standard.E4.Flex', ocpus: 1, memoryInGBs: 16, isFlexible: true, ocpuOptions: { min: 1, max: 64 }, memoryOptions: { minInGBs: 1, maxInGBs: 1024 } },
    { shape: 'VM.Standard2.4', ocpus: 4, memoryInGBs: 60 },
  ],
};

export function ociProvider(key: RsaKey, endpoint: string, over: Partial<OciProvider> = {}): OciProvider {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-agents',
    max_instances: 4,
    startup_script: '#!/bin/bash\necho {server_id}\n',
    oci_user_ocid: USER,
    oci_fingerprint: key.fingerprint,
    oci_private_key: key.privatePem,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: TENANCY,
    oci_compartment_ocid: COMPARTMENT,
    oci_nsg_ocids: [NSG1, NSG2],
    oci_availability_domains: [AD1, AD2],
    oci_image_ocid: IMAGE,
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_boot_volume_gb: 60,
    oci_custom_tags: {},
    oci_subnet_ocid: SUBNET,
    endpoint,
    ...over,
  };
}

export function gcpProvider(key: GcpServiceAccountKey, endpoint: string, over: Partial<GcpProvider> = {}): GcpProvider {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-agents',
    max_instances: 4,
    startup_script: '#!/bin/bash\necho {server_id}\n',
    gcp_credentials: key,
    gcp_project: PROJECT,
    gcp_region: 'us-central1',
    gcp_zone: ZONE,
    gcp_machine_type: 'n1-standard-4',
    gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    gcp_boot_volume_gb: 50,
    gcp_disk_type: 'pd-balanced',
    gcp_network: `projects/${PROJECT}/global/networks/default`,
    gcp_subnetwork: `projects/${PROJECT}/regions/us-central1/subnetworks/default`,
    gcp_public_ip: false,
    gcp_network_tags: [],
    gcp_custom_labels: {},
    gcp_metadata: [],
    gcp_guest_accelerators: [{ acceleratorType: `projects/${PROJECT}/zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 1 }],
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    endpoint,
    ...over,
  } as GcpProvider;
}

export function pool(name: string, provider: string, zone: string): AutoscaleConfig {
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
  };
}

export interface World {
  oci: OciEmulator;
  gcp: GcpEmulator;
  kasm: KasmEmulator;
  ociKey: RsaKey;
  gcpKey: GcpServiceAccountKey;
  /** A fresh, all-good config each call (tests break one thing in their copy). */
  config(over?: { oci?: Partial<OciProvider>; gcp?: Partial<GcpProvider>; kasm?: Partial<NonNullable<KasmScaleConfig['kasm']>>; autoscale?: AutoscaleConfig[] }): KasmScaleConfig;
  close(): Promise<void>;
}

// Made once per test file: RSA generation is the slow part of setting up.
let keys: { ociKey: RsaKey; gcpKey: GcpServiceAccountKey } | undefined;

export async function startWorld(opts: { ociSeed?: OciSeed; gcpSeed?: Partial<GcpSeed>; registerOciKey?: boolean; kasmZones?: string[] } = {}): Promise<World> {
  keys ??= { ociKey: rsaKey(), gcpKey: serviceAccountKey() };
  const { ociKey, gcpKey } = keys;
  const oci = await startOciEmulator({ seed: opts.ociSeed ?? OCI_SEED });
  if (opts.registerOciKey !== false) oci.registerApiKey({ tenancy: TENANCY, user: USER }, ociKey.publicPem);
  const gcp = await startGcpEmulator({ seed: opts.gcpSeed, autoTick: false });
  gcp.registerServiceAccount(gcpKey);
  const kasm = await startKasmEmulator({ apiKey: KASM_KEY, apiKeySecret: KASM_SECRET, zones: opts.kasmZones ?? ['default', 'gpu'] });
  // The provider configs are in Kasm (config submit's job; done here through the same API).
  const client = createKasmClient({ url: kasm.url, api_key: KASM_KEY, api_key_secret: KASM_SECRET });
  for (const [type, name] of [['oci', 'oci-agents'], ['gcp', 'gcp-agents']])
    await client.createVmProviderConfig({ vm_provider_name: type, vm_provider_config_name: name, max_instances: 4, startup_script: '#!/bin/bash\n' });

  return {
    oci,
    gcp,
    kasm,
    ociKey,
    gcpKey,
    config: (over = {}) => ({
      file: '/test/kasm-scale.yaml',
      kasm: { url: kasm.url, api_key: KASM_KEY, api_key_secret: KASM_SECRET, ...over.kasm },
      providers: [ociProvider(ociKey, oci.url, over.oci), gcpProvider(gcpKey, gcp.url, over.gcp)],
      autoscale: over.autoscale ?? [pool('oci-pool', 'oci-agents', 'default'), pool('gcp-pool', 'gcp-agents', 'gpu')],
    }),
    close: async () => {
      await Promise.all([oci.close(), gcp.close(), kasm.close()]);
    },
  };
}
