import { randomBytes } from 'node:crypto';
import type { GcpProvider, GcpServiceAccountKey } from '../../../src/config/types.js';
import {
  startGcpEmulator,
  type GcpEmulator,
  type GcpEmulatorOptions,
} from '../../../src/emulators/gcp/index.js';
import { emulatedGcpProvider, GCP_PROJECT, GCP_ZONE } from '../../helpers/gcp.js';
import { serviceAccountKey } from '../../helpers/keys.js';

export { serviceAccountKey };
export const PROJECT = GCP_PROJECT;
export const ZONE = GCP_ZONE;

export function provider(
  key: GcpServiceAccountKey,
  endpoint: string,
  extra: Partial<GcpProvider> = {},
): GcpProvider {
  return emulatedGcpProvider(key, endpoint, {
    startup_script:
      '#!/bin/bash\necho "server {server_id} token {manager_token} at {upstream_auth_address}"\n',
    gcp_network_tags: ['kasm-agent'],
    gcp_custom_labels: { team: 'vdi' },
    gcp_metadata: [{ key: 'enable-oslogin', value: 'TRUE' }],
    ...extra,
  });
}

/** An emulator on a fake lifecycle clock with one registered service account. */
export async function setup(opts: Partial<GcpEmulatorOptions> = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: GcpEmulator = await startGcpEmulator({
    now: () => clock,
    provisioningDelayMs: 60_000,
    deleteDelayMs: 30_000,
    operationDelayMs: 0,
    ...opts,
  });
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

export const tokens = {
  provider_name: 'gcp',
  manager_token: 'mgr-token-1',
  upstream_auth_address: 'kasm.example.com',
};
export const serverId = () => randomBytes(16).toString('hex');
