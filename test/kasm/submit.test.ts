import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutput, MemoryStream } from '../../src/core/output.js';
import { submitLoadedConfig, submitProviders, toKasmPayload } from '../../src/config/submit/index.js';
import { planSubmit } from '../../src/config/submit/plan.js';
import { createKasmClient } from '../../src/kasm/client.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import {
  configWith,
  gcpProvider,
  GCP_PRIVATE_KEY_SECRET,
  OCI_KEY_SECRET,
  ociProvider,
  PASSPHRASE_SECRET,
} from './fixtures.js';
import type { KasmScaleConfig } from '../../src/config/types.js';

const KEY = 'submitkey';
const SECRET = 'kasm-api-secret-7f3a9c';
const SECRETS = [
  SECRET,
  OCI_KEY_SECRET,
  GCP_PRIVATE_KEY_SECRET,
  PASSPHRASE_SECRET,
  'secretOCIkeybody',
  'secretGCPkeybody',
];

let emu: KasmEmulator;
beforeEach(async () => {
  emu = await startKasmEmulator({
    apiKey: KEY,
    apiKeySecret: SECRET,
    keys: [{ apiKey: 'ro', apiKeySecret: 'ro-secret-value', permissions: 'read-only' }],
  });
});
afterEach(() => emu.close());

const outputs: string[] = [];
afterAll(() => {
  // No run of `submit` in this file may print a secret, whatever happened.
  const all = outputs.join('\n');
  for (const s of SECRETS) expect(all).not.toContain(s);
});

async function run(
  config: KasmScaleConfig,
  opts: { dryRun?: boolean; provider?: string; json?: boolean } = {},
) {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  const out = createOutput({ json: opts.json, stdout, stderr, env: { NO_COLOR: '1' } });
  let code: number;
  try {
    code = await submitLoadedConfig(config, { dryRun: Boolean(opts.dryRun), provider: opts.provider }, out);
  } catch (err) {
    const e = err as Error & { hint?: string; exitCode?: number };
    stderr.text += `${e.message}; ${e.hint ?? ''}`;
    code = e.exitCode ?? -1;
  }
  outputs.push(stdout.text, stderr.text);
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    json: opts.json ? JSON.parse(stdout.text) : undefined,
  };
}

