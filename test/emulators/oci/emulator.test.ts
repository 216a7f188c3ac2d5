import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOciAdapter } from '../../../src/clouds/oci/adapter.js';
import { createOciClients, openPrivateKey } from '../../../src/clouds/oci/client.js';
import { CloudError } from '../../../src/clouds/types.js';
import { startOciEmulator, type OciEmulator } from '../../../src/emulators/oci/index.js';
import {
  AD1,
  AD2,
  COMPARTMENT,
  IMAGE,
  NSG1,
  SUBNET,
  TENANCY,
  USER,
  provider,
  rsaKey,
  setup,
  silenceSdkWarnings,
} from '../../clouds/oci/fixture.js';

const TOKENS = { manager_token: 'm', upstream_auth_address: 'kasm.example.com', provider_name: 'oci' };
let emu: OciEmulator | undefined;
silenceSdkWarnings();
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const launchBody = (over: Record<string, unknown> = {}) => ({
  availabilityDomain: AD1,
  compartmentId: COMPARTMENT,
  shape: 'VM.Standard2.4',
  sourceDetails: { sourceType: 'image', imageId: IMAGE },
  createVnicDetails: { subnetId: SUBNET },
  ...over,
});

/** A raw HTTP request with exact control over headers and body (fetch forbids host/content-length). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, unknown>,
  body = '',
): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = Object.fromEntries(
      Object.entries(headers).filter(([k]) => !['connection', 'accept-encoding'].includes(k)),
    ) as Record<string, string>;
    const r = httpRequest({ host: u.hostname, port: u.port, method, path, headers: h }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          json: text ? JSON.parse(text) : undefined,
        }),
      );
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** Signs and sends one request with the SDK's own signer (for APIs whose SDK we do not install). */
async function signedGet(
  e: OciEmulator,
  key: { privatePem: string; fingerprint: string },
  path: string,
  query: Record<string, string>,
) {
  const auth = new common.SimpleAuthenticationDetailsProvider(
    TENANCY,
    USER,
    key.fingerprint,
    key.privatePem,
    null,
    common.Region.US_ASHBURN_1,
  );
  const client = new common.FetchHttpClient(new common.DefaultRequestSigner(auth));
  const req = await common.composeRequest({
    baseEndpoint: `${e.url}/20160918`,
    defaultHeaders: {},
    path,
    method: 'GET',
    pathParams: {},
    headerParams: {},
    queryParams: query,
  });
  const res = await client.send(req);
  return { status: res.status, json: await res.json(), requestId: res.headers.get('opc-request-id') };
}

describe('OCI emulator: signatures', () => {
  it('rejects forged, altered and unsigned requests with 401 NotAuthenticated and an opc-request-id', async () => {
    const s = await setup();
    emu = s.emu;
    await createOciAdapter(s.p).launch({
      autoscaleConfigName: 'p',
      serverId: 'a'.repeat(32),
      zone: AD1,
      idempotencyKey: 'k1',
      scriptTokens: TOKENS,
    });
    const post = emu.requests.find((r) => r.operation === 'LaunchInstance')!;
    const body = JSON.stringify(post.body);
    // The genuine request replays fine (same body, same retry token: idempotent).
    const replay = await raw(emu.url, 'POST', post.path, post.headers, body);
    expect(replay.status).toBe(200);

    const changedBody = await raw(
      emu.url,
      'POST',
      post.path,
      post.headers,
      body.replace('VM.Standard.E4.Flex', 'VM.Standard.E5.Flex'),
    );
    expect(changedBody.status).toBe(401);
    expect(changedBody.json.code).toBe('NotAuthenticated');
    expect(changedBody.headers['opc-request-id']).toBeTruthy();

    await createOciClients(s.p).compute.listInstances({ compartmentId: COMPARTMENT });
    const get = emu.requests.find((r) => r.operation === 'ListInstances')!;
    const otherPath = await raw(
      emu.url,
      'GET',
      get.path.replace(COMPARTMENT, 'ocid1.compartment.oc1..other'),
      get.headers,
    );
    expect(otherPath.status).toBe(401);

    const sig = String(get.headers.authorization);
    const forged = sig.replace(
      /signature="([^"]+)"/,
      (_m, b64: string) =>
        `signature="${Buffer.from(b64, 'base64')
          .map((x, i) => (i === 0 ? x ^ 1 : x))
          .toString('base64')}"`,
    );
    expect((await raw(emu.url, 'GET', get.path, { ...get.headers, authorization: forged })).status).toBe(401);
    const { authorization: _drop, ...unsigned } = get.headers;
    const none = await raw(emu.url, 'GET', get.path, unsigned);
    expect(none.status).toBe(401);
    expect(none.json.message).toMatch(/authentication/);
    // A key the emulator never saw signs validly but is still refused.
    const stranger = rsaKey();
    const e = await signedGet(emu, stranger, '/instances', { compartmentId: COMPARTMENT });
    expect(e.status).toBe(401);
    expect(emu.stored).toHaveLength(1);
  });
});

