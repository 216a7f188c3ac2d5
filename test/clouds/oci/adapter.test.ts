import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOciAdapter } from '../../../src/clouds/oci/adapter.js';
import { createOciClients } from '../../../src/clouds/oci/client.js';
import { TAG_IDLE_SINCE, TAG_MANAGED, TAG_POOL, TAG_SERVER_ID } from '../../../src/clouds/ownership.js';
import { CloudError, type LaunchRequest, type OwnedInstance } from '../../../src/clouds/types.js';
import { renderOciLaunchDetails } from '../../../src/clouds/oci/render.js';
import type { OciEmulator } from '../../../src/emulators/oci/index.js';
import {
  AD1,
  AD2,
  COMPARTMENT,
  IMAGE,
  NSG1,
  NSG2,
  SUBNET,
  provider,
  rsaKey,
  setup,
  silenceSdkWarnings,
  caught,
} from './fixture.js';

const serverId = () => randomBytes(16).toString('hex');
const tokens = { manager_token: 'mgr-tok', upstream_auth_address: 'kasm.example.com', provider_name: 'oci' };
const req = (zone = AD1, over: Partial<LaunchRequest> = {}): LaunchRequest => {
  const id = serverId();
  return {
    autoscaleConfigName: 'Pool A',
    serverId: id,
    zone,
    idempotencyKey: `launch-${id}`,
    scriptTokens: tokens,
    ...over,
  };
};
const noSleep = { sleep: async () => {}, random: () => 0.5 };

