import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { checkConfig, loadConfig } from '../../src/config/load.js';
import { ConfigInvalidError } from '../../src/config/problems.js';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check, gcpProvider, ociProvider, testKeys } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

/** The seed page's own examples (Kasm's docs), verbatim. */
const SEED_OCI_OVERRIDES = [
  `{
    "launch_instance_details": {
        "instance_options": {
            "OCI_MODEL_NAME": "InstanceOptions",
            "are_legacy_imds_endpoints_disabled": true
        }
    }
}`,
  `{
    "launch_instance_details": {
        "agent_config": {
            "OCI_MODEL_NAME": "LaunchInstanceAgentConfigDetails",
            "is_monitoring_disabled": false,
            "is_management_disabled": false,
            "are_all_plugins_disabled": false,
            "plugins_config": [{
                "OCI_MODEL_NAME": "InstanceAgentPluginConfigDetails",
                "name": "Vulnerability Scanning",
                "desired_state": "ENABLED"
            }]
        }
    }
}`,
];

const SEED_GCP = {
  gcp_project: 'pensive-voice-547511',
  gcp_region: 'us-east4',
  gcp_zone: 'us-east4-b',
  gcp_machine_type: 'e2-standard-2',
  gcp_image: 'projects/ubuntu-os-cloud/global/images/ubuntu-2004-focal-v20211212',
  gcp_disk_type: 'pd-ssd',
  gcp_cmek: 'projects/pensive-voice-547511/locations/global/keyRings/my-keyring/cryptoKeys/my-key',
  gcp_network: 'projects/pensive-voice-547511/global/networks/default',
  gcp_subnetwork: 'projects/pensive-voice-547511/regions/us-east4/subnetworks/default',
  gcp_network_tags: '["https-server", "foo", "bar"]',
  gcp_custom_labels: '{"foo": "bar", "bin":"baz"}',
  gcp_metadata: '[{"key": "ssh-keys", "value":"user1:ssh-rsa <key contents> user1"}]',
  gcp_service_account:
    '{"email": "service-account@example.com", "scopes":["https://www.googleapis.com/auth/cloud-platform"]}',
  gcp_guest_accelerators:
    '[{"acceleratorType":"projects/<project-id>/zones/<zone>/acceleratorTypes/nvidia-tesla-t4","acceleratorCount":1}]'
      .replace('<project-id>', 'pensive-voice-547511')
      .replace('<zone>', 'us-east4-b'),
  gcp_config_override:
    '{"shieldedInstanceConfig":{"enableIntegrityMonitoring":true,"enableSecureBoot":true,"enableVtpm":true}}',
  vm_installed_os_type: 'linux',
  startup_script_type: 'startup-script',
};

describe('valid configs', () => {
  it.each(SEED_OCI_OVERRIDES.map((o, i) => [i, o]))(
    'seed OCI override example %i validates (as a JSON string and as YAML)',
    async (_i, override) => {
      for (const value of [override, JSON.parse(override as string)]) {
        const cfg = baseConfig();
        cfg.providers[0].oci_config_override = value;
        const r = await check(dir, cfg);
        expect(r.problems).toEqual([]);
      }
    },
  );

  it('every GCP example value of the seed page validates', async () => {
    const cfg = baseConfig();
    Object.assign(cfg.providers[1], SEED_GCP);
    const r = await check(dir, cfg);
    expect(r.problems).toEqual([]);
    const g = r.config!.providers[1];
    expect(g.vm_provider_name === 'gcp' && g.gcp_custom_labels).toEqual({ foo: 'bar', bin: 'baz' });
    expect(g.vm_provider_name === 'gcp' && g.gcp_guest_accelerators[0].acceleratorCount).toBe(1);
  });

  it('resolves defaults: autoscale keys, empty JSON strings, OS-dependent script type', async () => {
    const cfg = baseConfig();
    Object.assign(cfg.providers[0], { oci_nsg_ocids: '', oci_custom_tags: '' });
    Object.assign(cfg.providers[1], { vm_installed_os_type: 'windows', gcp_service_account: '' });
    const r = await check(dir, cfg);
    expect(r.problems).toEqual([]);
    const [o, g] = r.config!.providers;
    expect(o.vm_provider_name === 'oci' && [o.oci_nsg_ocids, o.oci_custom_tags]).toEqual([[], {}]);
    expect(g.vm_provider_name === 'gcp' && [g.startup_script_type, g.gcp_service_account]).toEqual([
      'windows-startup-script-ps1',
      undefined,
    ]);
    expect(r.config!.autoscale[0]).toMatchObject({
      enabled: true,
      minimum_instances: 0,
      max_launch_per_pass: 10,
      scale_down_delay_after_launch: 600,
      provision_timeout: 900,
    });
  });

  it('reads *_file secrets relative to the config file, expands ~ and ${ENV}, accepts an encrypted key with its passphrase file', async () => {
    const k = testKeys();
    await mkdir(join(dir, 'sub', 'keys'), { recursive: true });
    await writeFile(join(dir, 'sub', 'keys', 'oci.pem'), k.ociEncryptedPem);
    await writeFile(join(dir, 'pass.txt'), 'correct horse');
    await writeFile(join(dir, 'sa.json'), JSON.stringify(k.gcpKeyJson));
    const oci = {
      ...ociProvider(),
      oci_private_key: undefined,
      oci_private_key_file: 'keys/oci.pem',
      oci_private_key_passphrase_file: '~/pass.txt',
      oci_fingerprint: '${FP}',
    };
    const gcp = { ...gcpProvider(), gcp_credentials: undefined, gcp_credentials_file: '~/sa.json' };
    const r = await check(
      dir,
      {
        kasm: { url: 'https://k.example.com', api_key: 'k', api_key_secret: '${SECRET}' },
        providers: [oci, gcp],
      },
      { name: 'sub/cfg.yaml', env: { FP: k.ociFingerprint, SECRET: 's3' } },
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    const [o, g] = r.config!.providers;
    expect(o.vm_provider_name === 'oci' && o.oci_private_key_passphrase).toBe('correct horse');
    expect(o).not.toHaveProperty('oci_private_key_file');
    expect(g.vm_provider_name === 'gcp' && g.gcp_credentials.client_email).toBe(k.gcpKeyJson.client_email);
    expect(r.config!.kasm?.api_key_secret).toBe('s3');
  });

  it('accepts JSON files and points problems at line:column', async () => {
    const cfg = baseConfig();
    cfg.providers[1].gcp_custom_labels = { Env: 'prod' };
    const r = await check(dir, cfg, { name: 'c.json' });
    const p = r.problems.find((x) => x.path === 'providers[1].gcp_custom_labels.Env')!;
    const lines = (await readFile(join(dir, 'c.json'), 'utf8')).split('\n');
    expect(lines[p.line! - 1].slice(p.column! - 1)).toMatch(/^"Env"/);
    const broken = await check(dir, null, { name: 'broken.json', text: '{"providers": [1,]}' });
    expect(broken.problems[0].message).toMatch(/not valid JSON/);
  });

  it('warns when a file holding an inline secret is readable by others; loadConfig throws every problem', async () => {
    const r = await check(dir, baseConfig(), { mode: 0o644 });
    expect(r.warnings.join('\n')).toMatch(/holds a secret inline .*readable by group\/others .*chmod 600/);
    const bad = baseConfig();
    bad.providers[0].oci_region = 'IAD';
    bad.providers[1].gcp_zone = 'us-west1-a';
    const file = join(dir, 'bad.yaml');
    await writeFile(file, JSON.stringify(bad));
    await chmod(file, 0o600);
    const err = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigInvalidError);
    expect((err as ConfigInvalidError).problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['providers[0].oci_region', 'providers[1].gcp_zone']),
    );
    expect((err as ConfigInvalidError).exitCode).toBe(2);
  });

  it('uses KASM_SCALE_CONFIG, then ./kasm-scale.yaml', async () => {
    await check(dir, baseConfig());
    expect((await checkConfig(undefined, { cwd: dir, env: { HOME: dir } })).config?.file).toBe(
      join(dir, 'kasm-scale.yaml'),
    );
    await expect(
      checkConfig(undefined, { cwd: dir, env: { KASM_SCALE_CONFIG: 'none.yaml' } }),
    ).rejects.toThrow(/none\.yaml does not exist/);
  });
});

