import { afterEach, describe, expect, it } from 'vitest';
import { CLOUD_LIST } from '../../src/clouds/registry.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';

// What Kasm shows instead of a stored secret (kasm.md: "Kasm returns it as `**********`").
const MASK = '**********';
const KEY = 'secrets-key';
const SECRET = 'secrets-secret-4d2';
const started: KasmEmulator[] = [];
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

async function call(url: string, name: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/api/public/${name}`, {
    method: 'POST',
    body: JSON.stringify({ api_key: KEY, api_key_secret: SECRET, ...body }),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('the Kasm emulator hides every secret a cloud submits', () => {
  for (const cloud of CLOUD_LIST) {
    // A secret by Kasm's form (type secret) or by the cloud's own declaration.
    const secrets = cloud.submitFields
      .filter((f) => f.type === 'secret' || cloud.secretKeys.includes(f.key))
      .map((f) => f.key);

    it(`${cloud.name}: ${secrets.join(', ')} come back masked, and are kept as sent`, async () => {
      expect(secrets.length).toBeGreaterThan(0);
      const e = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET });
      started.push(e);
      const sent: Record<string, unknown> = {
        vm_provider_name: cloud.name,
        vm_provider_config_name: `${cloud.name}-secrets`,
        max_instances: 2,
        startup_script: '#!/bin/sh\n',
        [`${cloud.name}_region`]: 'plain-region',
      };
      // JSON-text secrets (gcp_credentials) must hold a JSON object for Kasm's check.
      for (const k of secrets) sent[k] = `{"secret-of":"${k}"}`;
      const created = await call(e.url, 'create_vm_provider_config', { target_vm_provider_config: sent });
      const listed = await call(e.url, 'get_vm_provider_configs');
      const [row] = listed.vm_provider_configs as Record<string, unknown>[];
      for (const k of secrets) {
        expect((created.vm_provider_config as Record<string, unknown>)[k], k).toBe(MASK);
        expect(row[k], k).toBe(MASK);
        expect(e.state().vmProviderConfigs[0][k], k).toBe(sent[k]);
      }
      // Only secrets: a plain key is answered as stored.
      expect(row[`${cloud.name}_region`]).toBe('plain-region');
    });
  }

  it("Kasm's documented secrets are among them (kasm.md: oci_private_key, gcp_credentials)", () => {
    const all = CLOUD_LIST.flatMap((c) =>
      c.submitFields.filter((f) => f.type === 'secret').map((f) => f.key),
    );
    expect(all).toEqual(expect.arrayContaining(['oci_private_key', 'gcp_credentials']));
  });
});