let emu: OciEmulator | undefined;
silenceSdkWarnings();
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('OCI adapter against the emulator (real oci-core on the wire)', () => {
  it('lists only owned, not-terminated instances, paging through opc-next-page', async () => {
    const s = await setup({ pageSize: 2 });
    emu = s.emu;
    const a = createOciAdapter(s.p, { ...noSleep, poolNames: ['Pool A'] });
    const launched = [];
    for (let n = 0; n < 5; n++) launched.push((await a.launch(req(n % 2 ? AD2 : AD1))).instance);
    // One instance without our tags (launched by someone else), one of ours terminated.
    const raw = createOciClients(s.p).compute;
    await raw.launchInstance({
      launchInstanceDetails: {
        availabilityDomain: AD1,
        compartmentId: COMPARTMENT,
        shape: 'VM.Standard2.4',
        sourceDetails: { sourceType: 'image', imageId: IMAGE } as never,
        createVnicDetails: { subnetId: SUBNET },
        freeformTags: { team: 'vdi' },
      },
    });
    await a.terminate(launched[0]);
    s.tick(31_000);

    const before = emu.requests.filter((r) => r.operation === 'ListInstances').length;
    const owned = await a.listOwned();
    const pages = emu.requests.filter((r) => r.operation === 'ListInstances').length - before;
    expect(owned.map((i) => i.id).sort()).toEqual(
      launched
        .slice(1)
        .map((i) => i.id)
        .sort(),
    );
    expect(pages).toBe(3); // 6 instances (5 ours + 1 foreign), 2 per page
    expect(
      owned.every(
        (i) =>
          i.autoscaleConfigName === 'Pool A' &&
          i.state === 'provisioning' &&
          /^[0-9a-f]{32}$/.test(i.serverId),
      ),
    ).toBe(true);
    expect(new Set(owned.map((i) => i.zone))).toEqual(new Set([AD1, AD2]));
  });

  it('sends exactly what renderOciLaunchDetails renders, every config field included', async () => {
    const s = await setup();
    emu = s.emu;
    const p = provider(s.key, emu.url, {
      oci_nsg_ocids: [NSG1, NSG2],
      oci_baseline_ocpu_utilization: 'BASELINE_1_2',
      oci_storage_vpus_per_gb: 20,
      oci_ssh_public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example',
      oci_custom_tags: { team: 'vdi', 'cost-center': '42' },
      oci_config_override: {
        launch_instance_details: {
          instance_options: { OCI_MODEL_NAME: 'InstanceOptions', are_legacy_imds_endpoints_disabled: true },
          agent_config: {
            is_monitoring_disabled: false,
            plugins_config: [{ name: 'Bastion', desired_state: 'ENABLED' }],
          },
          freeform_tags: { Owner_Team: 'VDI' },
        },
      },
    });
    const a = createOciAdapter(p, noSleep);
    const r = req(AD2);
    const res = await a.launch(r);
    const expected = renderOciLaunchDetails(p, {
      autoscaleConfigName: r.autoscaleConfigName,
      serverId: r.serverId,
      zone: r.zone,
      scriptTokens: r.scriptTokens,
    });
    const wire = emu.stored[0].details;
    expect(wire).toEqual(expected);
    // Spot checks that the config really reached the wire.
    expect(wire).toMatchObject({
      availabilityDomain: AD2,
      compartmentId: COMPARTMENT,
      shape: 'VM.Standard.E4.Flex',
      shapeConfig: { ocpus: 2, memoryInGBs: 16, baselineOcpuUtilization: 'BASELINE_1_2' },
      sourceDetails: {
        sourceType: 'image',
        imageId: IMAGE,
        bootVolumeSizeInGBs: 60,
        bootVolumeVpusPerGB: 20,
      },
      createVnicDetails: { subnetId: SUBNET, nsgIds: [NSG1, NSG2] },
      instanceOptions: { areLegacyImdsEndpointsDisabled: true },
      agentConfig: {
        isMonitoringDisabled: false,
        pluginsConfig: [{ name: 'Bastion', desiredState: 'ENABLED' }],
      },
      freeformTags: {
        team: 'vdi',
        'cost-center': '42',
        Owner_Team: 'VDI',
        [TAG_MANAGED]: 'true',
        [TAG_SERVER_ID]: r.serverId,
      },
    });
    expect(Buffer.from(wire.metadata.user_data, 'base64').toString()).toContain(
      `server ${r.serverId} token mgr-tok at kasm.example.com`,
    );
    expect(wire.metadata.ssh_authorized_keys).toMatch(/^ssh-ed25519 /);
    expect(res.requestId).toBeTruthy();
    expect(res.instance).toMatchObject({
      zone: AD2,
      serverId: r.serverId,
      autoscaleConfigName: 'Pool A',
      state: 'provisioning',
    });
  });

  it('a retried launch with the same idempotency key makes one instance', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    const r = req();
    const first = await a.launch(r);
    const again = await a.launch(r);
    expect(again.instance.id).toBe(first.instance.id);
    expect(emu.stored).toHaveLength(1);
    // A very long key is hashed to fit opc-retry-token's 64 characters, still idempotent.
    const long = req(AD1, { idempotencyKey: `x`.repeat(200) });
    const l1 = await a.launch(long);
    const l2 = await a.launch(long);
    expect(l2.instance.id).toBe(l1.instance.id);
    expect(emu.stored).toHaveLength(2);
  });

  it('reports RUNNING after the provisioning delay; the emulator emits the filled startup script', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    const seen: Array<{ startupScript: string; tags: Record<string, string> }> = [];
    emu.events.on('running', (e) => seen.push(e));
    const r = req();
    await a.launch(r);
    s.tick(59_000);
    expect((await a.listOwned())[0].state).toBe('provisioning');
    s.tick(2_000);
    expect((await a.listOwned())[0].state).toBe('running');
    expect(seen).toHaveLength(1);
    expect(seen[0].startupScript).toContain(`server ${r.serverId} token mgr-tok`);
    expect(seen[0].tags[TAG_SERVER_ID]).toBe(r.serverId);
  });

  it('terminates an owned instance (TERMINATING, then gone from the list)', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    const gone: string[] = [];
    emu.events.on('terminated', (e) => gone.push(e.id));
    const { instance } = await a.launch(req());
    s.tick(61_000);
    const out = await a.terminate(instance);
    expect(out.requestId).toBeTruthy();
    expect((await a.listOwned())[0]).toMatchObject({ id: instance.id, state: 'terminating' });
    await a.terminate(instance); // terminating again is a no-op
    expect(emu.requests.filter((x) => x.operation === 'TerminateInstance')).toHaveLength(1);
    s.tick(30_000);
    expect(await a.listOwned()).toEqual([]);
    expect(gone).toEqual([instance.id]);
  });

  it('updates tags: GET + PUT of the whole map, our changes applied, foreign tags kept', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    const { instance } = await a.launch(req());
    // Someone adds a tag in the console after launch.
    const raw = createOciClients(s.p).compute;
    await raw.updateInstance({
      instanceId: instance.id,
      updateInstanceDetails: { freeformTags: { ...instance.tags, ticket: 'OPS-1' } },
    });
    await a.updateTags(instance, { [TAG_IDLE_SINCE]: '1736154000' });
    let [got] = await a.listOwned();
    expect(got.tags).toMatchObject({
      ticket: 'OPS-1',
      team: 'vdi',
      [TAG_IDLE_SINCE]: '1736154000',
      [TAG_MANAGED]: 'true',
    });
    expect(got.idleSince?.toISOString()).toBe('2025-01-06T09:00:00.000Z');
    await a.updateTags(got, { [TAG_IDLE_SINCE]: null });
    [got] = await a.listOwned();
    expect(got.tags[TAG_IDLE_SINCE]).toBeUndefined();
    expect(got.idleSince).toBeUndefined();
    const put = emu.requests.filter((x) => x.operation === 'UpdateInstance').at(-1)!;
    expect(put.headers['if-match']).toBeTruthy();
    expect(Object.keys(put.body as object)).toEqual(['freeformTags']);
  });

  it('refuses to terminate or retag an instance without our ownership tags', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    const raw = createOciClients(s.p).compute;
    const foreign = await raw.launchInstance({
      launchInstanceDetails: {
        availabilityDomain: AD1,
        compartmentId: COMPARTMENT,
        shape: 'VM.Standard2.4',
        sourceDetails: { sourceType: 'image', imageId: IMAGE } as never,
        createVnicDetails: { subnetId: SUBNET },
        freeformTags: { team: 'vdi' },
      },
    });
    const fake: OwnedInstance = {
      id: foreign.instance.id,
      name: 'x',
      state: 'running',
      cloudState: 'RUNNING',
      zone: AD1,
      createdAt: new Date(),
      autoscaleConfigName: 'Pool A',
      serverId: 'a'.repeat(32),
      tags: { team: 'vdi' },
    };
    expect((await caught(a.terminate(fake))).kind).toBe('invalid');
    expect((await caught(a.updateTags(fake, { x: '1' }))).kind).toBe('invalid');
    // A hand-made copy claiming our tags is checked against the live instance.
    const lying = {
      ...fake,
      tags: { [TAG_MANAGED]: 'true', [TAG_POOL]: 'pool-a', [TAG_SERVER_ID]: 'a'.repeat(32) },
    };
    expect((await caught(a.terminate(lying))).message).toMatch(/ownership tags/);
    expect(
      emu.requests.filter((x) => x.operation === 'TerminateInstance' || x.operation === 'UpdateInstance'),
    ).toHaveLength(0);
  });

  it('agentSize: flex from config (2 vCPUs per x86 OCPU), fixed and Arm shapes from ListShapes', async () => {
    const s = await setup();
    emu = s.emu;
    expect(await createOciAdapter(s.p).agentSize()).toEqual({ cores: 4, memoryMb: 16384, gpus: 0 });
    expect(
      await createOciAdapter({
        ...s.p,
        oci_shape: 'VM.Standard2.4',
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }).agentSize(),
    ).toEqual({ cores: 8, memoryMb: 61440, gpus: 0 });
    expect(
      await createOciAdapter({
        ...s.p,
        oci_shape: 'VM.GPU3.1',
        oci_availability_domains: [AD2],
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }).agentSize(),
    ).toEqual({ cores: 12, memoryMb: 92160, gpus: 1 });
    expect(
      await createOciAdapter({
        ...s.p,
        oci_shape: 'VM.Standard.A1.Flex',
        oci_flex_cpus: 4,
        oci_flex_memory_gb: 24,
      }).agentSize(),
    ).toEqual({ cores: 4, memoryMb: 24576, gpus: 0 });
    const e = await caught(
      createOciAdapter({
        ...s.p,
        oci_shape: 'VM.GPU3.1',
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }).agentSize(),
    );
    expect(e.kind).toBe('not_found');
  });
});