describe('examples/', () => {
  it('oci.yaml and gcp.yaml validate with a generated key in a stand-in HOME', async () => {
    const k = testKeys();
    const home = join(dir, 'home');
    await mkdir(join(home, '.oci'), { recursive: true });
    await mkdir(join(home, '.config', 'kasm-scale'), { recursive: true });
    await writeFile(join(home, '.oci', 'oci_api_key.pem'), k.ociPem, { mode: 0o600 });
    await writeFile(
      join(home, '.config', 'kasm-scale', 'gcp-service-account.json'),
      JSON.stringify(k.gcpKeyJson),
      { mode: 0o600 },
    );
    const env = {
      HOME: home,
      KASM_API_KEY: 'k',
      KASM_API_KEY_SECRET: 's',
      KASM_MANAGER_TOKEN: 'm',
      OCI_FINGERPRINT: k.ociFingerprint,
    };
    for (const f of ['oci.yaml', 'gcp.yaml']) {
      const r = await checkConfig(resolve('examples', f), { env });
      expect(r.problems, f).toEqual([]);
    }
  });

  it('start with a schema pointer, and the committed schema is the generated one', async () => {
    for (const f of ['oci.yaml', 'gcp.yaml'])
      expect((await readFile(resolve('examples', f), 'utf8')).split('\n')[0]).toBe(
        '# yaml-language-server: $schema=./kasm-scale.schema.json',
      );
    const committed = JSON.parse(await readFile(resolve('examples/kasm-scale.schema.json'), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('provider chains', () => {
  it('loads both forms as one ordered list, the first provider being the preferred one', async () => {
    const cfg = baseConfig();
    delete cfg.autoscale[0].vm_provider_config_name;
    cfg.autoscale[0].vm_provider_config_names = ['gcp-a', 'oci-a'];
    cfg.autoscale[1].enabled = false;
    const r = await check(dir, cfg, { name: 'chain/kasm-scale.yaml' });
    expect(r.problems).toEqual([]);
    const [chain, single] = r.config!.autoscale;
    expect(chain.vm_provider_config_names).toEqual(['gcp-a', 'oci-a']);
    expect(chain.vm_provider_config_name).toBe('gcp-a');
    expect(single.vm_provider_config_names).toEqual(['gcp-a']);
    expect(Object.keys(single).filter((k) => k.startsWith('vm_provider'))).toHaveLength(2);
  });

  it('the JSON schema says: exactly one of the two keys, a chain without repeats', () => {
    const items = (configJsonSchema() as any).properties.autoscale.items;
    expect(items.oneOf.map((b: { required: string[] }) => b.required)).toEqual([
      ['vm_provider_config_name'],
      ['vm_provider_config_names'],
    ]);
    expect(items.properties.vm_provider_config_names).toMatchObject({ minItems: 1, uniqueItems: true });
  });
});
