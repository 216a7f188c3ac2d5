import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createOutput, MemoryStream } from '../../src/core/output.js';
import { runDoctor } from '../../src/doctor/command.js';
import { printReport, reportJson } from '../../src/doctor/report.js';
import type { CheckResult, DoctorReport } from '../../src/core/checks.js';
import {
  AD1,
  AD2,
  NSG1,
  NSG2,
  OCI_SEED,
  PROJECT,
  pool,
  rsaKey,
  startWorld,
  TENANCY,
  USER,
  type World,
} from './fixture.js';

function check(r: DoctorReport, group: string, id: string): CheckResult {
  const g = r.groups.find((x) => x.name === group);
  const c = g?.checks.find((x) => x.id === id);
  if (!c)
    throw new Error(
      `no check ${group}/${id} in ${JSON.stringify(r.groups.map((x) => [x.name, x.checks.map((y) => y.id)]))}`,
    );
  return c;
}
/** Every check except the listed ones passed. */
function othersOk(r: DoctorReport, except: string[]) {
  const bad = r.groups.flatMap((g) =>
    g.checks
      .filter((c) => c.status !== 'ok' && !except.includes(`${g.name}/${c.id}`))
      .map((c) => `${g.name}/${c.id}: ${c.status} ${c.detail}`),
  );
  expect(bad).toEqual([]);
}
const fast = { run: { timeoutMs: 20_000 } };