describe('OCI adapter error classes from injected faults', () => {
  it('capacity in one AD is reported for that AD; the next AD works', async () => {
    const s = await setup();
    emu = s.emu;
    emu.setFault({ kind: 'capacity', availabilityDomain: AD1, times: 1 });
    const a = createOciAdapter(s.p, noSleep);
    const e = await caught(a.launch(req(AD1)));
    expect(e).toMatchObject({ kind: 'capacity', zone: AD1, status: 500, code: 'InternalError' });
    expect(e.requestId).toBeTruthy();
    expect(e.message).toContain(e.requestId!);
    expect(emu.requests.filter((x) => x.operation === 'LaunchInstance')).toHaveLength(1); // not retried
    expect((await a.launch(req(AD2))).instance.zone).toBe(AD2);
  });

  it('quota: LimitExceeded and QuotaExceeded', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    emu.setFault({ kind: 'quota', times: 1 });
    expect(await caught(a.launch(req()))).toMatchObject({
      kind: 'quota',
      code: 'LimitExceeded',
      status: 400,
    });
    emu.setFault({ kind: 'quota', code: 'QuotaExceeded', times: 1 });
    expect(await caught(a.launch(req()))).toMatchObject({ kind: 'quota', code: 'QuotaExceeded' });
  });

  it('429 is retried after Retry-After, then succeeds', async () => {
    const s = await setup();
    emu = s.emu;
    const delays: number[] = [];
    const a = createOciAdapter(s.p, {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      retry: { baseDelayMs: 100 },
    });
    emu.setFault({ kind: 'throttle', retryAfterSeconds: 7, times: 2, operation: 'ListInstances' });
    expect(await a.listOwned()).toEqual([]);
    expect(delays).toEqual([7000, 7000]);
    expect(emu.requests.filter((x) => x.operation === 'ListInstances').map((x) => x.status)).toEqual([
      429, 429, 200,
    ]);
  });

  it('a 429 storm ends as a throttled error after the bounded attempts', async () => {
    const s = await setup();
    emu = s.emu;
    const delays: number[] = [];
    const a = createOciAdapter(s.p, {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      retry: { maxAttempts: 3, maxDelayMs: 5000 },
    });
    emu.setFault({ kind: 'throttle', retryAfterSeconds: 60 });
    const e = await caught(a.launch(req()));
    expect(e).toMatchObject({ kind: 'throttled', status: 429, code: 'TooManyRequests' });
    expect(delays).toEqual([5000, 5000]); // Retry-After capped by maxDelayMs
    expect(emu.stored).toHaveLength(0);
  });

  it('500 is retried with backoff; a persistent 500 is transient', async () => {
    const s = await setup();
    emu = s.emu;
    const delays: number[] = [];
    const a = createOciAdapter(s.p, {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      retry: { baseDelayMs: 100, maxAttempts: 4 },
    });
    emu.setFault({ kind: 'error500', times: 2, operation: 'LaunchInstance' });
    const r = req();
    const res = await a.launch(r);
    expect(delays).toEqual([50, 100]); // full jitter at 0.5 of 100, 200
    expect(emu.stored).toHaveLength(1);
    expect(res.instance.serverId).toBe(r.serverId);
    emu.setFault({ kind: 'error500', operation: 'GetInstance' });
    const e = await caught(a.terminate(res.instance));
    expect(e).toMatchObject({ kind: 'transient', status: 500 });
    expect(emu.requests.filter((x) => x.operation === 'GetInstance')).toHaveLength(4);
  });

  it('a dropped connection is retried (same retry token: still one instance), and classified transient when it persists', async () => {
    const s = await setup();
    emu = s.emu;
    const a = createOciAdapter(s.p, noSleep);
    emu.setFault({ kind: 'drop', times: 1, operation: 'LaunchInstance' });
    await a.launch(req());
    expect(emu.stored).toHaveLength(1);
    emu.setFault({ kind: 'drop', operation: 'ListInstances' });
    const e = await caught(a.listOwned());
    expect(e.kind).toBe('transient');
    expect(e.message).toMatch(/cannot reach the API/);
  });

  it('a refused connection is transient', async () => {
    const s = await setup();
    await s.emu.close();
    const e = await caught(createOciAdapter(s.p, { ...noSleep, retry: { maxAttempts: 2 } }).listOwned());
    expect(e.kind).toBe('transient');
    expect(e.message).toContain(s.emu.url);
  });

  it('auth: a wrong fingerprint or a key that was not uploaded → auth, never retried, cause named', async () => {
    const s = await setup();
    emu = s.emu;
    const wrongFp = createOciAdapter(
      { ...s.p, oci_fingerprint: '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff' },
      noSleep,
    );
    const e = await caught(wrongFp.listOwned());
    expect(e).toMatchObject({ kind: 'auth', status: 401, code: 'NotAuthenticated' });
    expect(e.message).toMatch(/oci_fingerprint/);
    expect(e.message).toMatch(/uploaded/);
    expect(e.message).toMatch(/oci_user_ocid/);
    expect(emu.requests.filter((x) => x.operation === 'ListInstances')).toHaveLength(1);

    const other = rsaKey(); // same fingerprint claimed, different key: the signature fails
    const wrongKey = createOciAdapter({ ...s.p, oci_private_key: other.privatePem }, noSleep);
    expect((await caught(wrongKey.launch(req()))).kind).toBe('auth');
    expect(emu.stored).toHaveLength(0);
    expect(JSON.stringify(e)).not.toContain('PRIVATE KEY');
  });

  it('a wrong passphrase fails before the SDK sees the key (no uncaught error); the right one works', async () => {
    const s = await setup();
    emu = s.emu;
    const enc = rsaKey('correct horse');
    emu.registerApiKey({ tenancy: s.p.oci_tenancy_ocid, user: s.p.oci_user_ocid }, enc.publicPem);
    let thrown: unknown;
    try {
      createOciAdapter(provider(enc, emu.url, { oci_private_key_passphrase: 'wrong' }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CloudError);
    expect((thrown as CloudError).kind).toBe('auth');
    expect((thrown as CloudError).message).toMatch(/passphrase/);
    expect((thrown as CloudError).message).not.toMatch(/wrong/);
    expect(() => createOciAdapter(provider(enc, emu!.url))).toThrow(/encrypted/);
    const ok = createOciAdapter(
      provider(enc, emu.url, { oci_private_key_passphrase: 'correct horse' }),
      noSleep,
    );
    expect(await ok.listOwned()).toEqual([]);
    // oci-cli's trailing OCI_API_KEY line is tolerated.
    expect(
      await createOciAdapter({ ...s.p, oci_private_key: `${s.key.privatePem}OCI_API_KEY\n` }).listOwned(),
    ).toEqual([]);
  });

  it('provisioning that never finishes stays PROVISIONING', async () => {
    const s = await setup();
    emu = s.emu;
    emu.setFault({ kind: 'never_provision', times: 1 });
    const a = createOciAdapter(s.p, noSleep);
    await a.launch(req());
    s.tick(24 * 3600_000);
    expect((await a.listOwned())[0].state).toBe('provisioning');
  });
});
