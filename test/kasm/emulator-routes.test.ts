import { afterEach, describe, expect, it } from 'vitest';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { matchRoute, type Route } from '../../src/emulators/kasm/router.js';

const KEY = 'route-key';
const SECRET = 'route-secret-9c1';
const started: KasmEmulator[] = [];
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

async function start(opts: Partial<Parameters<typeof startKasmEmulator>[0]> = {}) {
  const e = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET, ...opts });
  started.push(e);
  return e;
}

async function answer(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { method: 'POST', ...init });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const withKey = JSON.stringify({ api_key: KEY, api_key_secret: SECRET });

describe('Kasm emulator routes', () => {
  it('an unknown call is the plain-text 404 of Kasm web server, with or without a key, and is not counted', async () => {
    const e = await start({ auth: 'both' });
    const notFound = {
      status: 404,
      type: 'text/plain; charset=utf-8',
      text: '404 Not Found\n\nThe path was not found.',
    };
    expect(await answer(`${e.url}/api/public/no_such_call`, { body: withKey })).toEqual(notFound);
    expect(await answer(`${e.url}/api/admin/no_such_call`, { body: '{}' })).toEqual(notFound);
    expect(await answer(`${e.url}/api/no_such_call`, { body: 'not json' })).toEqual(notFound);
    // Names Object.prototype has are no calls either.
    expect(await answer(`${e.url}/api/public/constructor`, { body: withKey })).toEqual(notFound);
    expect(await answer(`${e.url}/api/public/get_zones/extra`, { body: withKey })).toEqual(notFound);
    expect(e.calls()).toEqual({});
  });

  it('a known call by another method is 405; one under a style the server does not take is 404', async () => {
    const e = await start({ auth: 'body' });
    expect(await answer(`${e.url}/api/public/get_zones`, { method: 'GET' })).toMatchObject({
      status: 405,
      text: '405 Method Not Allowed',
    });
    expect((await answer(`${e.url}/api/get_zones`, { body: withKey })).status).toBe(404);
    const ok = await answer(`${e.url}/api/admin/get_zones/`, { body: withKey });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ zones: [{ zone_name: 'default' }] });
    expect(e.calls()).toEqual({ get_zones: 1 });
  });

  it('an unknown control method is a JSON 404 naming it', async () => {
    const e = await start();
    const r = await answer(`${e.url}/__emulator/noSuchMethod`, { body: '{}' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ error: 'unknown control method noSuchMethod' });
    expect((await answer(`${e.url}/__emulator/calls`, { method: 'GET' })).status).toBe(200);
  });
});

describe('the route matcher', () => {
  const routes: Route<string>[] = [
    { method: 'GET', path: '/things/:id', handler: 'get' },
    { method: 'POST', path: '/things/new', handler: 'create' },
    { method: 'POST', path: '/things/:id', handler: 'update' },
    { method: '*', path: '/any', handler: 'any' },
  ];

  it('matches exact segments and :params, in table order, ignoring a trailing slash and the query', () => {
    expect(matchRoute(routes, 'GET', '/things/a%20b/?x=1')).toMatchObject({
      kind: 'found',
      route: { handler: 'get' },
      params: { id: 'a b' },
    });
    expect(matchRoute(routes, 'POST', '/things/new')).toMatchObject({ route: { handler: 'create' } });
    expect(matchRoute(routes, 'POST', '/things/7')).toMatchObject({ route: { handler: 'update' } });
    expect(matchRoute(routes, 'PATCH', '/any')).toMatchObject({ route: { handler: 'any' } });
  });

  it('tells a path it has for other methods from one it does not have', () => {
    expect(matchRoute(routes, 'DELETE', '/things/7')).toEqual({ kind: 'wrong-method' });
    expect(matchRoute(routes, 'GET', '/things')).toEqual({ kind: 'none' });
    expect(matchRoute(routes, 'GET', '/things/7/more')).toEqual({ kind: 'none' });
    expect(matchRoute(routes, 'GET', '/things/%E0%A4%A')).toEqual({ kind: 'none' });
  });
});
