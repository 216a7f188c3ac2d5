import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from '../../../src/emulators/gcp/index.js';
import { matches, parseFilter } from '../../../src/emulators/gcp/filter.js';
import { PROJECT, ZONE, serviceAccountKey } from '../../clouds/gcp/fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const key = serviceAccountKey();
const AUD = 'https://compute.googleapis.com/';

function jwt(
  k = key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = { kid: k.private_key_id },
): string {
  const now = Math.floor(Date.now() / 1000);
  const h = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header })).toString('base64url');
  const c = Buffer.from(
    JSON.stringify({
      iss: k.client_email,
      sub: k.client_email,
      aud: AUD,
      iat: now,
      exp: now + 3600,
      ...claims,
    }),
  ).toString('base64url');
  const s = sign('RSA-SHA256', Buffer.from(`${h}.${c}`), createPrivateKey(k.private_key)).toString(
    'base64url',
  );
  return `${h}.${c}.${s}`;
}

async function start(opts: Parameters<typeof startGcpEmulator>[0] = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: GcpEmulator = await startGcpEmulator({
    now: () => clock,
    provisioningDelayMs: 60_000,
    deleteDelayMs: 20_000,
    ...opts,
  });
  closers.push(() => emu.close());
  emu.registerServiceAccount(key);
  const api = async (method: string, path: string, body?: unknown, token = jwt()) => {
    const res = await fetch(`${emu.url}/compute/v1/projects/${PROJECT}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  };
  return { emu, api, tick: (ms: number) => void (clock += ms), now: () => clock };
}

function instance(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    machineType: `zones/${ZONE}/machineTypes/e2-standard-4`,
    disks: [
      {
        boot: true,
        autoDelete: true,
        initializeParams: {
          sourceImage: 'projects/debian-cloud/global/images/family/debian-12',
          diskSizeGb: '20',
        },
      },
    ],
    networkInterfaces: [{ network: 'global/networks/default' }],
    labels: { 'kasm-scale-managed': 'true', pool: 'a' },
    metadata: { items: [{ key: 'startup-script', value: '#!/bin/sh\necho hi' }] },
    ...extra,
  };
}

const uuid = (n: number) => `0000000${n}-0000-4000-8000-000000000000`.slice(-36);

describe('GCP emulator: auth', () => {
  it('accepts a self-signed JWT for the registered key, found by kid or (without kid) by iss', async () => {
    const { api } = await start();
    expect((await api('GET', '')).status).toBe(200);
    expect((await api('GET', '', undefined, jwt(key, {}, {}))).status).toBe(200);
  });

  it.each([
    [
      'a signature by another key',
      () =>
        jwt({ ...serviceAccountKey(), client_email: key.client_email, private_key_id: key.private_key_id }),
      /signature/,
    ],
    ['the wrong audience', () => jwt(key, { aud: 'https://oauth2.googleapis.com/token' }), /aud/],
    [
      'an expired token',
      () =>
        jwt(key, { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }),
      /expired/,
    ],
    [
      'a token from the future',
      () =>
        jwt(key, { iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 }),
      /future/,
    ],
    [
      'another account in iss',
      () => jwt(key, { iss: 'mallory@x.iam.gserviceaccount.com', sub: 'mallory@x.iam.gserviceaccount.com' }),
      /iss/,
    ],
    ['an unknown kid', () => jwt(key, {}, { kid: 'deadbeef' }), /no registered/],
    [
      'alg none',
      () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`,
      /RS256/,
    ],
    ['an opaque access token', () => 'ya29.a0AfH6SM', /not a JWT/],
  ])("rejects %s with 401 in Google's error shape", async (_what, token, why) => {
    const { api } = await start();
    const r = await api('GET', `zones/${ZONE}/instances`, undefined, token());
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'authError', domain: 'global' }],
    });
    expect(r.headers.get('x-emulator-auth-failure')).toMatch(why);
  });

  it('keeps only the public half of a registered key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcp-emu-'));
    const { emu } = await start({ stateFile: join(dir, 'state.json') });
    emu.registerServiceAccount(serviceAccountKey());
    const text = readFileSync(join(dir, 'state.json'), 'utf8');
    expect(text).toContain('BEGIN PUBLIC KEY');
    expect(text).not.toContain('PRIVATE KEY');
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
  });
});

