import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';
import {
  AD1,
  AD2,
  COMPARTMENT,
  IMAGE,
  KASM_KEY,
  KASM_SECRET,
  NSG1,
  PROJECT,
  startWorld,
  SUBNET,
  TENANCY,
  USER,
  ZONE,
  type World,
} from './fixture.js';

/**
 * The built CLI (dist/) against the three emulators, through a config file that points at
 * them with `endpoint` keys and an http loopback kasm.url; secrets come from *_file keys
 * and ${ENV}. Checks exit codes, the --json document and that no secret is printed.
 */
describe('kasm-scale doctor (built CLI)', () => {
  let w: World;
  let dir: string;
  let cleanup: () => Promise<void>;
  const runs: CliRun[] = [];

  const yaml = (o: { image?: string; zone?: string; kasmZone?: string } = {}) => `kasm:
  url: ${w.kasm.url}
  api_key: ${KASM_KEY}
  api_key_secret: \${KASM_SECRET}
providers:
  - vm_provider_name: oci
    vm_provider_config_name: oci-agents
    max_instances: 4
    startup_script_file: agent.sh
    oci_user_ocid: ${USER}
    oci_fingerprint: "${w.ociKey.fingerprint}"
    oci_private_key_file: oci.pem
    oci_region: us-ashburn-1
    oci_tenancy_ocid: ${TENANCY}
    oci_compartment_ocid: ${COMPARTMENT}
    oci_nsg_ocids: ["${NSG1}"]
    oci_availability_domains: ["${AD1}", "${AD2}"]
    oci_image_ocid: ${o.image ?? IMAGE}
    oci_shape: VM.Standard.E4.Flex
    oci_flex_cpus: 2
    oci_flex_memory_gb: 16
    oci_boot_volume_gb: 60
    oci_subnet_ocid: ${SUBNET}
    endpoint: ${w.oci.url}
  - vm_provider_name: gcp
    vm_provider_config_name: gcp-agents
    max_instances: 4
    startup_script_file: agent.sh
    gcp_credentials_file: sa.json
    gcp_project: ${PROJECT}
    gcp_region: us-central1
    gcp_zone: ${o.zone ?? ZONE}
    gcp_machine_type: n1-standard-4
    gcp_image: projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts
    gcp_boot_volume_gb: 50
    gcp_disk_type: pd-balanced
    gcp_network: projects/${PROJECT}/global/networks/default
    gcp_subnetwork: projects/${PROJECT}/regions/us-central1/subnetworks/default
    gcp_guest_accelerators: [{acceleratorType: nvidia-tesla-t4, acceleratorCount: 1}]
    endpoint: ${w.gcp.url}
autoscale:
  - autoscale_config_name: oci-pool
    vm_provider_config_name: oci-agents
    zone_name: ${o.kasmZone ?? 'default'}
  - autoscale_config_name: gcp-pool
    vm_provider_config_name: gcp-agents
    zone_name: gpu
`;

  beforeAll(async () => {
    w = await startWorld();
    ({ dir, cleanup } = await tempDir('kasm-scale-doctor-'));
    writeFileSync(join(dir, 'agent.sh'), '#!/bin/bash\necho {server_id}\n');
    writeFileSync(join(dir, 'oci.pem'), w.ociKey.privatePem, { mode: 0o600 });
    writeFileSync(join(dir, 'sa.json'), JSON.stringify(w.gcpKey), { mode: 0o600 });
    writeFileSync(join(dir, 'kasm-scale.yaml'), yaml(), { mode: 0o600 });
    writeFileSync(
      join(dir, 'broken.yaml'),
      yaml({ image: 'ocid1.image.oc1.iad.aaaaaaaamissing', zone: 'us-central1-z', kasmZone: 'nowhere' }),
      { mode: 0o600 },
    );
    writeFileSync(
      join(dir, 'invalid.yaml'),
      yaml().replace('oci_shape: VM.Standard.E4.Flex', 'oci_shape: not a shape'),
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    // No run may print a secret.
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const s of [KASM_SECRET, w.ociKey.privatePem.split('\n')[1], w.gcpKey.private_key.split('\n')[1]])
      expect(all).not.toContain(s);
    await w?.close();
    await cleanup?.();
  });

  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(['doctor', ...args], { cwd: dir, env: { KASM_SECRET, NO_COLOR: '1', ...env } });
    runs.push(r);
    return r;
  };

  it('all good: exit 0, one ✓ line per check, --json has every check', async () => {
    const human = await cli([]);
    expect(human.stderr).not.toMatch(/error|Request cannot be retried/i);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toContain('oci-agents (OCI)');
    expect(lines).toContain(
      '  ✓ credentials authenticate: signed request accepted (key ' +
        w.ociKey.fingerprint +
        ', user ocid1.user.oc1..aaaaaaaadoctoruser)',
    );
    expect(lines.filter((l) => /^ {2}✓ /.test(l))).toHaveLength(27);
    expect(lines.at(-1)).toBe('✓ doctor: 27 checks, 27 passed, 0 failed');
    expect(human.stderr).toContain('doctor: running 27 checks');

    const json = await cli(['--json', '--config', 'kasm-scale.yaml']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      ok: true,
      file: join(dir, 'kasm-scale.yaml'),
      summary: { checks: 27, passed: 27, failed: 0 },
    });
    expect(doc.groups.map((g: { name: string; kind: string }) => `${g.kind}:${g.name}`)).toEqual([
      'oci:oci-agents',
      'gcp:gcp-agents',
      'kasm:kasm',
    ]);
  });

  it('broken references: exit 1, each ✗ with a fix hint, the rest still reported; KASM_SCALE_CONFIG and --provider work', async () => {
    const r = await cli(['--json'], { KASM_SCALE_CONFIG: 'broken.yaml' });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const byKey = new Map<string, { status: string; hint: string | null }>(
      doc.groups.flatMap((g: { name: string; checks: { id: string }[] }) =>
        g.checks.map((c) => [`${g.name}/${c.id}`, c]),
      ),
    );
    expect(byKey.get('oci-agents/image')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/oci_image_ocid/),
    });
    expect(byKey.get('oci-agents/subnet')).toMatchObject({ status: 'ok' });
    expect(byKey.get('gcp-agents/zone')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/gcp_zone/),
    });
    expect(byKey.get('gcp-agents/machine-type')).toMatchObject({ status: 'skip' });
    expect(byKey.get('gcp-agents/image')).toMatchObject({ status: 'ok' });
    expect(byKey.get('kasm/zone:oci-pool')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/zone_name/),
    });
    expect(byKey.get('kasm/zone:gcp-pool')).toMatchObject({ status: 'ok' });
    expect(doc.summary).toMatchObject({ failed: 3, skipped: 2 });
    // Human lines go to stderr under --json: one per check, with the hint on the same line.
    expect(r.stderr).toMatch(/^ {2}✗ image exists: .* → fix: check oci_image_ocid/m);

    const one = await cli(['broken.yaml', '--provider', 'gcp-agents']);
    expect(one.code).toBe(1);
    expect(one.stdout).not.toContain('oci-agents');
    expect(one.stdout).toMatch(/^ {2}✗ zone us-central1-z: .* → fix: check gcp_zone/m);
  });

  it('an invalid config exits 2 without calling anything; an unknown --provider exits 2', async () => {
    const before = w.oci.requests.length;
    const bad = await cli(['invalid.yaml', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/oci_shape/);
    expect(bad.stderr).toMatch(/^error: .*oci_shape/m);
    expect(w.oci.requests.length).toBe(before);

    const unknown = await cli(['--provider', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no provider named "nope".*"oci-agents", "gcp-agents"/);
  });
});
