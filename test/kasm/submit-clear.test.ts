import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSubmit, planSubmit } from '../../src/config/submit/index.js';
import { SUBMIT_FIELDS, submitFieldTable } from '../../src/config/submit/fields.js';
import { ociFields } from '../../src/clouds/oci/schema.js';
import { gcpFields } from '../../src/clouds/gcp/schema.js';
import type { Provider } from '../../src/config/types.js';
import { createKasmClient } from '../../src/kasm/client.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check, gcpProvider, ociProvider } from '../config/fixtures.js';

/**
 * The clearing rule, key by key, for every key `config submit` sends: the table in
 * fields.ts agrees with the schema (what the file may leave out), and leaving each
 * optional or defaulted key out of the file clears it in Kasm (the emulator models 1.15's
 * update: null and omitted keys are left unchanged), after which the plan is "unchanged".
 */

const KEY = 'clearkey';
const SECRET = 'clear-kasm-secret-91c2';
// kasm-scale's own keys: where to call, files to read, prices, how kasm-scale itself authenticates (docs/credentials.md).
const LOCAL_ONLY =
  /^endpoint$|^price$|_file$|^oci_private_key_passphrase$|^gcp_auth$|^oci_auth$|^oci_profile$|^spot$/;

/** Every optional key set to a real value; the Flex keys need a Flex shape. */
function fullOci(): Record<string, unknown> {
  return {
    ...ociProvider(),
    oci_baseline_ocpu_utilization: 'BASELINE_1_2',
    oci_storage_vpus_per_gb: 20,
    oci_ssh_public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ6z admin@example',
    oci_config_override: { launch_instance_details: { is_pv_encryption_in_transit_enabled: true } },
  };
}

function fullGcp(): Record<string, unknown> {
  return {
    ...gcpProvider(),
    gcp_cmek: 'projects/pensive-voice-547511/locations/us-east4/keyRings/ring/cryptoKeys/key',
    gcp_public_ip: true,
    gcp_network_tags: ['https-server'],
    gcp_custom_labels: { env: 'prod' },
    gcp_metadata: [{ key: 'enable-oslogin', value: 'TRUE' }],
    gcp_service_account: {
      email: 'agents@pensive-voice-547511.iam.gserviceaccount.com',
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    },
    gcp_guest_accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }],
    gcp_config_override: { description: 'kasm agent' },
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
  };
}

const FLEX_ONLY = ['oci_flex_cpus', 'oci_flex_memory_gb', 'oci_baseline_ocpu_utilization'];

/** The file without `key` (a Flex key goes with a switch to a fixed shape, as validate demands). */
function without(full: Record<string, unknown>, key: string): Record<string, unknown> {
  const out = { ...full };
  delete out[key];
  if (FLEX_ONLY.includes(key)) {
    out.oci_shape = 'VM.Standard2.1';
    for (const k of FLEX_ONLY) delete out[k];
  }
  return out;
}

let dir: string;
let cleanup: () => Promise<void>;
let emu: KasmEmulator;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  emu = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET });
});
afterAll(async () => {
  await emu?.close();
  await cleanup?.();
});

/** The provider exactly as loadConfig resolves it from a file holding `entry`. */
async function load(entry: Record<string, unknown>): Promise<{ provider?: Provider; problems: string[] }> {
  const doc = { ...baseConfig(), providers: [entry], autoscale: [] };
  const r = await check(dir, doc);
  return { provider: r.config?.providers[0], problems: r.problems.map((p) => `${p.path}: ${p.message}`) };
}