// The OCI SDK console.warn()s on every failed request; the CLI silences that at start-up (src/cli/quiet.ts).
beforeAll(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('doctor against the emulators', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => w?.close());

  it('all good: every check ✓, and only reads reach the emulators', async () => {
    const oci0 = w.oci.requests.length;
    const gcp0 = w.gcp.requests.length;
    const kasm0 = w.kasm.calls();
    const r = await runDoctor(w.config(), fast);
    othersOk(r, []);
    expect(r.ok).toBe(true);
    expect(r.groups.map((g) => g.name)).toEqual(['oci-agents', 'gcp-agents', 'kasm']);
    expect(r.groups[0].checks.map((c) => c.id)).toEqual([
      'credentials',
      'compartment',
      'image',
      'subnet',
      `nsg:${NSG1}`,
      `nsg:${NSG2}`,
      `shape:${AD1}`,
      `shape:${AD2}`,
      'orphans',
    ]);
    expect(r.groups[1].checks.map((c) => c.id)).toEqual([
      'credentials',
      'project',
      'zone',
      'image',
      'network',
      'subnetwork',
      'machine-type',
      'accelerator:0:nvidia-tesla-t4',
      'orphans',
    ]);
    expect(r.groups[2].checks.map((c) => c.id)).toEqual([
      'reachable',
      'auth',
      'key',
      'zone:oci-pool',
      'zone:gcp-pool',
      'provider:oci-agents',
      'provider:gcp-agents',
      'kasm-autoscaler:oci-pool',
      'kasm-autoscaler:gcp-pool',
      'drain-permissions',
    ]);
    expect(check(r, 'kasm', 'drain-permissions').detail).toBe('update_server and delete_server allowed');
    expect(check(r, 'oci-agents', 'orphans').detail).toMatch(/^none \(ownership id k-[0-9a-f]{12}\)$/);

    // Never launches or changes anything: OCI and GCP saw GETs only, Kasm only get_* calls.
    const ociNew = w.oci.requests.slice(oci0);
    expect(ociNew.length).toBeGreaterThan(0);
    expect(new Set(ociNew.map((q) => q.method))).toEqual(new Set(['GET']));
    expect(new Set(ociNew.map((q) => q.operation))).toEqual(
      new Set(['ListShapes', 'GetImage', 'GetSubnet', 'GetNetworkSecurityGroup', 'ListInstances']),
    );
    const gcpNew = w.gcp.requests.slice(gcp0);
    expect(new Set(gcpNew.map((q) => q.method))).toEqual(new Set(['GET']));
    expect(gcpNew.every((q) => /\.(get|getFromFamily|aggregatedList|list)$/.test(q.api))).toBe(true);
    const calls = w.kasm.calls();
    const made = Object.keys(calls).filter((k) => calls[k] !== (kasm0[k] ?? 0));
    // The drain-permission probes address a server id that does not exist: Kasm changes nothing.
    expect(made.sort()).toEqual([
      'delete_server',
      'get_autoscale_configs',
      'get_vm_provider_configs',
      'get_zones',
      'update_server',
    ]);
    expect(w.oci.instances).toEqual([]);
    expect(w.gcp.instances()).toEqual([]);
  });

  it('renders one line per check with ✓, and a JSON document with every check', async () => {
    const r = await runDoctor(w.config(), fast);
    const stdout = new MemoryStream();
    const stderr = new MemoryStream();
    printReport(r, createOutput({ stdout, stderr, env: {} }));
    const lines = stdout.text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('  ✓'))).toHaveLength(28);
    expect(lines).toContain('oci-agents (OCI)');
    expect(lines.at(-1)).toBe('✓ doctor: 28 checks, 28 passed, 0 failed');
    const doc = reportJson(r);
    expect(doc.summary).toEqual({ checks: 28, passed: 28, failed: 0, warnings: 0, skipped: 0 });
    expect(JSON.stringify(doc)).not.toContain('PRIVATE KEY');
  });

  it('OCI: a missing image is ✗ with its hint; the rest are still checked', async () => {
    const missing = 'ocid1.image.oc1.iad.aaaaaaaamissingimage';
    const r = await runDoctor(w.config({ oci: { oci_image_ocid: missing } }), fast);
    const c = check(r, 'oci-agents', 'image');
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(/GetImage.*not found/);
    expect(c.hint).toMatch(/oci_image_ocid.*regional/);
    expect(c.requestId).toBeTruthy();
    // The shape lookup with an unknown image filter still finds the shape (the emulator has no image constraint).
    othersOk(r, ['oci-agents/image']);
    expect(r.ok).toBe(false);
  });

  it('OCI: a missing subnet and a missing NSG are each ✗', async () => {
    const nsg = 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaamissingnsg';
    const r = await runDoctor(
      w.config({
        oci: { oci_subnet_ocid: 'ocid1.subnet.oc1.iad.aaaaaaaamissingsubnet', oci_nsg_ocids: [NSG1, nsg] },
      }),
      fast,
    );
    expect(check(r, 'oci-agents', 'subnet')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/oci_subnet_ocid/),
    });
    expect(check(r, 'oci-agents', `nsg:${nsg}`)).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/oci_nsg_ocids/),
    });
    othersOk(r, ['oci-agents/subnet', `oci-agents/nsg:${nsg}`]);
  });

  it('OCI: an unknown compartment is ✗ (credentials still ✓), and the shape checks that need it are skipped', async () => {
    const r = await runDoctor(
      w.config({ oci: { oci_compartment_ocid: 'ocid1.compartment.oc1..aaaaaaaaunknown' } }),
      fast,
    );
    expect(check(r, 'oci-agents', 'credentials').status).toBe('ok');
    expect(check(r, 'oci-agents', 'compartment')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/oci_compartment_ocid.*policies/),
    });
    expect(check(r, 'oci-agents', `shape:${AD2}`)).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/compartment reachable/),
    });
  });

  it("OCI: a Flex size outside the shape's range is ✗", async () => {
    const r = await runDoctor(w.config({ oci: { oci_flex_cpus: 100 } }), { provider: 'oci-agents', ...fast });
    expect(check(r, 'oci-agents', `shape:${AD1}`)).toMatchObject({
      status: 'fail',
      hint: 'set oci_flex_cpus within 1–64',
    });
  });

  it('GCP: each unknown reference is ✗ with its hint', async () => {
    const cases: [string, Partial<Parameters<World['config']>[0] & object>['gcp'], RegExp, string[]][] = [
      ['image', { gcp_image: 'projects/ubuntu-os-cloud/global/images/ubuntu-1804-gone' }, /gcp_image/, []],
      // The subnetwork is then also ✗: it belongs to another network than the one named.
      ['network', { gcp_network: `projects/${PROJECT}/global/networks/nope` }, /gcp_network/, ['subnetwork']],
      [
        'subnetwork',
        { gcp_subnetwork: `projects/${PROJECT}/regions/us-central1/subnetworks/nope` },
        /gcp_subnetwork/,
        [],
      ],
      ['machine-type', { gcp_machine_type: 'n9-imaginary-4' }, /not offered in us-central1-a/, []],
    ];
    await Promise.all(
      cases.map(async ([id, over, hint, alsoFailing]) => {
        const r = await runDoctor(w.config({ gcp: over }), { provider: 'gcp-agents', ...fast });
        const c = check(r, 'gcp-agents', id);
        expect(c, JSON.stringify(c)).toMatchObject({ status: 'fail', hint: expect.stringMatching(hint) });
        othersOk(
          r,
          [id, ...alsoFailing].map((x) => `gcp-agents/${x}`),
        );
      }),
    );
    const mismatch = await runDoctor(
      w.config({ gcp: { gcp_network: `projects/${PROJECT}/global/networks/nope` } }),
      { provider: 'gcp-agents', ...fast },
    );
    expect(check(mismatch, 'gcp-agents', 'subnetwork').detail).toBe(
      `subnetwork default belongs to network ${PROJECT}/default, not ${PROJECT}/nope`,
    );
  });

  it('GCP: an unknown accelerator type is ✗; an unknown zone is ✗ and skips what lives in it', async () => {
    const acc = await runDoctor(
      w.config({
        gcp: { gcp_guest_accelerators: [{ acceleratorType: 'nvidia-imaginary-x1', acceleratorCount: 1 }] },
      }),
      { provider: 'gcp-agents', ...fast },
    );
    expect(check(acc, 'gcp-agents', 'accelerator:0:nvidia-imaginary-x1')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/accelerator-types list --filter=zone:us-central1-a/),
    });
    othersOk(acc, ['gcp-agents/accelerator:0:nvidia-imaginary-x1']);

    const zone = await runDoctor(
      w.config({
        gcp: {
          gcp_zone: 'us-central1-z',
          gcp_guest_accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }],
        },
      }),
      { provider: 'gcp-agents', ...fast },
    );
    expect(check(zone, 'gcp-agents', 'zone')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/gcp_zone/),
    });
    expect(check(zone, 'gcp-agents', 'machine-type').status).toBe('skip');
    expect(check(zone, 'gcp-agents', 'accelerator:0:nvidia-tesla-t4').status).toBe('skip');
    expect(check(zone, 'gcp-agents', 'image').status).toBe('ok');
  });

  it('GCP: a key the emulator does not know is refused (credentials ✗, everything after it skipped)', async () => {
    const { serviceAccountKey } = await import('./fixture.js');
    const stranger = serviceAccountKey();
    const r = await runDoctor(w.config({ gcp: { gcp_credentials: stranger } }), {
      provider: 'gcp-agents',
      ...fast,
    });
    const c = check(r, 'gcp-agents', 'credentials');
    expect(c).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/refused the signed token.*HTTP 401/),
      hint: expect.stringMatching(/deleted or disabled/),
    });
    expect(r.groups[0].checks.filter((x) => x.id !== 'credentials').every((x) => x.status === 'skip')).toBe(
      true,
    );
    expect(JSON.stringify(r)).not.toContain(stranger.private_key.slice(40, 80));
  });

  it('GCP: a project the account cannot see is ✗', async () => {
    const r = await runDoctor(w.config({ gcp: { gcp_project: 'someone-elses-proj' } }), {
      provider: 'gcp-agents',
      ...fast,
    });
    expect(check(r, 'gcp-agents', 'credentials').status).toBe('ok');
    expect(check(r, 'gcp-agents', 'project')).toMatchObject({
      status: 'fail',
      hint: expect.stringMatching(/project ID/),
    });
  });

  it('Kasm: a bad key is ✗ (reachable ✓); an unknown zone is ✗ naming the zones Kasm has', async () => {
    const bad = await runDoctor(w.config({ kasm: { api_key_secret: 'wrong-secret' } }), fast);
    expect(check(bad, 'kasm', 'reachable').status).toBe('ok');
    expect(check(bad, 'kasm', 'key')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/refused the API key/),
      hint: expect.stringMatching(/api_key_secret/),
    });
    expect(check(bad, 'kasm', 'zone:oci-pool').status).toBe('skip');
    expect(JSON.stringify(bad)).not.toContain('wrong-secret');
    // The clouds are still checked.
    expect(check(bad, 'oci-agents', `shape:${AD2}`).status).toBe('ok');

    const zone = await runDoctor(w.config({ autoscale: [pool('oci-pool', 'oci-agents', 'Default')] }), fast);
    expect(check(zone, 'kasm', 'zone:oci-pool')).toMatchObject({
      status: 'fail',
      detail: 'Kasm has no zone named "Default" (it has: "default", "gpu")',
      hint: expect.stringMatching(/case-sensitive/),
    });
    othersOk(zone, ['kasm/zone:oci-pool']);
  });

  it("Kasm: an enabled Kasm autoscale config on a pool's zone and provider config is ✗ with the fix; without Autoscale View only a warning", async () => {
    const theirs = w.kasm.addAutoscaleConfig({
      autoscale_config_name: 'Kasm agents',
      zone_name: 'default',
      vm_provider_config_name: 'oci-agents',
    });
    w.kasm.addAutoscaleConfig({
      autoscale_config_name: 'other zone',
      zone_name: 'gpu',
      vm_provider_config_name: 'oci-agents',
    });
    w.kasm.addAutoscaleConfig({
      autoscale_config_name: 'off',
      zone_name: 'default',
      vm_provider_config_name: 'oci-agents',
      enabled: false,
    });
    try {
      const r = await runDoctor(w.config({ autoscale: [pool('oci-pool', 'oci-agents', 'default')] }), {
        provider: 'oci-agents',
        ...fast,
      });
      expect(check(r, 'kasm', 'kasm-autoscaler:oci-pool')).toMatchObject({
        status: 'fail',
        detail:
          'Kasm\'s own autoscale config "Kasm agents" is enabled for zone "default" with provider config oci-agents: two autoscalers would launch for the same demand',
        hint: expect.stringMatching(
          /^disable it in Kasm .*, or remove autoscale config oci-pool from \/test\/kasm-scale.yaml; reconcile skips this pool/,
        ),
      });
      expect(r.ok).toBe(false);

      w.kasm.setFault({ route: 'get_autoscale_configs', kind: 'status', status: 401, times: 1 });
      const unsure = await runDoctor(w.config({ autoscale: [pool('oci-pool', 'oci-agents', 'default')] }), {
        provider: 'oci-agents',
        ...fast,
      });
      expect(check(unsure, 'kasm', 'kasm-autoscaler:oci-pool')).toMatchObject({
        status: 'warn',
        hint: expect.stringContaining('Autoscale View'),
      });
      expect(unsure.ok).toBe(true);

      w.kasm.setAutoscaleConfigEnabled(theirs.autoscale_config_id, false);
      const fine = await runDoctor(w.config({ autoscale: [pool('oci-pool', 'oci-agents', 'default')] }), {
        provider: 'oci-agents',
        ...fast,
      });
      expect(check(fine, 'kasm', 'kasm-autoscaler:oci-pool')).toMatchObject({
        status: 'ok',
        detail: "none of Kasm's 3 autoscale config(s) is enabled for this zone and provider config",
      });
    } finally {
      w.kasm.clearFaults();
      for (const c of w.kasm.state().autoscaleConfigs ?? [])
        w.kasm.setAutoscaleConfigEnabled(c.autoscale_config_id, false);
    }
  });

  it('Kasm: an unreachable URL is ✗ with a hint; a provider config missing in Kasm is only a warning', async () => {
    const { startKasmEmulator } = await import('../../src/emulators/kasm/index.js');
    const gone = await startKasmEmulator({ apiKey: 'k', apiKeySecret: 's' });
    const url = gone.url;
    await gone.close();
    const r = await runDoctor(w.config({ kasm: { url } }), { provider: 'oci-agents', ...fast });
    expect(check(r, 'kasm', 'reachable')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/cannot reach Kasm.*connection refused/),
      hint: expect.stringMatching(/kasm.url/),
    });
    expect(check(r, 'kasm', 'key').status).toBe('skip');

    const cfg = w.config();
    cfg.providers[0] = { ...cfg.providers[0], vm_provider_config_name: 'not-submitted' };
    cfg.autoscale = [pool('p', 'not-submitted', 'default')];
    const warned = await runDoctor(cfg, { provider: 'not-submitted', ...fast });
    expect(check(warned, 'kasm', 'provider:not-submitted')).toMatchObject({
      status: 'warn',
      hint: expect.stringMatching(/config submit/),
    });
    expect(warned.ok).toBe(true);
  });

  it('a config without a kasm section: the clouds are checked, Kasm is a warning', async () => {
    const cfg = { ...w.config(), kasm: undefined };
    const r = await runDoctor(cfg, { provider: 'oci-agents', ...fast });
    expect(r.groups[1].checks).toMatchObject([
      { id: 'configured', status: 'warn', hint: expect.stringMatching(/add kasm:/) },
    ]);
    expect(r.ok).toBe(true);
  });

  it('--provider keeps one provider and its autoscale configs; an unknown name is an input error', async () => {
    const r = await runDoctor(w.config(), { provider: 'gcp-agents', ...fast });
    expect(r.groups.map((g) => g.name)).toEqual(['gcp-agents', 'kasm']);
    expect(r.groups[1].checks.map((c) => c.id)).toEqual([
      'reachable',
      'auth',
      'key',
      'zone:gcp-pool',
      'provider:gcp-agents',
      'kasm-autoscaler:gcp-pool',
      'drain-permissions',
    ]);
    await expect(runDoctor(w.config(), { provider: 'nope' })).rejects.toBeInstanceOf(InputError);
  });
});

