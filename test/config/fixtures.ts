import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { checkConfig } from '../../src/config/load.js';
import { encryptedPem, ociKeyPair, serviceAccountKey } from '../helpers/keys.js';
import { SEED_GCP_CLIENT_EMAIL, SEED_GCP_PLACEMENT, SEED_GCP_PROJECT } from '../helpers/providers.js';

/**
 * Test-only keys made at test time (never committed) and a valid config of each cloud
 * that the invalid-config table mutates one field at a time.
 */
export interface TestKeys {
  ociPem: string;
  ociFingerprint: string;
  ociEncryptedPem: string;
  gcpKeyJson: Record<string, unknown>;
}

let cached: TestKeys | undefined;
export function testKeys(): TestKeys {
  if (cached) return cached;
  const oci = ociKeyPair();
  cached = {
    ociPem: oci.privatePem,
    ociFingerprint: oci.fingerprint,
    ociEncryptedPem: encryptedPem(oci.privateKey, 'correct horse'),
    gcpKeyJson: { ...serviceAccountKey(SEED_GCP_PROJECT, SEED_GCP_CLIENT_EMAIL) },
  };
  return cached;
}

export const SCRIPT = '#!/bin/bash\necho "{server_id} {provider_name}" > /tmp/id\nX=${{HOME}}\n';

export function ociProvider(): Record<string, unknown> {
  const k = testKeys();
  return {
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-a',
    max_instances: 5,
    startup_script: SCRIPT,
    oci_user_ocid: 'ocid1.user.oc1..aaaaaaaauser',
    oci_fingerprint: k.ociFingerprint,
    oci_private_key: k.ociPem,
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: 'ocid1.tenancy.oc1..aaaaaaaatenancy',
    oci_compartment_ocid: 'ocid1.compartment.oc1..aaaaaaaacomp',
    oci_nsg_ocids: ['ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg'],
    oci_availability_domains: ['BEol:US-ASHBURN-AD-1'],
    oci_image_ocid: 'ocid1.image.oc1.iad.aaaaaaaaimage',
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 8,
    oci_baseline_ocpu_utilization: 'BASELINE_1_1',
    oci_boot_volume_gb: 50,
    oci_storage_vpus_per_gb: 10,
    oci_custom_tags: { team: 'workspaces' },
    oci_subnet_ocid: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
  };
}

export function gcpProvider(): Record<string, unknown> {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-a',
    max_instances: 3,
    startup_script: SCRIPT,
    gcp_credentials: testKeys().gcpKeyJson,
    ...SEED_GCP_PLACEMENT,
  };
}

export function baseConfig(): {
  kasm: Record<string, unknown>;
  providers: Record<string, unknown>[];
  autoscale: Record<string, unknown>[];
} {
  return {
    kasm: { url: 'https://kasm.example.com', api_key: 'key', api_key_secret: 'secret' },
    providers: [ociProvider(), gcpProvider()],
    autoscale: [
      { autoscale_config_name: 'oci pool', vm_provider_config_name: 'oci-a', zone_name: 'default' },
      { autoscale_config_name: 'gcp pool', vm_provider_config_name: 'gcp-a', zone_name: 'gpu' },
    ],
  };
}

/** Writes `doc` (YAML unless the name ends in .json) with mode 0600 and runs checkConfig. */
export async function check(
  dir: string,
  doc: unknown,
  opts: { name?: string; env?: NodeJS.ProcessEnv; mode?: number; text?: string } = {},
) {
  const file = join(dir, opts.name ?? 'kasm-scale.yaml');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    opts.text ?? (file.endsWith('.json') ? JSON.stringify(doc, null, 2) : stringify(doc)),
  );
  await chmod(file, opts.mode ?? 0o600);
  return checkConfig(file, { env: { HOME: dir, ...opts.env }, cwd: dir });
}
