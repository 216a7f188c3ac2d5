import { generateKeyPairSync } from 'node:crypto';
import type { OciProvider } from '../../../src/config/types.js';
import { startOciEmulator, type OciEmulator, type OciEmulatorOptions } from '../../../src/emulators/oci/index.js';
import { inspectKey } from '../../../src/keys/inspect.js';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
export const USER = 'ocid1.user.oc1..aaaaaaaauser';
export const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaacomp';
export const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaaimage';
export const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaasubnet';
export const NSG1 = 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg1';
export const NSG2 = 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg2';
export const AD1 = 'Uocm:US-ASHBURN-AD-1';
export const AD2 = 'Uocm:US-ASHBURN-AD-2';

export function rsaKey(passphrase?: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = passphrase
    ? privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString()
    : privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, fingerprint: inspectKey(publicPem).fingerprint };
}

export function provider(key: { privatePem: string; fingerprint: string }, endpoint: string, extra: Partial<OciProvider> = {}): OciProvider {
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-test',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho "server {server_id} token {manager_token} at {upstream_auth_address}"\n',
    oci_user_ocid: USER,
    oci_fingerprint: key.fingerprint,
    oci_private_key: key.privatePem,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: TENANCY,
    oci_compartment_ocid: COMPARTMENT,
    oci_nsg_ocids: [NSG1],
    oci_availability_domains: [AD1, AD2],
    oci_image_ocid: IMAGE,
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_boot_volume_gb: 60,
    oci_custom_tags: { team: 'vdi' },
    oci_subnet_ocid: SUBNET,
    endpoint,
    ...extra,
  };
}

export const SEED = {
  availabilityDomains: [AD1, AD2],
  compartments: [{ id: COMPARTMENT, name: 'kasm' }],
  images: [{ id: IMAGE }],
  subnets: [{ id: SUBNET }],
  networkSecurityGroups: [{ id: NSG1 }, { id: NSG2 }],
  shapes: [
    { shape: 'VM.Standard.E4.Flex', ocpus: 1, memoryInGBs: 16, isFlexible: true, ocpuOptions: { min: 1, max: 64 }, memoryOptions: { minInGBs: 1, maxInGBs: 1024 } },
    { shape: 'VM.Standard2.4', ocpus: 4, memoryInGBs: 60 },
    { shape: 'VM.GPU3.1', ocpus: 6, memoryInGBs: 90, gpus: 1, availabilityDomains: [AD2] },
    { shape: 'VM.Standard.A1.Flex', ocpus: 1, memoryInGBs: 6, isFlexible: true, processorDescription: '3.0 GHz Ampere Altra' },
  ],
};

/** An emulator on a fake clock with one registered key; `tick(ms)` advances the clock. */
export async function setup(opts: Partial<OciEmulatorOptions> = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: OciEmulator = await startOciEmulator({ now: () => clock, provisioningDelayMs: 60_000, terminatingDelayMs: 30_000, seed: SEED, ...opts });
  const key = rsaKey();
  emu.registerApiKey({ tenancy: TENANCY, user: USER }, key.publicPem);
  return { emu, key, p: provider(key, emu.url), tick: (ms: number) => void (clock += ms), now: () => clock };
}