describe('config submit against the Kasm emulator', () => {
  it('create → unchanged → update, with only Kasm keys sent and secrets masked', async () => {
    const config = configWith(emu.url, KEY, SECRET, [
      ociProvider({ oci_private_key_passphrase: PASSPHRASE_SECRET }),
      gcpProvider(),
    ]);
    const first = await run(config);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\+ OCI Ashburn agents \(oci\): created [0-9a-f]{32}$/m);
    expect(first.stdout).toMatch(/^\+ gcp-east \(gcp\): created [0-9a-f]{32}$/m);
    expect(first.stdout).toContain('Done: 2 created, 0 updated, 0 unchanged');
    expect(first.stderr).toContain('oci_private_key_passphrase is not sent');
    expect(first.stderr).toContain('secret fields (oci_private_key, gcp_credentials) are not compared');

    // What Kasm stored: only Kasm keys, secrets as sent, JSON fields as JSON strings.
    const stored = emu.state().vmProviderConfigs;
    const oci = stored.find((c) => c.vm_provider_name === 'oci')!;
    expect(oci.vm_provider_config_id).toMatch(/^[0-9a-f]{32}$/);
    expect(oci.oci_private_key).toBe(OCI_KEY_SECRET);
    expect(oci.oci_availability_domains).toBe('["BEol:US-ASHBURN-AD-1","BEol:US-ASHBURN-AD-2"]');
    expect(oci.oci_flex_cpus).toBe(2);
    for (const k of Object.keys(oci)) expect(k).not.toMatch(/endpoint|_file$|passphrase/);
    const gcp = stored.find((c) => c.vm_provider_name === 'gcp')!;
    expect(JSON.parse(gcp.gcp_credentials as string).private_key).toBe(GCP_PRIVATE_KEY_SECRET);
    expect(gcp.gcp_public_ip).toBe(true);

    // Kasm's answers mask the secrets.
    const listed = await createKasmClient(config.kasm!).getVmProviderConfigs();
    expect(listed.map((c) => c.oci_private_key ?? c.gcp_credentials)).toEqual(['**********', '**********']);

    const second = await run(config);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^= OCI Ashburn agents \(oci\): unchanged [0-9a-f]{32}$/m);
    expect(second.stdout).toContain('Done: 0 created, 0 updated, 2 unchanged');
    const creates = emu.calls().create_vm_provider_config;

    const changed = configWith(emu.url, KEY, SECRET, [
      ociProvider({
        max_instances: 12,
        oci_ssh_public_key: 'ssh-ed25519 AAAAC3Nza test',
        oci_config_override: undefined,
      }),
      gcpProvider({ gcp_custom_labels: { env: 'staging' } }),
    ]);
    const dry = await run(changed, { dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /~ OCI Ashburn agents \(oci\): would update [0-9a-f]{32}: max_instances 10 → 12, oci_ssh_public_key = ssh-ed25519 AAAAC3Nza test, oci_config_override → cleared/,
    );
    expect(dry.stdout).toContain('gcp_custom_labels {"env":"prod"} → {"env":"staging"}');
    expect(dry.stdout).toContain('Plan (dry run, nothing sent to');
    expect(emu.calls().update_vm_provider_config).toBeUndefined();

    const third = await run(changed, { json: true });
    expect(third.code).toBe(0);
    expect(third.json.summary).toMatchObject({ created: 0, updated: 2, unchanged: 0, failed: 0 });
    expect(third.json.providers[0]).toMatchObject({
      name: 'OCI Ashburn agents',
      action: 'update',
      status: 'done',
      error: null,
    });
    expect(third.json.providers[0].changes.map((c: { field: string }) => c.field)).toEqual([
      'max_instances',
      'oci_ssh_public_key',
      'oci_config_override',
    ]);
    expect(emu.calls().create_vm_provider_config).toBe(creates);
    const after = emu.state().vmProviderConfigs.find((c) => c.vm_provider_name === 'oci')!;
    expect(after.max_instances).toBe(12);
    expect(after.oci_private_key).toBe(OCI_KEY_SECRET);
    expect(after.oci_config_override).toBe('{}');

    expect((await run(changed)).stdout).toContain('2 unchanged');

    // A rotated key with nothing else changed reaches Kasm only with resendSecrets.
    const rotated = configWith(emu.url, KEY, SECRET, [
      ociProvider({
        max_instances: 12,
        oci_ssh_public_key: 'ssh-ed25519 AAAAC3Nza test',
        oci_config_override: undefined,
        oci_private_key: 'ROTATED-KEY-PEM',
      }),
    ]);
    expect((await run(rotated)).stdout).toContain('1 unchanged');
    const forced = await submitLoadedConfig(
      rotated,
      { dryRun: false, resendSecrets: true },
      createOutput({ stdout: new MemoryStream(), stderr: new MemoryStream() }),
    );
    expect(forced).toBe(0);
    expect(emu.state().vmProviderConfigs.find((c) => c.vm_provider_name === 'oci')!.oci_private_key).toBe(
      'ROTATED-KEY-PEM',
    );
  });

  it('a config Kasm holds with native JSON values and numbers as strings is unchanged', async () => {
    const p = gcpProvider();
    const native = {
      ...toKasmPayload(p),
      gcp_custom_labels: { env: 'prod' },
      gcp_network_tags: ['https-server'],
      max_instances: '4',
      gcp_public_ip: 'true',
    } as Record<string, unknown>;
    delete native.vm_installed_os_type; // a Kasm that does not know the unconfirmed keys
    delete native.startup_script_type;
    await createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET }).createVmProviderConfig(
      native,
    );
    const r = await run(configWith(emu.url, KEY, SECRET, [p]));
    expect(r.stdout).toContain('= gcp-east (gcp): unchanged');
  });

  it('--provider picks one; an unknown name is an input error listing the names', async () => {
    const config = configWith(emu.url, KEY, SECRET);
    const r = await run(config, { provider: 'gcp-east' });
    expect(r.stdout).toContain('Done: 1 created');
    expect(emu.state().vmProviderConfigs).toHaveLength(1);
    const bad = await run(config, { provider: 'nope' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'has no provider named "nope"; --provider takes a vm_provider_config_name: "OCI Ashburn agents", "gcp-east"',
    );
  });

  it('two Kasm configs with the same type and name: that provider fails, the other is still submitted', async () => {
    const c = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
    await c.createVmProviderConfig(toKasmPayload(gcpProvider()));
    await c.createVmProviderConfig(toKasmPayload(gcpProvider()));
    const r = await run(configWith(emu.url, KEY, SECRET));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ gcp-east \(gcp\): 2 Kasm gcp VM provider configs are named "gcp-east" \(ids [0-9a-f]{32}, [0-9a-f]{32}\); rename or delete all but one in Kasm/,
    );
    expect(r.stdout).toContain('+ OCI Ashburn agents (oci): created');
  });

  it('Kasm errors: error_message on create, 401 read-only key, 403 bad key, 500 HTML, unreachable', async () => {
    emu.setFault({
      route: 'create_vm_provider_config',
      kind: 'error_message',
      message: 'Access Denied. Auto Scaling is not licensed',
      times: 1,
    });
    const lic = await run(configWith(emu.url, KEY, SECRET, [ociProvider()]));
    expect(lic.code).toBe(1);
    expect(lic.stdout).toContain(
      '✗ OCI Ashburn agents (oci): create failed: Kasm create_vm_provider_config failed: "Access Denied. Auto Scaling is not licensed"; autoscaling',
    );

    const ro = await run(configWith(emu.url, 'ro', 'ro-secret-value', [ociProvider()]));
    expect(ro.code).toBe(1);
    expect(ro.stdout).toContain(
      '401 Unauthorized to create_vm_provider_config; the API key lacks a permission: give it "VM Provider Create"',
    );

    const bad = await run(configWith(emu.url, KEY, 'wrong-secret', [ociProvider()]));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'Kasm refused the API key on get_vm_provider_configs (403 Access Denied); check kasm.api_key and kasm.api_key_secret',
    );

    emu.setFault({ route: 'get_vm_provider_configs', kind: 'html500', times: 1 });
    const html = await run(configWith(emu.url, KEY, SECRET), { json: false });
    expect(html.code).toBe(1);
    expect(html.stderr).toContain('answered HTTP 500 with an HTML error page');
    expect(html.stderr).not.toContain('<');

    const url = emu.url;
    await emu.close();
    const down = await run(configWith(url, KEY, SECRET));
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach Kasm at ${url}: connection refused`);
    emu = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET });
  });

  it('a missing kasm section or secret is an input error', async () => {
    const noKasm = { ...configWith(emu.url, KEY, SECRET), kasm: undefined };
    expect((await run(noKasm)).code).toBe(2);
    expect((await run(configWith(emu.url, KEY, ''))).stderr).toContain('kasm.api_key_secret is empty');
  });

  it('emulator: update leaves masked and omitted secrets unchanged', async () => {
    const c = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
    const created = await c.createVmProviderConfig(toKasmPayload(ociProvider()));
    expect(created.oci_private_key).toBe('**********');
    await c.updateVmProviderConfig(created.vm_provider_config_id, {
      oci_private_key: '**********',
      max_instances: 3,
    });
    await c.updateVmProviderConfig(created.vm_provider_config_id, { oci_shape: 'VM.Standard.E5.Flex' });
    const stored = emu.state().vmProviderConfigs[0];
    expect(stored).toMatchObject({
      oci_private_key: OCI_KEY_SECRET,
      max_instances: 3,
      oci_shape: 'VM.Standard.E5.Flex',
      oci_region: 'us-ashburn-1',
    });
    await expect(
      c.createVmProviderConfig({ ...toKasmPayload(ociProvider()), oci_custom_tags: '["not","a","dict"]' }),
    ).rejects.toThrow('Kasm create_vm_provider_config failed: "oci_custom_tags is not JSON dictionary"');
    await expect(
      c.updateVmProviderConfig(created.vm_provider_config_id, { oci_nsg_ocids: { not: 'a list' } }),
    ).rejects.toThrow('"oci_nsg_ocids is not JSON list"');
  });

  it('emulator: a key sent as null is unchanged; empty values are stored as sent; JSON native or as text', async () => {
    const c = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
    const created = await c.createVmProviderConfig({
      ...toKasmPayload(ociProvider()),
      oci_flex_cpus: null,
      oci_custom_tags: { team: 'vdi' },
    });
    expect(emu.state().vmProviderConfigs[0]).not.toHaveProperty('oci_flex_cpus');
    expect(emu.state().vmProviderConfigs[0].oci_custom_tags).toEqual({ team: 'vdi' });
    await c.updateVmProviderConfig(created.vm_provider_config_id, {
      oci_flex_cpus: 4,
      oci_flex_memory_gb: 16,
      oci_ssh_public_key: 'ssh-ed25519 AAAA x',
    });
    await c.updateVmProviderConfig(created.vm_provider_config_id, {
      oci_flex_cpus: null,
      oci_flex_memory_gb: 0,
      oci_ssh_public_key: '',
      oci_custom_tags: '',
      oci_nsg_ocids: [],
      oci_config_override: '{}',
    });
    expect(emu.state().vmProviderConfigs[0]).toMatchObject({
      oci_flex_cpus: 4,
      oci_flex_memory_gb: 0,
      oci_ssh_public_key: '',
      oci_custom_tags: '',
      oci_nsg_ocids: [],
      oci_config_override: '{}',
    });
  });
});

describe('submit plan (pure)', () => {
  it('sends only Kasm keys, JSON fields as strings, absent optional keys as their cleared value', () => {
    const body = toKasmPayload(ociProvider({ oci_config_override: undefined }));
    expect(body).not.toHaveProperty('endpoint');
    expect(body.oci_config_override).toBe('{}');
    expect(body.oci_custom_tags).toBe('{"team":"vdi"}');
    expect(body.oci_baseline_ocpu_utilization).toBe('');
    expect(body.oci_storage_vpus_per_gb).toBe(10);
  });

  it('plans create, unchanged and update from a list', async () => {
    const existing = [
      {
        ...toKasmPayload(gcpProvider()),
        vm_provider_config_id: 'a'.repeat(32),
        gcp_credentials: '**********',
      },
    ] as never;
    const plan = planSubmit(
      [
        gcpProvider(),
        gcpProvider({ vm_provider_config_name: 'other' }),
        ociProvider({ vm_provider_config_name: 'gcp-east' }),
      ],
      existing,
    );
    expect(plan.items.map((i) => i.action)).toEqual(['unchanged', 'create', 'create']);
    const upd = planSubmit([gcpProvider({ gcp_boot_volume_gb: 100 })], existing);
    expect(upd.items[0]).toMatchObject({
      action: 'update',
      vm_provider_config_id: 'a'.repeat(32),
      changes: [{ field: 'gcp_boot_volume_gb', kind: 'changed', from: 50, to: 100 }],
    });
  });

  it('submitProviders in dry run sends nothing', async () => {
    const e = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET });
    try {
      const { outcomes } = await submitProviders(
        [ociProvider()],
        createKasmClient({ url: e.url, api_key: KEY, api_key_secret: SECRET }),
        { dryRun: true },
      );
      expect(outcomes[0].status).toBe('planned');
      expect(e.calls()).toEqual({ get_vm_provider_configs: 1 });
    } finally {
      await e.close();
    }
  });
});
