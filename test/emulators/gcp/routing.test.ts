import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from '../../../src/emulators/gcp/index.js';
import { routeTable } from '../../../src/emulators/gcp/router.js';
import { PROJECT, ZONE, serviceAccountKey } from '../../clouds/gcp/fixture.js';

/** Compute Engine's answer to a path it does not serve: Google's error JSON, 404 notFound. */
const googleNotFound = (resource: string) => ({
  error: {
    code: 404,
    message: `The resource '${resource}' was not found`,
    errors: [{ message: `The resource '${resource}' was not found`, domain: 'global', reason: 'notFound' }],
    status: 'NOT_FOUND',
  },
});

describe('GCP emulator routing: what no route serves', () => {
  let emu: GcpEmulator;
  beforeAll(async () => {
    emu = await startGcpEmulator({ now: () => Date.UTC(2025, 0, 6), serviceAccounts: [serviceAccountKey()] });
  });
  afterAll(() => emu.close());
  const call = async (method: string, path: string) => {
    const res = await fetch(`${emu.url}${path}`, { method });
    return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as unknown };
  };

  it('an unknown path is a 404 in Google error JSON, answered before credentials are asked for', async () => {
    const before = emu.requests.length;
    expect(await call('GET', `/compute/v1/projects/${PROJECT}/zones/${ZONE}/nope`)).toEqual({
      status: 404,
      type: 'application/json',
      json: googleNotFound(`projects/${PROJECT}/zones/${ZONE}/nope`),
    });
    expect(await call('GET', '/compute/v2/anything')).toMatchObject({
      status: 404,
      json: googleNotFound('/compute/v2/anything'),
    });
    // Not an API call: nothing logged, so no fault can fire on it.
    expect(emu.requests.length).toBe(before);
  });

  it('a method no route serves on a known path is the same 404 (Compute has no 405)', async () => {
    for (const method of ['PUT', 'PATCH'])
      expect(await call(method, `/compute/v1/projects/${PROJECT}/zones/${ZONE}/instances`)).toEqual({
        status: 404,
        type: 'application/json',
        json: googleNotFound(`projects/${PROJECT}/zones/${ZONE}/instances`),
      });
    expect(await call('DELETE', `/compute/v1/projects/${PROJECT}/zones/${ZONE}`)).toMatchObject({
      status: 404,
      json: googleNotFound(`projects/${PROJECT}/zones/${ZONE}`),
    });
  });

  it('the control API names the route it does not know', async () => {
    expect(await call('PUT', '/__emulator/faults')).toMatchObject({
      status: 404,
      json: { error: 'unknown control route PUT /__emulator/faults' },
    });
  });
});

describe('routeTable', () => {
  const find = routeTable([
    { method: 'GET', path: '', name: 'root' },
    { method: 'GET', path: 'zones/{zone}/instances/{instance}', name: 'get' },
    { method: 'POST', path: 'zones/{zone}/instances/{instance}/setLabels', name: 'setLabels' },
    { method: '*', path: 'health', name: 'health' },
  ]);

  it('captures {name} segments by name, in order', () => {
    const m = find('GET', 'zones/z-1/instances/vm-1');
    expect(m?.route.name).toBe('get');
    expect(m?.params).toEqual({ zone: 'z-1', instance: 'vm-1' });
    expect(Object.values(m!.params)).toEqual(['z-1', 'vm-1']);
    expect(find('POST', 'zones/z/instances/i/setLabels')?.route.name).toBe('setLabels');
    expect(find('GET', '')?.route.name).toBe('root');
  });

  it('matches the method, every literal, and exactly as many segments', () => {
    expect(find('DELETE', 'zones/z/instances/i')).toBeUndefined();
    expect(find('GET', 'zones/z/instances/i/')).toBeUndefined();
    expect(find('GET', 'zones/z/instances')).toBeUndefined();
    expect(find('GET', 'regions/z/instances/i')).toBeUndefined();
    expect(find('GET', 'zones//instances/i')).toBeUndefined(); // a param is never empty
    expect(find('PATCH', 'health')?.route.name).toBe('health'); // `*`: any method
  });

  it('refuses a table that declares a route twice', () => {
    expect(() =>
      routeTable([
        { method: 'GET', path: 'a/{x}' },
        { method: 'GET', path: 'a/{x}' },
      ]),
    ).toThrow('route GET a/{x} is declared twice');
  });
});
