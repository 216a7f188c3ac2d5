/**
 * Three emulators started in-process and a config that points at them: the OCI and GCP
 * objects it references are seeded, its keys are registered, its zones exist in Kasm and
 * its provider configs are in Kasm. Keys are made at test time with node:crypto.
 */
import type {
  AutoscaleConfig,
  GcpProvider,
  GcpServiceAccountKey,
  KasmScaleConfig,
  OciProvider,
} from '../../src/config/types.js';
import { startGcpEmulator, type GcpEmulator, type GcpSeed } from '../../src/emulators/gcp/index.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { startOciEmulator, type OciEmulator, type OciSeed } from '../../src/emulators/oci/index.js';
import { createKasmClient } from '../../src/kasm/client.js';
import { emulatedGcpProvider } from '../helpers/gcp.js';
import {
  ociKeyPair,
  serviceAccountKey as helperServiceAccountKey,
  type OciTestKey,
} from '../helpers/keys.js';
import { emulatedOciProvider, ociSeed, type OciIds } from '../helpers/oci.js';
import { autoscalePool } from '../helpers/providers.js';

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

export type RsaKey = OciTestKey;
export const rsaKey = (): RsaKey => ociKeyPair();

/** Shaped like the JSON Google's console downloads. */
export const serviceAccountKey = (project = PROJECT): GcpServiceAccountKey =>
  helperServiceAccountKey(project);

const IDS: OciIds = {
  tenancy: TENANCY,
  user: USER,
  compartment: COMPARTMENT,
  image: IMAGE,
  subnet: SUBNET,
  nsg1: NSG1,
  nsg2: NSG2,
  ad1: AD1,
  ad2: AD2,
};

export const OCI_SEED: OciSeed = { ...ociSeed(IDS), subnets: [{ id: SUBNET, displayName: 'agents' }] };

export function ociProvider(key: RsaKey, endpoint: string, over: Partial<OciProvider> = {}): OciProvider {
  return emulatedOciProvider(
    key,
    endpoint,
    { vm_provider_config_name: 'oci-agents', max_instances: 4, oci_nsg_ocids: [NSG1, NSG2], ...over },
    IDS,
  );
}

export function gcpProvider(
  key: GcpServiceAccountKey,
  endpoint: string,
  over: Partial<GcpProvider> = {},
): GcpProvider {
  return emulatedGcpProvider(
    key,
    endpoint,
    {
      vm_provider_config_name: 'gcp-agents',
      max_instances: 4,
      gcp_machine_type: 'n1-standard-4',
      gcp_public_ip: false,
      gcp_guest_accelerators: [
        {
          acceleratorType: `projects/${PROJECT}/zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`,
          acceleratorCount: 1,
        },
      ],
      ...over,
    },
    PROJECT,
  );
}

export const pool = (name: string, provider: string, zone: string): AutoscaleConfig =>
  autoscalePool(name, provider, zone);

export interface World {
  oci: OciEmulator;
  gcp: GcpEmulator;
  kasm: KasmEmulator;
  ociKey: RsaKey;
  gcpKey: GcpServiceAccountKey;
  /** A fresh, all-good config each call (tests break one thing in their copy). */
  config(over?: {
    oci?: Partial<OciProvider>;
    gcp?: Partial<GcpProvider>;
    kasm?: Partial<NonNullable<KasmScaleConfig['kasm']>>;
    autoscale?: AutoscaleConfig[];
  }): KasmScaleConfig;
  close(): Promise<void>;
}

// Made once per test file: RSA generation is the slow part of setting up.
let keys: { ociKey: RsaKey; gcpKey: GcpServiceAccountKey } | undefined;

export async function startWorld(
  opts: {
    ociSeed?: OciSeed;
    gcpSeed?: Partial<GcpSeed>;
    registerOciKey?: boolean;
    kasmZones?: string[];
  } = {},
): Promise<World> {
  keys ??= { ociKey: rsaKey(), gcpKey: serviceAccountKey() };
  const { ociKey, gcpKey } = keys;
  const oci = await startOciEmulator({ seed: opts.ociSeed ?? OCI_SEED });
  if (opts.registerOciKey !== false) oci.registerApiKey({ tenancy: TENANCY, user: USER }, ociKey.publicPem);
  const gcp = await startGcpEmulator({ seed: opts.gcpSeed, autoTick: false });
  gcp.registerServiceAccount(gcpKey);
  const kasm = await startKasmEmulator({
    apiKey: KASM_KEY,
    apiKeySecret: KASM_SECRET,
    zones: opts.kasmZones ?? ['default', 'gpu'],
  });
  // The provider configs are in Kasm (config submit's job; done here through the same API).
  const client = createKasmClient({ url: kasm.url, api_key: KASM_KEY, api_key_secret: KASM_SECRET });
  for (const [type, name] of [
    ['oci', 'oci-agents'],
    ['gcp', 'gcp-agents'],
  ])
    await client.createVmProviderConfig({
      vm_provider_name: type,
      vm_provider_config_name: name,
      max_instances: 4,
      startup_script: '#!/bin/bash\n',
    });

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
      autoscale: over.autoscale ?? [
        pool('oci-pool', 'oci-agents', 'default'),
        pool('gcp-pool', 'gcp-agents', 'gpu'),
      ],
    }),
    close: async () => {
      await Promise.all([oci.close(), gcp.close(), kasm.close()]);
    },
  };
}
