import { afterEach, describe, expect, it } from 'vitest';
import { createGcpAdapter } from '../../../src/clouds/gcp/adapter.js';
import { gcpClientOptions } from '../../../src/clouds/gcp/client.js';
import {
  TAG_IDLE_SINCE,
  TAG_MANAGED,
  TAG_POOL,
  TAG_SERVER_ID,
  ownershipTags,
  requestIdFor,
} from '../../../src/clouds/ownership.js';
import { CloudError, type CloudAdapter, type OwnedInstance } from '../../../src/clouds/types.js';
import { renderGcpInstance } from '../../../src/clouds/gcp/render.js';
import type { GcpProvider } from '../../../src/config/types.js';
import type { GcpEmulator } from '../../../src/emulators/gcp/index.js';
import { PROJECT, ZONE, provider, serverId, serviceAccountKey, setup, tokens, wireClean } from './fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function env(opts: Parameters<typeof setup>[0] = {}, extra: Partial<GcpProvider> = {}) {
  const s = await setup(opts);
  closers.push(() => s.emu.close());
  const sleeps: number[] = [];
  const p = { ...s.p, ...extra };
  const adapter = await createGcpAdapter(p, {
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    poolNames: ['GPU Pool', 'pool-a'],
  });
  closers.push(() => adapter.close!());
  return { ...s, p, adapter, sleeps };
}

function req(pool = 'pool-a', key?: string) {
  const id = serverId();
  return {
    autoscaleConfigName: pool,
    serverId: id,
    zone: ZONE,
    idempotencyKey: key ?? `launch-${id}`,
    scriptTokens: tokens,
  };
}

/** Inserts an instance without our labels, through the real library (someone else's VM). */
async function insertForeign(
  emu: GcpEmulator,
  p: GcpProvider,
  name: string,
  labels: Record<string, string> = { team: 'vdi' },
) {
  const { InstancesClient } = await import('@google-cloud/compute');
  const c = new InstancesClient(gcpClientOptions(p));
  const body = renderGcpInstance(p, {
    autoscaleConfigName: 'x',
    serverId: serverId(),
    zone: ZONE,
    scriptTokens: tokens,
  });
  await c.insert({ project: PROJECT, zone: ZONE, instanceResource: { ...body, name, labels } });
  await c.close();
}

