import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';
import { ociKeyPair, serviceAccountKey } from '../helpers/keys.js';
import {
  SEED_GCP_CLIENT_EMAIL,
  SEED_GCP_PLACEMENT,
  SEED_GCP_PROJECT,
  yamlLines,
} from '../helpers/providers.js';

/**
 * `kasm-scale config submit` end to end: the built CLI, a real config file with secrets in
 * `*_file` and `${ENV}`, the Kasm emulator. Skipped until the config loader is built.
 */
const LOADER_BUILT = existsSync(resolve(__dirname, '../../dist/config/load.js'));

const KEY = 'clikey';
const SECRET = 'cli-kasm-secret-5be1d0';

describe.skipIf(!LOADER_BUILT)('config submit (built CLI) against the Kasm emulator', () => {
  let emu: KasmEmulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let ociPem: string;
  let gcpJson: string;
  const runs: CliRun[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    emu = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET });
    const oci = ociKeyPair();
    ociPem = oci.privatePem;
    const fingerprint = oci.fingerprint;
    writeFileSync(join(dir, 'oci.pem'), ociPem, { mode: 0o600 });
    gcpJson = JSON.stringify(serviceAccountKey(SEED_GCP_PROJECT, SEED_GCP_CLIENT_EMAIL));
    writeFileSync(join(dir, 'sa.json'), gcpJson, { mode: 0o600 });
    writeFileSync(join(dir, 'agent.sh'), '#!/bin/bash\necho {server_id} {manager_token} ${{HOME}}\n');
    const yaml = (maxOci: number) => `kasm:
  url: ${emu.url}
  api_key: ${KEY}
  api_key_secret: \${KASM_SECRET}
providers:
  - vm_provider_name: oci
    vm_provider_config_name: OCI Ashburn agents
    max_instances: ${maxOci}
    startup_script_file: agent.sh
    oci_user_ocid: ocid1.user.oc1..aaaaaaaaexampleuser
    oci_fingerprint: "${fingerprint}"
    oci_private_key_file: oci.pem
    oci_region: us-ashburn-1
    oci_tenancy_ocid: ocid1.tenancy.oc1..aaaaaaaaexampletenancy
    oci_compartment_ocid: ocid1.compartment.oc1..aaaaaaaaexamplecompartment
    oci_nsg_ocids: []
    oci_availability_domains: ["BEol:US-ASHBURN-AD-1"]
    oci_image_ocid: ocid1.image.oc1.iad.aaaaaaaaexampleimage
    oci_shape: VM.Standard.E4.Flex
    oci_flex_cpus: 2
    oci_flex_memory_gb: 8
    oci_boot_volume_gb: 60
    oci_custom_tags: {team: vdi}
    oci_subnet_ocid: ocid1.subnet.oc1.iad.aaaaaaaaexamplesubnet
    endpoint: http://127.0.0.1:8123
  - vm_provider_name: gcp
    vm_provider_config_name: gcp-east
    max_instances: 3
    startup_script_file: agent.sh
    gcp_credentials_file: sa.json
${yamlLines(SEED_GCP_PLACEMENT, 4)}
    gcp_network_tags: '["https-server"]'
    gcp_custom_labels: {env: prod}
`;
    writeFileSync(join(dir, 'kasm-scale.yaml'), yaml(5), { mode: 0o600 });
    writeFileSync(join(dir, 'changed.yaml'), yaml(9), { mode: 0o600 });
    // One OCI provider on a Flex shape with every Flex-only key, and the same provider moved
    // to a fixed shape: the Flex keys and the boot volume's VPUs are gone from the file.
    const flex = yaml(5)
      .replace(/  - vm_provider_name: gcp[\s\S]*$/, '')
      .replace('OCI Ashburn agents', 'OCI switching shape')
      .replace(
        '    oci_flex_memory_gb: 8\n',
        '    oci_flex_memory_gb: 8\n    oci_baseline_ocpu_utilization: BASELINE_1_2\n    oci_storage_vpus_per_gb: 20\n',
      );
    writeFileSync(join(dir, 'flex.yaml'), flex, { mode: 0o600 });
    const fixed = flex
      .replace('VM.Standard.E4.Flex', 'VM.Standard2.1')
      .replace(/    oci_(flex_cpus|flex_memory_gb|baseline_ocpu_utilization|storage_vpus_per_gb): .*\n/g, '');
    writeFileSync(join(dir, 'fixed.yaml'), fixed, { mode: 0o600 });
  });

  afterAll(async () => {
    await emu?.close();
    // No output of any run may hold a secret.
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const s of [
      SECRET,
      ociPem,
      gcpJson,
      ociPem.split('\n')[1],
      JSON.parse(gcpJson).private_key.split('\n')[1],
    ])
      expect(all).not.toContain(s);
    await cleanup?.();
  });

  const cli = async (args: string[]) => {
    const r = await runCli(['config', 'submit', ...args], {
      cwd: dir,
      env: { KASM_SECRET: SECRET, NO_COLOR: '1' },
    });
    runs.push(r);
    return r;
  };

  it('dry run, create, unchanged, update; exit codes; JSON', async () => {
    const dry = await cli(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ OCI Ashburn agents (oci): would create');
    expect(emu.state().vmProviderConfigs).toHaveLength(0);

    const created = await cli([]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Done: 2 created, 0 updated, 0 unchanged');
    const stored = emu.state().vmProviderConfigs;
    expect(stored.find((c) => c.vm_provider_name === 'oci')!.oci_private_key).toBe(ociPem);
    expect(JSON.parse(stored.find((c) => c.vm_provider_name === 'gcp')!.gcp_credentials as string)).toEqual(
      JSON.parse(gcpJson),
    );
    for (const c of stored) for (const k of Object.keys(c)) expect(k).not.toMatch(/endpoint|_file$/);

    const again = await cli(['kasm-scale.yaml', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toMatchObject({ unchanged: 2, created: 0, updated: 0 });

    const upd = await cli(['changed.yaml', '--provider', 'OCI Ashburn agents']);
    expect(upd.code).toBe(0);
    expect(upd.stdout).toMatch(/~ OCI Ashburn agents \(oci\): updated [0-9a-f]{32}: max_instances 5 → 9/);
  });

  it('Kasm failures are one line and exit 1; a bad --provider is exit 2', async () => {
    emu.setFault({ kind: 'html500', times: 1 });
    const r = await cli([]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: Kasm get_vm_provider_configs answered HTTP 500 with an HTML error page; /,
    );
    const wrong = await runCli(['config', 'submit'], {
      cwd: dir,
      env: { KASM_SECRET: 'not-the-secret', NO_COLOR: '1' },
    });
    runs.push(wrong);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('403 Access Denied');
    expect(wrong.stderr).not.toContain('not-the-secret');
    const bad = await cli(['--provider', 'nope']);
    expect(bad.code).toBe(2);
  });

  it('a switch from a Flex shape to a fixed one clears the Flex keys in Kasm; the next dry run is unchanged', async () => {
    expect((await cli(['flex.yaml'])).stdout).toContain('Done: 1 created');
    const dry = await cli(['fixed.yaml', '--dry-run']);
    expect(dry.code).toBe(0);
    const line = dry.stdout.split('\n').find((l) => l.includes('OCI switching shape'))!;
    expect(line).toMatch(/would update [0-9a-f]{32}: oci_shape VM\.Standard\.E4\.Flex → VM\.Standard2\.1, /);
    for (const c of [
      'oci_flex_cpus 2 → cleared',
      'oci_baseline_ocpu_utilization BASELINE_1_2 → cleared',
      'oci_flex_memory_gb 8 → cleared',
      'oci_storage_vpus_per_gb 20 → cleared',
    ])
      expect(line).toContain(c);
    const stored = () =>
      emu.state().vmProviderConfigs.find((c) => c.vm_provider_config_name === 'OCI switching shape')!;
    expect(stored()).toMatchObject({ oci_shape: 'VM.Standard.E4.Flex', oci_flex_cpus: 2 });

    const json = await cli(['fixed.yaml', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.summary).toMatchObject({ updated: 1 });
    expect(doc.providers[0].changes).toContainEqual({
      field: 'oci_flex_cpus',
      kind: 'removed',
      from: 2,
      sent: 0,
    });
    expect(stored()).toMatchObject({
      oci_shape: 'VM.Standard2.1',
      oci_flex_cpus: 0,
      oci_flex_memory_gb: 0,
      oci_baseline_ocpu_utilization: '',
      oci_storage_vpus_per_gb: 10,
    });

    const again = await cli(['fixed.yaml', '--dry-run']);
    expect(again.stdout).toMatch(/= OCI switching shape \(oci\): unchanged [0-9a-f]{32}/);
    expect(again.stdout).toContain('0 to create, 0 to update, 1 unchanged');
  });
});
