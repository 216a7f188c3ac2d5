import { describe, expect, it } from 'vitest';
import { routeTable } from '../../src/emulators/common/route-table.js';

const find = routeTable([
  { method: 'GET', path: '/instances', name: 'list' },
  { method: 'POST', path: '/instances', name: 'launch' },
  { method: 'GET', path: '/instances/:instanceId', name: 'get' },
  { method: 'DELETE', path: '/instances/:instanceId', name: 'terminate' },
  { method: 'GET', path: '/n/:ns/b/:bucket/o/*object', name: 'getObject' },
  { method: 'GET', path: '/v1.2/a+b', name: 'literal' },
]);

describe('routeTable', () => {
  it('finds the entry for a method and path, with its own fields', () => {
    expect(find('POST', '/instances')).toEqual({
      route: { method: 'POST', path: '/instances', name: 'launch' },
      params: {},
    });
  });

  it('gives `:name` one segment and a last `*name` the rest, escapes kept', () => {
    expect(find('GET', '/instances/ocid1.instance%2Fx').params).toEqual({ instanceId: 'ocid1.instance%2Fx' });
    expect(find('GET', '/instances/a/b').route).toBeUndefined();
    expect(find('GET', '/instances/').route).toBeUndefined();
    expect(find('GET', '/n/ns/b/leases/o/pools/a%20b/').params).toEqual({
      ns: 'ns',
      bucket: 'leases',
      object: 'pools/a%20b/',
    });
  });

  it('reads literal segments literally', () => {
    expect(find('GET', '/v1.2/a+b').route?.name).toBe('literal');
    expect(find('GET', '/v1x2/aab').route).toBeUndefined();
  });

  it('tells a wrong method on a known path from an unknown path', () => {
    expect(find('PUT', '/instances/i1')).toEqual({
      route: undefined,
      allowed: ['GET', 'DELETE'],
      params: { instanceId: 'i1' },
    });
    expect(find('GET', '/volumes')).toEqual({ route: undefined, allowed: [], params: {} });
  });

  it("reads `{name}` as `:name` (the API references' way), serves `*` for every method, refuses a route twice", () => {
    const g = routeTable([
      { method: 'GET', path: 'projects/{project}/zones/{zone}' },
      { method: '*', path: '__emulator/reset' },
    ]);
    expect(g('GET', 'projects/p/zones/z').params).toEqual({ project: 'p', zone: 'z' });
    expect(g('GET', 'projects/p/zones/').route).toBeUndefined();
    expect(g('DELETE', '__emulator/reset').route?.method).toBe('*');
    expect(() =>
      routeTable([
        { method: 'GET', path: '/a/:x' },
        { method: 'GET', path: '/a/:x' },
      ]),
    ).toThrow('route GET /a/:x is declared twice');
  });
});