async function expectCloudError(p: Promise<unknown>): Promise<CloudError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('GCP adapter against the emulator, through @google-cloud/compute', () => {
  it('lists only our instances, in every zone of the project, paging through every page with the label filter', async () => {
    const { emu, p, adapter } = await env({ pageSize: 2 });
    const launched = [];
    for (let n = 0; n < 4; n++)
      launched.push((await adapter.launch(req(n % 2 ? 'GPU Pool' : 'pool-a'))).instance.name);
    // The pool used to live in another zone: those instances are still ours.
    const moved = await createGcpAdapter({ ...p, gcp_zone: 'us-central1-b' }, { sleep: async () => {} });
    closers.push(() => moved.close!());
    launched.push((await moved.launch({ ...req(), zone: 'us-central1-b' })).instance.name);
    await insertForeign(emu, p, 'someone-elses-vm');
    await insertForeign(emu, p, 'looks-like-ours', { [TAG_MANAGED]: 'true' }); // managed label but no pool/server id
    emu.requests.length = 0;
    const owned = await adapter.listOwned();
    expect(owned.map((o) => o.name).sort()).toEqual([...launched].sort());
    expect(new Set(owned.map((o) => o.zone))).toEqual(new Set([ZONE, 'us-central1-b']));
    const lists = emu.requests.filter((r) => r.api === 'instances.aggregatedList');
    expect(lists.length).toBe(3); // 6 match the filter (5 + looks-like-ours), 2 per page
    expect(lists[0].query.filter).toBe('labels.kasm-scale-managed = "true"');
    expect(lists[1].query.pageToken).toBeTruthy();
    const gpu = owned.find((o) => o.autoscaleConfigName === 'GPU Pool')!;
    expect(gpu.tags[TAG_POOL]).toBe(ownershipTags('GPU Pool', gpu.serverId)[TAG_POOL]);
    expect(gpu.state).toBe('provisioning');
    expect(gpu.zone).toBe(ZONE);
  });

  it('launches with every config field reaching the wire exactly as renderGcpInstance builds it', async () => {
    const extra: Partial<GcpProvider> = {
      gcp_cmek: 'projects/kasm-test-project/locations/us-central1/keyRings/kasm/cryptoKeys/disks',
      gcp_disk_type: 'pd-ssd',
      gcp_network_tags: ['kasm-agent', 'allow-https'],
      gcp_custom_labels: { team: 'vdi', cost_center: 'cc-42' },
      gcp_metadata: [
        { key: 'enable-oslogin', value: 'TRUE' },
        { key: 'block-project-ssh-keys', value: 'true' },
      ],
      gcp_service_account: {
        email: 'agents@kasm-test-project.iam.gserviceaccount.com',
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      },
      gcp_config_override: {
        description: 'kasm agent',
        shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true },
        scheduling: { automaticRestart: true },
      },
    };
    const { emu, p, adapter, now } = await env({}, extra);
    const r = req();
    const res = await adapter.launch(r);
    const sent = emu.lastRequest('instances.insert')!;
    const expected = renderGcpInstance(p, {
      autoscaleConfigName: r.autoscaleConfigName,
      serverId: r.serverId,
      zone: r.zone,
      scriptTokens: r.scriptTokens,
    });
    expect(wireClean(sent.body)).toEqual(wireClean(expected));
    expect(sent.query.requestId).toBe(requestIdFor(r.idempotencyKey));
    // The filled startup script, under the configured key.
    const items = (sent.body as { metadata: { items: { key: string; value: string }[] } }).metadata.items;
    expect(items.find((i) => i.key === 'startup-script')!.value).toContain(
      `server ${r.serverId} token mgr-token-1`,
    );
    expect(res.instance).toMatchObject({
      name: expected.name,
      autoscaleConfigName: 'pool-a',
      serverId: r.serverId,
      zone: ZONE,
      state: 'provisioning',
    });
    expect(res.instance.createdAt.getTime()).toBe(now());
    expect(res.requestId).toMatch(/^operation-/);
  });

  it('is idempotent: the same launch twice makes one instance', async () => {
    const { emu, adapter } = await env();
    const r = req('pool-a', 'pass-7/pool-a/1');
    const a = await adapter.launch(r);
    const b = await adapter.launch(r);
    expect(b.requestId).toBe(a.requestId);
    expect(emu.instances()).toHaveLength(1);
    expect(emu.requests.filter((x) => x.api === 'instances.insert')).toHaveLength(2);
  });

  it('emits running with the startup script, terminates, and the instance goes away', async () => {
    const { emu, adapter, tick } = await env();
    const running: { name: string; startupScript?: string }[] = [];
    const terminated: { name: string }[] = [];
    emu.events.on('running', (e) => running.push(e));
    emu.events.on('terminated', (e) => terminated.push(e));
    const { instance } = await adapter.launch(req());
    tick(60_000);
    expect(running.map((e) => e.name)).toEqual([instance.name]);
    expect(running[0].startupScript).toContain(`server ${instance.serverId}`);
    const [live] = await adapter.listOwned();
    expect(live.state).toBe('running');
    const t = await adapter.terminate(live);
    expect(t.requestId).toMatch(/^operation-/);
    expect((await adapter.listOwned())[0].cloudState).toBe('STOPPING');
    tick(30_000);
    expect(await adapter.listOwned()).toEqual([]);
    expect(terminated.map((e) => e.name)).toEqual([instance.name]);
    // Terminating what is already gone is fine (a retried pass).
    expect(await adapter.terminate(live)).toEqual({});
  });

  it('updates labels with the fingerprint and reads again once when it went stale', async () => {
    const { emu, adapter } = await env();
    const { instance } = await adapter.launch(req());
    await adapter.updateTags(instance, { [TAG_IDLE_SINCE]: '1736153000' });
    let [live] = await adapter.listOwned();
    expect(live.idleSince).toEqual(new Date(1736153000 * 1000));
    expect(live.tags.team).toBe('vdi');

    // Someone changes the labels between our read and our write: 412, read again, win.
    let raced = false;
    emu.events.on('request', (r: { api: string }) => {
      if (r.api === 'instances.setLabels' && !raced) {
        raced = true;
        emu.setInstanceLabels(PROJECT, ZONE, instance.name, { ...live.tags, owner: 'alice' });
      }
    });
    await adapter.updateTags(live, { [TAG_IDLE_SINCE]: null });
    [live] = await adapter.listOwned();
    expect(live.idleSince).toBeUndefined();
    expect(live.tags.owner).toBe('alice'); // the other writer's change is kept
    expect(emu.requests.filter((r) => r.api === 'instances.setLabels')).toHaveLength(3);
    await expect(adapter.updateTags(live, { [TAG_SERVER_ID]: 'x' })).rejects.toThrow(/ownership label/);
  });

  it('refuses to terminate or relabel an instance that is not ours', async () => {
    const { emu, p, adapter } = await env();
    await insertForeign(emu, p, 'someone-elses-vm');
    const foreign: OwnedInstance = {
      id: 'someone-elses-vm',
      name: 'someone-elses-vm',
      state: 'running',
      cloudState: 'RUNNING',
      zone: ZONE,
      createdAt: new Date(),
      autoscaleConfigName: 'x',
      serverId: '',
      tags: { team: 'vdi' },
    };
    expect((await expectCloudError(adapter.terminate(foreign))).kind).toBe('invalid');
    // A hand-made copy claiming our labels: the live labels decide.
    const forged = { ...foreign, serverId: 'a'.repeat(32), tags: ownershipTags('pool-a', 'a'.repeat(32)) };
    expect((await expectCloudError(adapter.terminate(forged))).message).toMatch(/ownership labels/);
    expect((await expectCloudError(adapter.updateTags(forged, { [TAG_IDLE_SINCE]: '1' }))).kind).toBe(
      'invalid',
    );
    expect(emu.requests.some((r) => r.api === 'instances.delete' || r.api === 'instances.setLabels')).toBe(
      false,
    );
    expect(emu.instances()).toHaveLength(1);
  });

  it('classifies a stockout (operation error) as capacity with the operation id, and makes no instance', async () => {
    const { emu, adapter, sleeps } = await env({ faults: [{ kind: 'stockout', zone: ZONE, count: 1 }] });
    const err = await expectCloudError(adapter.launch(req()));
    expect(err).toMatchObject({
      kind: 'capacity',
      code: 'ZONE_RESOURCE_POOL_EXHAUSTED',
      zone: ZONE,
      status: 503,
    });
    expect(err.requestId).toMatch(/^operation-/);
    expect(err.message).toContain(ZONE);
    expect(sleeps).toEqual([]); // never retried
    expect(emu.instances()).toHaveLength(0);
    await adapter.launch(req()); // the zone has capacity again
    expect(emu.instances()).toHaveLength(1);
  });

  it('classifies QUOTA_EXCEEDED (operation) and a 403 quotaExceeded as quota', async () => {
    const { adapter } = await env({
      faults: [
        { kind: 'quota', count: 1 },
        { kind: 'quota', http: true, count: 1 },
      ],
    });
    const a = await expectCloudError(adapter.launch(req()));
    expect(a).toMatchObject({ kind: 'quota', code: 'QUOTA_EXCEEDED' });
    expect(a.message).toMatch(/Quota 'CPUS' exceeded/);
    const b = await expectCloudError(adapter.launch(req()));
    expect(b).toMatchObject({ kind: 'quota', status: 403, code: 'quotaExceeded' });
  });

  it('a real CPU quota: launches beyond it fail as quota', async () => {
    const { adapter } = await env({ cpuQuota: { 'us-central1': 8 } });
    await adapter.launch(req());
    await adapter.launch(req());
    expect((await expectCloudError(adapter.launch(req()))).kind).toBe('quota');
  });

  it('retries 429 honouring Retry-After, with the injected sleep', async () => {
    const { adapter, sleeps, emu } = await env({
      faults: [{ kind: 'rateLimit', retryAfterSeconds: 3, count: 2, methods: ['instances.aggregatedList'] }],
    });
    expect(await adapter.listOwned()).toEqual([]);
    expect(sleeps).toEqual([3000, 3000]); // random() = 0: the Retry-After floor is the wait
    expect(emu.requests.filter((r) => r.api === 'instances.aggregatedList')).toHaveLength(3);
  });

  it('gives up on a 429 storm as throttled, bounded', async () => {
    const { adapter, sleeps } = await env({
      faults: [{ kind: 'rateLimit', methods: ['instances.aggregatedList'] }],
    });
    const err = await expectCloudError(adapter.listOwned());
    expect(err).toMatchObject({ kind: 'throttled', status: 429, code: 'rateLimitExceeded' });
    expect(sleeps).toHaveLength(3); // 4 attempts
  });

  it('retries a 500 and a dropped connection as transient; reports them when they persist', async () => {
    const { adapter, sleeps, emu } = await env({
      faults: [
        { kind: 'serverError', count: 1, methods: ['instances.insert'] },
        { kind: 'dropConnection', count: 1, methods: ['instances.insert'] },
      ],
    });
    const r = req();
    await adapter.launch(r);
    expect(sleeps).toHaveLength(2);
    expect(emu.instances()).toHaveLength(1);
    // Every attempt carried the same requestId: a retried insert is the same request.
    const ids = emu.requests.filter((x) => x.api === 'instances.insert').map((x) => x.query.requestId);
    expect(new Set(ids)).toEqual(new Set([requestIdFor(r.idempotencyKey)]));

    emu.setFault({ kind: 'serverError', methods: ['machineTypes.get'] });
    expect(await expectCloudError(adapter.agentSize())).toMatchObject({ kind: 'transient', status: 500 });
    emu.clearFaults();
    // 503 is UNAVAILABLE, which the library's own config would retry on GETs: exactly our
    // 4 attempts reach the server, so its retry is really off.
    emu.setFault({ kind: 'serverError', status: 503, methods: ['instances.get'] });
    emu.requests.length = 0;
    const [mine] = await adapter.listOwned();
    expect(await expectCloudError(adapter.terminate(mine))).toMatchObject({ kind: 'transient', status: 503 });
    expect(emu.requests.filter((x) => x.api === 'instances.get')).toHaveLength(4);
    emu.clearFaults();
    emu.setFault({ kind: 'serverError', status: 503, methods: ['instances.aggregatedList'] });
    emu.requests.length = 0;
    expect(await expectCloudError(adapter.listOwned())).toMatchObject({ kind: 'transient', status: 503 });
    expect(emu.requests.filter((x) => x.api === 'instances.aggregatedList')).toHaveLength(4);
    emu.clearFaults();
    emu.setFault({ kind: 'dropConnection', methods: ['instances.aggregatedList'] });
    const dropped = await expectCloudError(adapter.listOwned());
    expect(dropped.kind).toBe('transient');
    expect(dropped.message).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('rejects a JWT signed by another key: auth, one request, no retry, no secret in the message', async () => {
    const { emu, key, sleeps } = await env();
    const other = serviceAccountKey();
    const forged = { ...other, client_email: key.client_email, private_key_id: key.private_key_id };
    const adapter = await createGcpAdapter(provider(forged, emu.url), {
      sleep: async (ms) => void sleeps.push(ms),
    });
    closers.push(() => adapter.close!());
    emu.requests.length = 0;
    const err = await expectCloudError(adapter.listOwned());
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(err.message).toMatch(/disabled or deleted/);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(String((err.cause as Error).message)).not.toMatch(/Bearer|eyJ/);
    expect(sleeps).toEqual([]);
    expect(emu.requests).toHaveLength(1);
  });

  it('an unreadable private key in gcp_credentials is auth, before any request, without the key in the message', async () => {
    const { emu, key } = await env();
    const broken = { ...key, private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' };
    const adapter = await createGcpAdapter(provider(broken, emu.url), { sleep: async () => {} });
    closers.push(() => adapter.close!());
    emu.requests.length = 0;
    const err = await expectCloudError(adapter.listOwned());
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/gcp_credentials cannot sign/);
    expect(err.message).not.toContain('AAAA');
    expect(emu.requests).toHaveLength(0);
  });

  it('a service account without write roles gets an auth error that names roles/compute.instanceAdmin', async () => {
    const { emu, p } = await env();
    const viewer = serviceAccountKey(PROJECT, `viewer@${PROJECT}.iam.gserviceaccount.com`);
    emu.registerServiceAccount(viewer, undefined, { readOnly: true });
    const adapter = await createGcpAdapter({ ...p, gcp_credentials: viewer }, { sleep: async () => {} });
    closers.push(() => adapter.close!());
    expect(await adapter.listOwned()).toEqual([]);
    const err = await expectCloudError(adapter.launch(req()));
    expect(err).toMatchObject({ kind: 'auth', status: 403 });
    expect(err.message).toMatch(/roles\/compute\.instanceAdmin/);
  });

  it('a wrong project is not_found with a hint', async () => {
    const { p } = await env();
    const adapter = await createGcpAdapter(
      { ...p, gcp_project: 'no-such-project' },
      { sleep: async () => {} },
    );
    closers.push(() => adapter.close!());
    const err = await expectCloudError(adapter.listOwned());
    expect(err.kind).toBe('not_found');
    expect(err.message).toMatch(/gcp_project/);
  });

  it('an invalid request (unknown machine type) is invalid, not retried', async () => {
    const { adapter, sleeps } = await env({}, { gcp_machine_type: 'e2-imaginary-64' });
    const err = await expectCloudError(adapter.launch(req()));
    expect(err).toMatchObject({ kind: 'invalid', status: 400 });
    expect(err.message).toMatch(/e2-imaginary-64/);
    expect(sleeps).toEqual([]);
  });

  it('launches a GPU instance with accelerators and onHostMaintenance TERMINATE; agentSize counts the GPUs', async () => {
    const { emu, adapter } = await env(
      {},
      {
        gcp_machine_type: 'n1-standard-8',
        gcp_guest_accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 2 }],
      },
    );
    await adapter.launch(req('GPU Pool'));
    const body = emu.lastRequest('instances.insert')!.body as Record<string, any>;
    expect(body.guestAccelerators).toEqual([
      { acceleratorType: `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 2 },
    ]);
    expect(body.scheduling.onHostMaintenance).toBe('TERMINATE');
    expect(emu.instances()[0].guestAccelerators).toHaveLength(1);
    expect(await adapter.agentSize()).toEqual({ cores: 8, memoryMb: 30720, gpus: 2 });
  });

  it('agentSize counts the GPUs built into a machine type (g2)', async () => {
    const { adapter } = await env({}, { gcp_machine_type: 'g2-standard-8' });
    expect(await adapter.agentSize()).toEqual({ cores: 8, memoryMb: 32768, gpus: 1 });
  });

  it('waits for an operation a bounded number of times, then reports the instance as provisioning', async () => {
    const { emu, adapter, sleeps, tick } = await env({ faults: [{ kind: 'stuckOperation', count: 1 }] });
    // Each wait blocks for two minutes of the emulator clock, as Google's does: let them pass.
    emu.events.on('wait', () => tick(120_000));
    const r = req();
    const res = await adapter.launch(r);
    expect(res.instance.state).toBe('provisioning');
    expect(res.instance.serverId).toBe(r.serverId);
    expect(emu.requests.filter((x) => x.api === 'zoneOperations.wait')).toHaveLength(10);
    expect(sleeps).toEqual(Array(9).fill(1000));
  });

  it('waits for a slow operation until DONE: one blocking wait returns once the operation is done', async () => {
    const s = await setup({ operationDelayMs: 3000 });
    closers.push(() => s.emu.close());
    const sleeps: number[] = [];
    const adapter: CloudAdapter = await createGcpAdapter(s.p, { sleep: async (ms) => void sleeps.push(ms) });
    closers.push(() => adapter.close!());
    const seen: string[] = [];
    s.emu.events.on('request', (r: { api: string }) => {
      if (r.api === 'zoneOperations.wait') seen.push(r.api);
    });
    // The wait is blocked on the emulator clock; the operation finishes 3 s later on it.
    s.emu.events.on('wait', () => s.tick(3000));
    const res = await adapter.launch(req());
    expect(res.instance.cloudState).toBe('PROVISIONING');
    expect(seen.length).toBe(1);
    expect(sleeps).toEqual([]);
  });
});