describe('doctor against emulators seeded differently', () => {
  it('OCI: a shape not offered in AD-2 is ✗ for AD-2 only', async () => {
    const w = await startWorld({
      ociSeed: {
        ...OCI_SEED,
        shapes: OCI_SEED.shapes!.map((s) =>
          s.shape === 'VM.Standard.E4.Flex' ? { ...s, availabilityDomains: [AD1] } : s,
        ),
      },
    });
    try {
      const r = await runDoctor(w.config(), { provider: 'oci-agents', ...fast });
      expect(check(r, 'oci-agents', `shape:${AD1}`).status).toBe('ok');
      expect(check(r, 'oci-agents', `shape:${AD2}`)).toMatchObject({
        status: 'fail',
        detail: `VM.Standard.E4.Flex is not offered in ${AD2} for this compartment`,
        hint: expect.stringMatching(new RegExp(`remove ${AD2}`)),
      });
      othersOk(r, [`oci-agents/shape:${AD2}`]);
    } finally {
      await w.close();
    }
  });

  it('OCI: a shape offered but not for the image is told apart', async () => {
    const w = await startWorld({
      ociSeed: {
        ...OCI_SEED,
        shapes: [
          {
            shape: 'VM.Standard.E4.Flex',
            ocpus: 1,
            memoryInGBs: 16,
            isFlexible: true,
            imageIds: ['ocid1.image.oc1.iad.aaaaaaaaother'],
          },
        ],
      },
    });
    try {
      const r = await runDoctor(w.config(), { provider: 'oci-agents', ...fast });
      expect(check(r, 'oci-agents', `shape:${AD1}`)).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/offered in .* but not for image/),
      });
    } finally {
      await w.close();
    }
  });

  it('OCI: a key OCI does not know (wrong fingerprint) → credentials ✗ with the likely causes; GCP and Kasm still reported', async () => {
    const w = await startWorld({ registerOciKey: false });
    try {
      // Another key is uploaded for this user: ours (and its fingerprint) is unknown to OCI.
      w.oci.registerApiKey({ tenancy: TENANCY, user: USER }, rsaKey().publicPem);
      const r = await runDoctor(w.config(), fast);
      const c = check(r, 'oci-agents', 'credentials');
      expect(c).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/refused the signed request \(NotAuthenticated, HTTP 401/),
      });
      expect(c.hint).toMatch(/upload the public key.*oci_user_ocid and oci_tenancy_ocid/);
      expect(r.groups[0].checks.slice(1).every((x) => x.status === 'skip')).toBe(true);
      othersOk(
        r,
        r.groups[0].checks.map((x) => `oci-agents/${x.id}`),
      );

      // A fingerprint that is not the private key's own: the hint says exactly that.
      const other = rsaKey();
      const mismatch = await runDoctor(w.config({ oci: { oci_fingerprint: other.fingerprint } }), {
        provider: 'oci-agents',
        ...fast,
      });
      expect(check(mismatch, 'oci-agents', 'credentials').hint).toMatch(
        new RegExp(
          `oci_fingerprint ${other.fingerprint} does not match the private key \\(its fingerprint is ${w.ociKey.fingerprint}\\)`,
        ),
      );
    } finally {
      await w.close();
    }
  });
});

describe('doctor: the pass lease', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    w.oci.createBucket('ops');
  });
  afterAll(async () => w?.close());
  const withLock = (bucket: string) => ({
    ...w.config(),
    lock: { type: 'oci-object-storage' as const, provider: 'oci-agents', bucket },
  });

  it('takes and gives back a shared lease with the provider credentials (✓), nothing left behind', async () => {
    const r = await runDoctor(withLock('ops'), { provider: 'oci-agents', ...fast });
    expect(check(r, 'oci-object-storage', 'lease')).toMatchObject({
      status: 'ok',
      detail: 'took and released oci-object-storage ops/kasm-scale/reconcile.lease',
    });
    expect(w.oci.objects('ops')).toEqual({});
    const stdout = new MemoryStream();
    printReport(r, createOutput({ stdout, stderr: new MemoryStream(), env: {} }));
    expect(stdout.text).toContain('Pass lease (oci-object-storage)');
  });

  it('a lease bucket that does not exist is ✗ with what to do', async () => {
    const r = await runDoctor(withLock('nope'), { provider: 'oci-agents', ...fast });
    expect(check(r, 'oci-object-storage', 'lease')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^lock bucket nope does not exist/),
      hint: expect.stringMatching(/create the bucket/),
    });
  });
});