describe.each([
  ['oci', fullOci, ociFields],
  ['gcp', fullGcp, gcpFields],
] as const)('%s: the clearing table', (cloud, full, schemaFields) => {
  const fields = SUBMIT_FIELDS[cloud];

  it('has one row for every Kasm key of the schema, and no other', () => {
    const schemaKeys = Object.keys(schemaFields).filter((k) => !LOCAL_ONLY.test(k));
    expect(fields.map((f) => f.key).sort()).toEqual(schemaKeys.sort());
  });

  it.each(fields.map((f) => [f.key, f] as const))(
    '%s: the file may leave it out exactly when the table says so',
    async (key, f) => {
      const r = await load(without(full(), key));
      if (f.presence === 'required') {
        expect(
          r.problems.some((p) => p.includes(key)),
          r.problems.join('\n'),
        ).toBe(true);
        return;
      }
      expect(r.problems).toEqual([]);
      const value = (r.provider as unknown as Record<string, unknown>)[key];
      if (f.presence === 'optional') expect(value).toBeUndefined();
      else expect(value).toBeDefined();
    },
  );

  it.each(fields.filter((f) => f.presence !== 'required').map((f) => [f.key, f] as const))(
    '%s: left out of the file, it is cleared in Kasm, then unchanged',
    async (key, f) => {
      const client = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
      const name = `${cloud}-${key}`;
      const before = (await load({ ...full(), vm_provider_config_name: name })).provider!;
      await executeSubmit(planSubmit([before], await client.getVmProviderConfigs()), client, {
        dryRun: false,
      });
      const stored = () => emu.state().vmProviderConfigs.find((c) => c.vm_provider_config_name === name)!;
      const had = stored()[key];

      const after = (await load({ ...without(full(), key), vm_provider_config_name: name })).provider!;
      const plan = planSubmit([after], await client.getVmProviderConfigs());
      // A defaulted key left out sends its default, which may be what Kasm has already.
      if (f.presence === 'optional') expect(plan.items[0].action).toBe('update');
      const change = plan.items[0].changes.find((c) => c.field === key);
      if (f.presence === 'optional') {
        expect(change, `${key} must show as cleared`).toMatchObject({
          field: key,
          kind: 'removed',
          sent: typeof f.cleared === 'object' ? JSON.stringify(f.cleared) : f.cleared,
        });
      }
      await executeSubmit(plan, client, { dryRun: false });
      const now = stored()[key];
      if (f.presence === 'optional')
        expect(now).toEqual(typeof f.cleared === 'object' ? JSON.stringify(f.cleared) : f.cleared);
      else if (change) expect(now).not.toEqual(had);

      const again = planSubmit([after], await client.getVmProviderConfigs());
      expect(again.items[0]).toMatchObject({ action: 'unchanged', changes: [] });
    },
  );
});

describe('docs/submit.md', () => {
  it('shows the table generated from the code', () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/submit.md'), 'utf8');
    expect(doc).toContain(submitFieldTable('oci'));
    expect(doc).toContain(submitFieldTable('gcp'));
  });
});

describe('a key written with its cleared value', () => {
  it('oci_storage_vpus_per_gb: 10 in the file is a change to 10, not a clear; left out it is "cleared"; both then equal Kasm', async () => {
    const client = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
    const name = 'vpus-written';
    const p = async (entry: Record<string, unknown>) =>
      (await load({ ...entry, vm_provider_config_name: name })).provider!;
    await executeSubmit(planSubmit([await p(fullOci())], await client.getVmProviderConfigs()), client, {
      dryRun: false,
    });
    const written = planSubmit(
      [await p({ ...fullOci(), oci_storage_vpus_per_gb: 10 })],
      await client.getVmProviderConfigs(),
    );
    expect(written.items[0].changes).toEqual([
      { field: 'oci_storage_vpus_per_gb', kind: 'changed', from: 20, to: 10 },
    ]);
    const leftOut = planSubmit(
      [await p(without(fullOci(), 'oci_storage_vpus_per_gb'))],
      await client.getVmProviderConfigs(),
    );
    expect(leftOut.items[0].changes).toEqual([
      { field: 'oci_storage_vpus_per_gb', kind: 'removed', from: 20, sent: 10 },
    ]);
    await executeSubmit(leftOut, client, { dryRun: false });
    expect(
      planSubmit(
        [await p({ ...fullOci(), oci_storage_vpus_per_gb: 10 })],
        await client.getVmProviderConfigs(),
      ).items[0].action,
    ).toBe('unchanged');
  });
});