describe('OCI emulator: REST behaviour', () => {
  it('rejects snake_case and unknown keys and missing fields the way the service does', async () => {
    const s = await setup();
    emu = s.emu;
    const c = createOciClients(s.p).compute;
    const attempt = async (body: Record<string, unknown>) => {
      try {
        await c.launchInstance({ launchInstanceDetails: body as never });
      } catch (err) {
        return err as { statusCode: number; serviceCode: string; message: string };
      }
      throw new Error('launch should have failed');
    };
    expect(
      await attempt(launchBody({ instance_options: { are_legacy_imds_endpoints_disabled: true } })),
    ).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: expect.stringMatching(/instance_options.*camelCase/),
    });
    expect(await attempt(launchBody({ shapeConfig: { memory_in_gbs: 16 } }))).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(await attempt(launchBody({ shapeConfg: {} }))).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/Unknown field/),
    });
    expect(await attempt(launchBody({ compartmentId: undefined }))).toMatchObject({
      statusCode: 400,
      serviceCode: 'MissingParameter',
    });
    expect(
      await attempt(launchBody({ sourceDetails: { sourceType: 'image', imageId: 'ocid1.image.oc1..nope' } })),
    ).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    expect(await attempt(launchBody({ shape: 'VM.GPU3.1' }))).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/not valid in/),
    });
    expect(await attempt(launchBody({ shape: 'VM.Standard.E4.Flex' }))).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/ocpus/),
    });
    // Keys inside maps are the user's own.
    await c.launchInstance({
      launchInstanceDetails: launchBody({
        metadata: { user_data: Buffer.from('x').toString('base64'), my_key: 'v' },
        freeformTags: { Some_Tag: 'x' },
      }) as never,
    });
    expect(emu.stored).toHaveLength(1);
    // Through the adapter a rejected body is an 'invalid' CloudError.
    const e = await createOciAdapter({ ...s.p, oci_shape: 'VM.Nope.1' }, { sleep: async () => {} })
      .launch({
        autoscaleConfigName: 'p',
        serverId: 'b'.repeat(32),
        zone: AD1,
        idempotencyKey: 'k',
        scriptTokens: TOKENS,
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CloudError);
    expect((e as CloudError).kind).toBe('invalid');
  });

  it('opc-retry-token: same token + same body → same instance; a different body → 409', async () => {
    const s = await setup();
    emu = s.emu;
    const c = createOciClients(s.p).compute;
    const a = await c.launchInstance({
      launchInstanceDetails: launchBody() as never,
      opcRetryToken: 'tok-1',
    });
    const b = await c.launchInstance({
      launchInstanceDetails: launchBody() as never,
      opcRetryToken: 'tok-1',
    });
    expect(b.instance.id).toBe(a.instance.id);
    const err = await c
      .launchInstance({
        launchInstanceDetails: launchBody({ displayName: 'other' }) as never,
        opcRetryToken: 'tok-1',
      })
      .catch((x: unknown) => x as { statusCode: number });
    expect(err.statusCode).toBe(409);
    expect(emu.stored).toHaveLength(1);
  });

  it('filters ListInstances by AD and lifecycleState and pages with limit', async () => {
    const s = await setup({ pageSize: 50 });
    emu = s.emu;
    const c = createOciClients(s.p).compute;
    for (const ad of [AD1, AD1, AD2])
      await c.launchInstance({ launchInstanceDetails: launchBody({ availabilityDomain: ad }) as never });
    s.tick(61_000);
    const id = emu.stored[0].id;
    await c.terminateInstance({ instanceId: id });
    expect(
      (await c.listInstances({ compartmentId: COMPARTMENT, availabilityDomain: AD1 })).items,
    ).toHaveLength(2);
    expect(
      (
        await c.listInstances({ compartmentId: COMPARTMENT, lifecycleState: 'TERMINATING' as never })
      ).items.map((i) => i.id),
    ).toEqual([id]);
    expect((await c.listInstances({ compartmentId: 'ocid1.compartment.oc1..other' })).items).toHaveLength(0);
    const first = await c.listInstances({ compartmentId: COMPARTMENT, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.opcNextPage).toBeTruthy();
    const second = await c.listInstances({ compartmentId: COMPARTMENT, limit: 2, page: first.opcNextPage });
    expect(second.items).toHaveLength(1);
    expect(second.opcNextPage).toBeUndefined();
    const all = [];
    for await (const i of c.listInstancesRecordIterator({ compartmentId: COMPARTMENT, limit: 1 }))
      all.push(i.id);
    expect(all).toHaveLength(3);
    const got = await c.getInstance({ instanceId: id });
    expect(got.etag).toBeTruthy();
    expect(got.opcRequestId).toBeTruthy();
  });

  it('serves the reads doctor needs: image, shapes per AD, subnet, NSG, availability domains, compartment', async () => {
    const s = await setup();
    emu = s.emu;
    const { compute, network } = createOciClients(s.p);
    expect((await compute.getImage({ imageId: IMAGE })).image).toMatchObject({
      id: IMAGE,
      lifecycleState: 'AVAILABLE',
    });
    const ad1 = (await compute.listShapes({ compartmentId: COMPARTMENT, availabilityDomain: AD1 })).items.map(
      (x) => x.shape,
    );
    const ad2 = (
      await compute.listShapes({ compartmentId: COMPARTMENT, availabilityDomain: AD2, imageId: IMAGE })
    ).items.map((x) => x.shape);
    expect(ad1).not.toContain('VM.GPU3.1');
    expect(ad2).toContain('VM.GPU3.1');
    expect((await network.getSubnet({ subnetId: SUBNET })).subnet.id).toBe(SUBNET);
    expect(
      (await network.getNetworkSecurityGroup({ networkSecurityGroupId: NSG1 })).networkSecurityGroup
        .lifecycleState,
    ).toBe('AVAILABLE');
    const missing = await network
      .getSubnet({ subnetId: 'ocid1.subnet.oc1..missing' })
      .catch((x: unknown) => x as { statusCode: number; serviceCode: string });
    expect(missing).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
    const ads = await signedGet(emu, s.key, '/availabilityDomains', { compartmentId: TENANCY });
    expect(ads.json.map((a: { name: string }) => a.name)).toEqual([AD1, AD2]);
    const comp = await signedGet(emu, s.key, `/compartments/${COMPARTMENT}`, {});
    expect(comp.json).toMatchObject({ id: COMPARTMENT, lifecycleState: 'ACTIVE' });
    expect((await signedGet(emu, s.key, '/compartments/ocid1.compartment.oc1..nope', {})).status).toBe(404);
  });

  it('is driven through /__emulator/ control routes (faults, keys, seed, instances) without signatures', async () => {
    const s = await setup();
    emu = s.emu;
    const post = (path: string, body: unknown) =>
      fetch(`${emu!.url}/__emulator/${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post('faults', { kind: 'capacity', availabilityDomain: AD2, times: 1 })).status).toBe(200);
    expect((await post('faults', { kind: 'nonsense' })).status).toBe(400);
    const a = createOciAdapter(s.p, { sleep: async () => {} });
    const e = await a
      .launch({
        autoscaleConfigName: 'p',
        serverId: 'c'.repeat(32),
        zone: AD2,
        idempotencyKey: 'k2',
        scriptTokens: TOKENS,
      })
      .catch((x: unknown) => x as CloudError);
    expect((e as CloudError).kind).toBe('capacity');
    const other = rsaKey();
    const reg = await (
      await post('keys', { tenancy: TENANCY, user: 'ocid1.user.oc1..second', publicKeyPem: other.publicPem })
    ).json();
    expect(reg.keyId).toBe(`${TENANCY}/ocid1.user.oc1..second/${other.fingerprint}`);
    await createOciAdapter({
      ...s.p,
      oci_user_ocid: 'ocid1.user.oc1..second',
      oci_private_key: other.privatePem,
      oci_fingerprint: other.fingerprint,
    }).listOwned();
    expect((await post('seed', { availabilityDomains: [AD1, AD2, 'Uocm:US-ASHBURN-AD-3'] })).status).toBe(
      200,
    );
    const list = await (await fetch(`${emu.url}/__emulator/instances`)).json();
    expect(list.instances).toEqual([]);
    expect((await fetch(`${emu.url}/__emulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(emu.faults()).toEqual([]);
  });

  it('injects latency', async () => {
    const s = await setup();
    emu = s.emu;
    emu.setFault({ kind: 'latency', ms: 200, times: 1, operation: 'ListInstances' });
    const a = createOciAdapter(s.p);
    const t0 = performance.now();
    await a.listOwned();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('persists instances, retry tokens and keys in --state FILE across restarts (0600)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oci-emu-'));
    try {
      const stateFile = join(dir, 'oci.json');
      let clock = 1_000_000;
      const key = rsaKey();
      const first = await startOciEmulator({ stateFile, now: () => clock, provisioningDelayMs: 10_000 });
      first.registerApiKey({ tenancy: TENANCY, user: USER }, key.publicPem);
      const prov = provider(key, first.url);
      const launched = await createOciAdapter(prov).launch({
        autoscaleConfigName: 'p',
        serverId: 'd'.repeat(32),
        zone: AD1,
        idempotencyKey: 'same',
        scriptTokens: TOKENS,
      });
      await first.close();
      expect((await stat(stateFile)).mode & 0o777).toBe(0o600);

      clock += 20_000;
      emu = await startOciEmulator({ stateFile, now: () => clock });
      const a = createOciAdapter({ ...prov, endpoint: emu.url });
      const owned = await a.listOwned();
      expect(owned.map((i) => [i.id, i.state])).toEqual([[launched.instance.id, 'running']]);
      const again = await a.launch({
        autoscaleConfigName: 'p',
        serverId: 'd'.repeat(32),
        zone: AD1,
        idempotencyKey: 'same',
        scriptTokens: TOKENS,
      });
      expect(again.instance.id).toBe(launched.instance.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('key handling', () => {
  it('hands the SDK a decrypted PKCS#8 key', () => {
    const k = rsaKey('pw');
    const pem = openPrivateKey({
      oci_private_key: k.privatePem,
      oci_private_key_passphrase: 'pw',
      vm_provider_config_name: 'x',
    } as never);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});
