import * as common from 'oci-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPARTMENT, IMAGE, TENANCY, USER, setup } from '../../clouds/oci/fixture.js';

/**
 * How the OCI emulator answers paths and methods it has no operation for, as OCI does: the
 * signature is checked first (an unsigned request learns nothing, 401), then anything
 * unknown is the one 404 NotAuthorizedOrNotFound the service gives for "no such resource or
 * not yours" — a wrong method on a known path included. Object Storage says 405 for a
 * method its paths do not take. Signed with oci-common's own signer.
 */

let world: Awaited<ReturnType<typeof started>>;
// One emulator for the file: every test here only reads.
beforeAll(async () => void (world = await started()));
afterAll(() => world.emu.close());

const NOT_FOUND = {
  code: 'NotAuthorizedOrNotFound',
  message: 'Authorization failed or requested resource not found.',
};

async function started() {
  const s = await setup({ objectStorage: { buckets: ['leases'] } });
  const auth = new common.SimpleAuthenticationDetailsProvider(
    TENANCY,
    USER,
    s.key.fingerprint,
    s.key.privatePem,
    null,
    common.Region.US_ASHBURN_1,
  );
  const client = new common.FetchHttpClient(new common.DefaultRequestSigner(auth));
  /** One signed request; `path` is everything after the host. */
  const send = async (method: string, path: string, body?: unknown) => {
    const req = await common.composeRequest({
      baseEndpoint: s.emu.url,
      defaultHeaders: { 'content-type': 'application/json' },
      path,
      method: method as common.Method,
      pathParams: {},
      headerParams: {},
      queryParams: {},
      ...(body === undefined ? {} : { bodyContent: JSON.stringify(body) }),
    });
    const res = await client.send(req);
    const text = await res.text();
    return {
      status: res.status,
      json: text ? JSON.parse(text) : undefined,
      requestId: res.headers.get('opc-request-id'),
    };
  };
  return { emu: s.emu, send };
}

describe('OCI emulator: unknown routes', () => {
  it('answers a signed request for an unknown path 404 NotAuthorizedOrNotFound, recorded as unknown', async () => {
    const { emu, send } = world;
    for (const path of [
      '/20160918/volumes',
      '/20160918/instances/x/vnics',
      '/20160918',
      '/20170101/instances',
    ])
      expect(await send('GET', path), path).toMatchObject({ status: 404, json: NOT_FOUND });
    const last = await send('GET', '/20160918/nothing');
    expect(last.requestId).toMatch(/^[0-9A-F]{32}\/[0-9A-F]{32}$/);
    expect(emu.requests.at(-1)).toMatchObject({ operation: 'unknown', status: 404 });
  });

  it('answers a wrong method on a known path with the same 404, not 405', async () => {
    const { send } = world;
    expect(await send('PUT', '/20160918/instances', {})).toMatchObject({ status: 404, json: NOT_FOUND });
    expect(await send('POST', '/20160918/shapes', {})).toMatchObject({ status: 404, json: NOT_FOUND });
    expect(await send('DELETE', `/20160918/images/${IMAGE}`)).toMatchObject({ status: 404, json: NOT_FOUND });
    expect(await send('POST', `/20160918/compartments/${COMPARTMENT}`, {})).toMatchObject({
      status: 404,
      json: NOT_FOUND,
    });
  });

  it('checks the signature before saying a path does not exist', async () => {
    const { emu } = world;
    const res = await fetch(`${emu.url}/20160918/volumes`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('NotAuthenticated');
  });

  it('reads a trailing slash as the same path and percent-escapes in ids as the id', async () => {
    const { send } = world;
    const list = await send('GET', `/20160918/instances/?compartmentId=${COMPARTMENT}`);
    expect(list).toMatchObject({ status: 200, json: [] });
    const image = await send('GET', `/20160918/images/${encodeURIComponent(IMAGE)}/`);
    expect(image).toMatchObject({ status: 200, json: { id: IMAGE } });
  });
});

describe('OCI emulator: Object Storage and control routes', () => {
  it('answers 405 for a method a known Object Storage path does not take, 404 for an unknown one', async () => {
    const { send } = world;
    const ns = (await send('GET', '/n/')).json as string;
    expect(ns).toBe('emulatedns');
    expect(await send('POST', '/n', {})).toMatchObject({ status: 405, json: { code: 'MethodNotAllowed' } });
    expect(await send('POST', `/n/${ns}/b/leases/o/a`, {})).toMatchObject({
      status: 405,
      json: { code: 'MethodNotAllowed' },
    });
    expect(await send('GET', `/n/${ns}/b/leases`)).toMatchObject({ status: 404, json: NOT_FOUND });
    // Object names keep their slashes.
    expect(await send('GET', `/n/${ns}/b/leases/o/pools/a%20b`)).toMatchObject({
      status: 404,
      json: {
        code: 'ObjectNotFound',
        message: "The object 'pools/a b' was not found in the bucket 'leases'",
      },
    });
  });

  it('answers an unknown control route 404 NotFound naming it', async () => {
    const { emu } = world;
    const res = await fetch(`${emu.url}/__emulator/nothing`, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 'NotFound',
      message: 'No emulator control route PUT /__emulator/nothing',
    });
    const wrongMethod = await fetch(`${emu.url}/__emulator/faults`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(404);
  });
});