describe('GCP emulator: instances and operations', () => {
  it('runs an instance PROVISIONING → STAGING → RUNNING on the injected clock and emits running with the script', async () => {
    const { emu, api, tick } = await start();
    const events: any[] = [];
    emu.events.on('running', (e) => events.push(e));
    const op = await api('POST', `zones/${ZONE}/instances?requestId=${uuid(1)}`, instance('vm-1'));
    expect(op.status).toBe(200);
    expect(op.json).toMatchObject({ kind: 'compute#operation', operationType: 'insert', status: 'DONE' });
    expect((await api('GET', `zones/${ZONE}/instances/vm-1`)).json.status).toBe('PROVISIONING');
    tick(30_000);
    expect((await api('GET', `zones/${ZONE}/instances/vm-1`)).json.status).toBe('STAGING');
    expect(events).toEqual([]);
    tick(30_000);
    emu.tick();
    expect(events).toEqual([
      expect.objectContaining({
        name: 'vm-1',
        zone: ZONE,
        tags: { 'kasm-scale-managed': 'true', pool: 'a' },
        startupScript: '#!/bin/sh\necho hi',
      }),
    ]);
    const got = (await api('GET', `zones/${ZONE}/instances/vm-1`)).json;
    expect(got).toMatchObject({
      status: 'RUNNING',
      machineType: expect.stringMatching(/zones\/us-central1-a\/machineTypes\/e2-standard-4$/),
      labelFingerprint: expect.any(String),
    });
    expect(got.id).toMatch(/^\d+$/);
  });

  it('drives operations PENDING → RUNNING → DONE lazily; wait blocks until DONE on the emulator clock', async () => {
    const { emu, api, tick } = await start({ operationDelayMs: 3000 });
    const op = (await api('POST', `zones/${ZONE}/instances`, instance('vm-1'))).json;
    expect(op.status).toBe('PENDING');
    tick(1500);
    expect((await api('GET', `zones/${ZONE}/operations/${op.name}`)).json.status).toBe('RUNNING');
    emu.events.once('wait', () => tick(1500));
    const done = (await api('POST', `zones/${ZONE}/operations/${op.name}/wait`)).json;
    expect(done).toMatchObject({
      status: 'DONE',
      progress: 100,
      targetLink: expect.stringMatching(/instances\/vm-1$/),
    });
  });

  it('requestId makes insert idempotent; a taken name without it is 409; a bad requestId is 400', async () => {
    const { emu, api } = await start();
    const a = await api('POST', `zones/${ZONE}/instances?requestId=${uuid(2)}`, instance('vm-1'));
    const b = await api('POST', `zones/${ZONE}/instances?requestId=${uuid(2)}`, instance('vm-1'));
    expect(b.json.name).toBe(a.json.name);
    expect(emu.instances()).toHaveLength(1);
    const c = await api('POST', `zones/${ZONE}/instances`, instance('vm-1'));
    expect(c.status).toBe(409);
    expect(c.json.error.errors[0].reason).toBe('alreadyExists');
    expect((await api('POST', `zones/${ZONE}/instances?requestId=not-a-uuid`, instance('vm-2'))).status).toBe(
      400,
    );
  });

  it('deletes: STOPPING → TERMINATED → gone, emits terminated', async () => {
    const { emu, api, tick } = await start({ provisioningDelayMs: 0 });
    const gone: any[] = [];
    emu.events.on('terminated', (e) => gone.push(e));
    await api('POST', `zones/${ZONE}/instances`, instance('vm-1'));
    const del = await api('DELETE', `zones/${ZONE}/instances/vm-1?requestId=${uuid(3)}`);
    expect(del.json).toMatchObject({ operationType: 'delete', status: 'PENDING' });
    expect((await api('GET', `zones/${ZONE}/instances/vm-1`)).json.status).toBe('STOPPING');
    tick(10_000);
    expect((await api('GET', `zones/${ZONE}/instances/vm-1`)).json.status).toBe('TERMINATED');
    tick(10_000);
    const after = await api('GET', `zones/${ZONE}/instances/vm-1`);
    expect(after.status).toBe(404);
    expect(after.json.error).toMatchObject({ code: 404, errors: [{ reason: 'notFound' }] });
    expect(gone.map((e) => e.name)).toEqual(['vm-1']);
    expect((await api('GET', `zones/${ZONE}/operations/${del.json.name}`)).json.status).toBe('DONE');
  });

  it('setLabels needs the current fingerprint (412 conditionNotMet otherwise)', async () => {
    const { api } = await start();
    await api('POST', `zones/${ZONE}/instances`, instance('vm-1'));
    const fp = (await api('GET', `zones/${ZONE}/instances/vm-1`)).json.labelFingerprint;
    const ok = await api('POST', `zones/${ZONE}/instances/vm-1/setLabels`, {
      labels: { a: 'b' },
      labelFingerprint: fp,
    });
    expect(ok.status).toBe(200);
    const stale = await api('POST', `zones/${ZONE}/instances/vm-1/setLabels`, {
      labels: { a: 'c' },
      labelFingerprint: fp,
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error.errors[0].reason).toBe('conditionNotMet');
    expect((await api('POST', `zones/${ZONE}/instances/vm-1/setLabels`, { labels: { a: 'c' } })).status).toBe(
      400,
    );
    expect((await api('GET', `zones/${ZONE}/instances/vm-1`)).json.labels).toEqual({ a: 'b' });
  });

  it('lists with filters, maxResults and pageToken', async () => {
    const { api } = await start({ pageSize: 500 });
    for (const n of [1, 2, 3, 4, 5])
      await api(
        'POST',
        `zones/${ZONE}/instances`,
        instance(`vm-${n}`, n === 3 ? { labels: { other: 'x' } } : {}),
      );
    const names: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const r = await api(
        'GET',
        `zones/${ZONE}/instances?maxResults=2&filter=${encodeURIComponent('labels.kasm-scale-managed = "true"')}${token ? `&pageToken=${token}` : ''}`,
      );
      names.push(...r.json.items.map((i: any) => i.name));
      token = r.json.nextPageToken ?? '';
      pages++;
    } while (token);
    expect(names).toEqual(['vm-1', 'vm-2', 'vm-4', 'vm-5']);
    expect(pages).toBe(2);
    expect(
      (
        await api(
          'GET',
          `zones/${ZONE}/instances?filter=${encodeURIComponent('labels.kasm-scale-managed = (')}`,
        )
      ).status,
    ).toBe(400);
  });

  it('filter expressions: AND, OR, NOT, !=, globs, has, eq regex', () => {
    const obj = {
      name: 'kasm-pool-1',
      status: 'RUNNING',
      labels: { 'kasm-scale-managed': 'true', pool: 'a' },
    };
    const t = (f: string) => matches(parseFilter(f), obj);
    expect(t('labels.kasm-scale-managed = "true"')).toBe(true);
    expect(t('(labels.pool = "a") AND (status != TERMINATED)')).toBe(true);
    expect(t('labels.pool = "b" OR name = kasm-*')).toBe(true);
    expect(t('NOT labels.pool = "a"')).toBe(false);
    expect(t('labels.pool:*')).toBe(true);
    expect(t('labels.missing:*')).toBe(false);
    expect(t('name eq kasm-pool-\\d+')).toBe(true);
    expect(t('status ne RUNNING')).toBe(false);
  });

  it.each([
    ['an unknown field', { bogusField: 1 }, /Unknown name "bogusField"/],
    [
      'an unknown nested field',
      { scheduling: { onHostMaintenance: 'MIGRATE', nope: true } },
      /Unknown name "nope" at 'resource.scheduling'/,
    ],
    ['a bare machine type', { machineType: 'e2-standard-4' }, /machineType/],
    ['an unknown machine type', { machineType: `zones/${ZONE}/machineTypes/e2-imaginary` }, /does not exist/],
    [
      'a machine type in another zone',
      { machineType: 'zones/us-east1-b/machineTypes/e2-standard-4' },
      /must be in zone/,
    ],
    ['a bad label key', { labels: { Team: 'x' } }, /Label keys/],
    ['a bad network tag', { tags: { items: ['Has Space'] } }, /tags/],
    [
      'a GPU without TERMINATE',
      {
        guestAccelerators: [
          { acceleratorType: `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 1 },
        ],
      },
      /live migration/,
    ],
    [
      'too many GPUs',
      {
        guestAccelerators: [
          { acceleratorType: `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 9 },
        ],
        scheduling: { onHostMaintenance: 'TERMINATE' },
      },
      /between 1 and 4/,
    ],
    [
      'a subnetwork in another region',
      {
        networkInterfaces: [
          { network: 'global/networks/default', subnetwork: 'regions/europe-west1/subnetworks/default' },
        ],
      },
      /region/,
    ],
    [
      'a duplicate metadata key',
      {
        metadata: {
          items: [
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
          ],
        },
      },
      /Duplicate/,
    ],
    [
      'a disk smaller than the image',
      {
        disks: [
          {
            boot: true,
            initializeParams: {
              sourceImage: 'projects/windows-cloud/global/images/family/windows-2022',
              diskSizeGb: '20',
            },
          },
        ],
      },
      /smaller than the image/,
    ],
  ])('rejects %s with 400', async (_what, extra, why) => {
    const { api, emu } = await start();
    const r = await api('POST', `zones/${ZONE}/instances`, instance('vm-1', extra));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(why);
    expect(emu.instances()).toHaveLength(0);
  });

  it('rejects an image or network that does not exist with 404', async () => {
    const { api } = await start();
    const img = await api(
      'POST',
      `zones/${ZONE}/instances`,
      instance('vm-1', {
        disks: [
          {
            boot: true,
            initializeParams: { sourceImage: 'projects/debian-cloud/global/images/family/debian-99' },
          },
        ],
      }),
    );
    expect(img.status).toBe(404);
    const net = await api(
      'POST',
      `zones/${ZONE}/instances`,
      instance('vm-1', { networkInterfaces: [{ network: 'global/networks/nope' }] }),
    );
    expect(net.status).toBe(404);
  });

  it('accepts a GPU instance with onHostMaintenance TERMINATE', async () => {
    const { api } = await start();
    const r = await api(
      'POST',
      `zones/${ZONE}/instances`,
      instance('gpu-1', {
        guestAccelerators: [
          { acceleratorType: `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 1 },
        ],
        scheduling: { onHostMaintenance: 'TERMINATE' },
      }),
    );
    expect(r.status).toBe(200);
  });
});

describe('GCP emulator: the reads doctor needs', () => {
  it.each([
    ['', 200],
    [`zones/${ZONE}`, 200],
    ['zones/mars-1-a', 404],
    ['regions/us-central1', 200],
    [`zones/${ZONE}/machineTypes/n2-standard-8`, 200],
    [`zones/${ZONE}/machineTypes/custom-6-24576`, 200],
    [`zones/${ZONE}/machineTypes/nope`, 404],
    [`zones/${ZONE}/acceleratorTypes/nvidia-l4`, 200],
    [`zones/${ZONE}/acceleratorTypes/nvidia-nope`, 404],
    [`zones/${ZONE}/diskTypes/pd-ssd`, 200],
    ['global/networks/default', 200],
    ['global/networks/nope', 404],
    ['regions/us-central1/subnetworks/default', 200],
    ['regions/us-central1/subnetworks/nope', 404],
  ])('GET %s → %i', async (path, status) => {
    const { api } = await start();
    expect((await api('GET', path)).status).toBe(status);
  });

  it('reads images by name and by family, in the image project', async () => {
    const { emu } = await start();
    const get = async (path: string) =>
      (
        await fetch(`${emu.url}/compute/v1/projects/${path}`, {
          headers: { authorization: `Bearer ${jwt()}` },
        })
      ).status;
    expect(await get('debian-cloud/global/images/family/debian-12')).toBe(200);
    expect(await get('debian-cloud/global/images/debian-12-bookworm-v20250610')).toBe(200);
    expect(await get('debian-cloud/global/images/family/debian-99')).toBe(404);
  });

  it('machine types carry guestCpus/memoryMb and built-in accelerators', async () => {
    const { api } = await start();
    expect((await api('GET', `zones/${ZONE}/machineTypes/g2-standard-4`)).json).toMatchObject({
      guestCpus: 4,
      memoryMb: 16384,
      accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
    });
  });

  it('an account limited to other projects gets 403; an unknown project 404', async () => {
    const { emu, api } = await start();
    const limited = serviceAccountKey('elsewhere', 'limited@elsewhere.iam.gserviceaccount.com');
    emu.registerServiceAccount(limited, undefined, { projects: ['elsewhere'] });
    expect((await api('GET', `zones/${ZONE}/instances`, undefined, jwt(limited))).status).toBe(403);
    const r = await fetch(`${emu.url}/compute/v1/projects/nope/zones/${ZONE}/instances`, {
      headers: { authorization: `Bearer ${jwt()}` },
    });
    expect(r.status).toBe(404);
  });
});

describe('GCP emulator: faults, control routes and state', () => {
  it('injects faults through /__emulator/faults, each a given number of times', async () => {
    const { emu, api } = await start();
    const set = await fetch(`${emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'rateLimit', retryAfterSeconds: 7, count: 1 },
        { kind: 'serverError', status: 503, count: 1 },
      ]),
    });
    expect(set.status).toBe(200);
    const a = await api('GET', `zones/${ZONE}/instances`);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.json.error.errors[0]).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
    const b = await api('GET', `zones/${ZONE}/instances`);
    expect(b.status).toBe(503);
    expect((await api('GET', `zones/${ZONE}/instances`)).status).toBe(200);
    expect(emu.faults()).toEqual([]);
    expect(
      (
        await fetch(`${emu.url}/__emulator/faults`, {
          method: 'POST',
          body: JSON.stringify({ kind: 'meteor' }),
        })
      ).status,
    ).toBe(400);
  });

  it('drops a connection, delays an answer, and never finishes provisioning when told to', async () => {
    const { emu, api, tick } = await start();
    emu.setFault({ kind: 'dropConnection', count: 1 });
    await expect(api('GET', '')).rejects.toThrow();
    emu.setFault({ kind: 'latency', ms: 150, count: 1 });
    const t0 = Date.now();
    await api('GET', '');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    emu.setFault({ kind: 'stuckProvisioning', count: 1 });
    await api('POST', `zones/${ZONE}/instances`, instance('stuck'));
    tick(24 * 3600_000);
    expect((await api('GET', `zones/${ZONE}/instances/stuck`)).json.status).toBe('PROVISIONING');
  });

  it('stockout hits only its zone and leaves no instance behind', async () => {
    const { emu, api } = await start({ faults: [{ kind: 'stockout', zone: ZONE }] });
    const op = (await api('POST', `zones/${ZONE}/instances`, instance('vm-1'))).json;
    expect(op).toMatchObject({
      status: 'DONE',
      httpErrorStatusCode: 503,
      error: { errors: [{ code: 'ZONE_RESOURCE_POOL_EXHAUSTED' }] },
    });
    expect(emu.instances()).toHaveLength(0);
    const other = await api(
      'POST',
      'zones/us-central1-b/instances',
      instance('vm-1', { machineType: 'zones/us-central1-b/machineTypes/e2-standard-4' }),
    );
    expect(other.json.error).toBeUndefined();
    expect(emu.instances()).toHaveLength(1);
  });

  it('keeps instances, operations and keys in --state FILE across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcp-emu-'));
    const stateFile = join(dir, 'state.json');
    const first = await start({ stateFile });
    await first.api('POST', `zones/${ZONE}/instances?requestId=${uuid(9)}`, instance('vm-1'));
    await first.emu.close();
    const again = await startGcpEmulator({ stateFile, now: first.now });
    closers.push(() => again.close());
    expect(again.instances().map((i) => i.name)).toEqual(['vm-1']);
    // The key survived too, and so did the requestId.
    const r = await fetch(
      `${again.url}/compute/v1/projects/${PROJECT}/zones/${ZONE}/instances?requestId=${uuid(9)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt()}` },
        body: JSON.stringify(instance('vm-1')),
      },
    );
    expect(r.status).toBe(200);
    expect(again.instances()).toHaveLength(1);
  });

  it('advances its own clock through /__emulator/advance', async () => {
    const emu = await startGcpEmulator({ provisioningDelayMs: 60_000, autoTick: false });
    closers.push(() => emu.close());
    emu.registerServiceAccount(key);
    const seen: string[] = [];
    emu.events.on('running', (e) => seen.push(e.name));
    await fetch(`${emu.url}/compute/v1/projects/${PROJECT}/zones/${ZONE}/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt()}` },
      body: JSON.stringify(instance('vm-1')),
    });
    await fetch(`${emu.url}/__emulator/advance`, { method: 'POST', body: JSON.stringify({ ms: 61_000 }) });
    expect(seen).toEqual(['vm-1']);
  });
});

describe('GCP emulator: registering a key over HTTP', () => {
  it('takes a downloaded key JSON as is (curl --data @key.json) and then accepts its JWTs', async () => {
    const emu = await startGcpEmulator({});
    closers.push(() => emu.close());
    const k = serviceAccountKey('fresh-project', 'sa@fresh-project.iam.gserviceaccount.com');
    const before = await fetch(`${emu.url}/compute/v1/projects/fresh-project`, {
      headers: { authorization: `Bearer ${jwt(k)}` },
    });
    expect(before.status).toBe(401);
    const reg = await fetch(`${emu.url}/__emulator/service-accounts`, {
      method: 'POST',
      body: JSON.stringify(k),
    });
    expect(await reg.json()).toEqual({
      service_accounts: [{ client_email: k.client_email, key_id: k.private_key_id }],
    });
    const after = await fetch(`${emu.url}/compute/v1/projects/fresh-project`, {
      headers: { authorization: `Bearer ${jwt(k)}` },
    });
    expect(after.status).toBe(200);
  });
});
