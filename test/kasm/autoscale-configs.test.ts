/**
 * get_autoscale_configs as Kasm 1.15 answers it (the emulator) and as the client reads it:
 * the provider config under its per-cloud key, the zone by id, and the Autoscale View
 * permission refused with 401 as Kasm does, which the coexistence check turns into a warning.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OperationalError } from '../../src/core/errors.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { competingKasmConfigs, readKasmAutoscalers } from '../../src/kasm/autoscalers.js';
import { createKasmClient } from '../../src/kasm/client.js';
import { autoscalePool } from '../helpers/providers.js';

let emu: KasmEmulator;
beforeAll(async () => {
  emu = await startKasmEmulator({
    apiKey: 'main',
    apiKeySecret: 'main-secret',
    zones: ['default', 'lab'],
    keys: [
      {
        apiKey: 'no-autoscale',
        apiKeySecret: 'nas-secret',
        permissions: ['servers_view', 'sessions_view', 'zones_view', 'vm_providers_view'],
      },
    ],
  });
});
afterAll(() => emu.close());

const client = (key = 'main', secret = 'main-secret') =>
  createKasmClient({ url: emu.url, api_key: key, api_key_secret: secret });

it('answers Kasm 1.15 rows: zone_id, the provider under <cloud>_vm_config_id, the others null; the client reads the provider id from it', async () => {
  const oci = await client().createVmProviderConfig({
    vm_provider_name: 'oci',
    vm_provider_config_name: 'oci-main',
    max_instances: 3,
    startup_script: '#!/bin/bash',
  });
  const gcp = await client().createVmProviderConfig({
    vm_provider_name: 'gcp',
    vm_provider_config_name: 'oci-main',
    max_instances: 3,
    startup_script: '#!/bin/bash',
  });
  emu.addAutoscaleConfig({
    autoscale_config_name: 'Kasm office',
    zone_name: 'default',
    vm_provider_config_id: oci.vm_provider_config_id,
    standby_cores: 4,
  });
  emu.addAutoscaleConfig({
    autoscale_config_name: 'Kasm gcp',
    zone_name: 'default',
    vm_provider_config_id: gcp.vm_provider_config_id,
  });
  emu.addAutoscaleConfig({
    autoscale_config_name: 'Kasm lab',
    zone_name: 'lab',
    vm_provider_config_id: oci.vm_provider_config_id,
  });

  const raw = (await client().call('get_autoscale_configs')).autoscale_configs as Record<string, unknown>[];
  const zones = await client().getZones();
  expect(raw[0]).toMatchObject({
    autoscale_config_name: 'Kasm office',
    autoscale_type: 'Docker Agent',
    enabled: true,
    standby_cores: 4,
    agent_gpus_override: 0,
    oci_vm_config_id: oci.vm_provider_config_id,
    gcp_vm_config_id: null,
    zone_id: zones.find((z) => z.zone_name === 'default')!.zone_id,
  });
  expect(raw[0]).not.toHaveProperty('zone_name');
  expect(raw[0].autoscale_config_id).toMatch(/^[0-9a-f]{32}$/);

  const parsed = await client().getAutoscaleConfigs();
  expect(parsed.map((c) => [c.autoscale_config_name, c.vm_provider_config_id])).toEqual([
    ['Kasm office', oci.vm_provider_config_id],
    ['Kasm gcp', gcp.vm_provider_config_id],
    ['Kasm lab', oci.vm_provider_config_id],
  ]);

  // Only the OCI one on zone default competes with an OCI pool named oci-main in zone default.
  const seen = await readKasmAutoscalers(client());
  const providers = [{ vm_provider_name: 'oci', vm_provider_config_name: 'oci-main' }] as never;
  const found = competingKasmConfigs(autoscalePool('office', 'oci-main', 'default'), providers, seen, zones);
  expect(found.map((c) => c.autoscale_config_name)).toEqual(['Kasm office']);
});

it('a key without Autoscale View is refused 401 "Unauthorized"; the client names the permission; the check becomes a warning', async () => {
  const err = await client('no-autoscale', 'nas-secret')
    .getAutoscaleConfigs()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OperationalError);
  expect((err as OperationalError).message).toBe('Kasm answered 401 Unauthorized to get_autoscale_configs');
  expect((err as OperationalError).hint).toContain('"Autoscale View"');
  const res = await fetch(`${emu.url}/api/public/get_autoscale_configs`, {
    method: 'POST',
    body: JSON.stringify({ api_key: 'no-autoscale', api_key_secret: 'nas-secret' }),
  });
  expect([res.status, await res.json()]).toEqual([401, { error_message: 'Unauthorized' }]);

  const seen = await readKasmAutoscalers(client('no-autoscale', 'nas-secret'));
  expect(seen).toMatchObject({
    permission: true,
    error: expect.stringMatching(
      /^cannot check for Kasm's own autoscaler: Kasm answered 401 Unauthorized to get_autoscale_configs/,
    ),
  });
  expect(seen.error).not.toContain('nas-secret');
});
