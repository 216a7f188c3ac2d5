import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { GcpProvider, GcpServiceAccountKey } from '../../../src/config/types.js';
import { startGcpEmulator, type GcpEmulator, type GcpEmulatorOptions } from '../../../src/emulators/gcp/index.js';

export const PROJECT = 'kasm-test-project';
export const ZONE = 'us-central1-a';

/** A service account key shaped like the JSON Google's console downloads. */
export function serviceAccountKey(project = PROJECT, email = `kasm-scale@${project}.iam.gserviceaccount.com`): GcpServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: String(100000000000000000000n + BigInt(randomBytes(4).readUInt32BE(0))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  };
}

export function provider(key: GcpServiceAccountKey, endpoint: string, extra: Partial<GcpProvider> = {}): GcpProvider {
  return {
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'gcp-test',
    max_instances: 10,
    startup_script: '#!/bin/bash\necho "server {server_id} token {manager_token} at {upstream_auth_address}"\n',
    gcp_credentials: key,
    gcp_project: PROJECT,
    gcp_region: 'us-central1',
    gcp_zone: ZONE,
    gcp_machine_type: 'e2-standard-4',
    gcp_image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    gcp_boot_volume_gb: 50,
    gcp_disk_type: 'pd-balanced',
    gcp_network: 'projects/kasm-test-project/global/networks/default',
    gcp_subnetwork: 'projects/kasm-test-project/regions/us-central1/subnetworks/default',
    gcp_public_ip: true,
    gcp_network_tags: ['kasm-agent'],
    gcp_custom_labels: { team: 'vdi' },
    gcp_metadata: [{ key: 'enable-oslogin', value: 'TRUE' }],
    gcp_guest_accelerators: [],
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    endpoint,
    ...extra,
  };
}

/** An emulator on a fake lifecycle clock with one registered service account. */
export async function setup(opts: Partial<GcpEmulatorOptions> = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: GcpEmulator = await startGcpEmulator({ now: () => clock, provisioningDelayMs: 60_000, deleteDelayMs: 30_000, operationDelayMs: 0, ...opts });
  const key = serviceAccountKey();
  emu.registerServiceAccount(key);
  return {
    emu,
    key,
    p: provider(key, emu.url),
    tick: (ms: number) => {
      clock += ms;
      emu.tick();
    },
    now: () => clock,
  };
}

/** Drops what the library's serializer adds: `_`-helper keys, empty maps/lists. */
export function wireClean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wireClean);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('_')) continue;
      if (x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0) continue;
      out[k] = wireClean(x);
    }
    return out;
  }
  return v;
}

export const tokens = { provider_name: 'gcp', manager_token: 'mgr-token-1', upstream_auth_address: 'kasm.example.com' };
export const serverId = () => randomBytes(16).toString('hex');
