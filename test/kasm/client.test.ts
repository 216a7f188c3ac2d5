import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliError, InputError, OperationalError } from '../../src/core/errors.js';
import { createKasmClient, dockerAgents } from '../../src/kasm/client.js';
import { parseServer, parseSession } from '../../src/kasm/parse.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { tempDir } from '../helpers/cli.js';
import { makePrivateCa, startTlsKasm } from './tls-fixture.js';

const KEY = 'kasmscaletestkey';
const SECRET = 'S3cr3t-Kasm-Value-0d6f';
const GiB = 1024 ** 3;

let emu: KasmEmulator;
beforeAll(async () => {
  emu = await startKasmEmulator({
    apiKey: KEY,
    apiKeySecret: SECRET,
    keys: [{ apiKey: 'readonly', apiKeySecret: 'ro-secret', permissions: 'read-only' }],
    now: () => Date.UTC(2024, 2, 5, 22, 18, 50),
  });
});
afterAll(() => emu.close());
afterEach(() => emu.clearFaults());

const client = (
  over: Partial<{ url: string; api_key: string; api_key_secret: string; ca_file: string }> = {},
  timeoutMs?: number,
) => createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET, ...over }, { timeoutMs });

/** Runs fn, expects an OperationalError, checks it is one line without the secret, returns its line. */
async function failure(fn: () => Promise<unknown>, secret = SECRET): Promise<string> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OperationalError);
  const e = err as CliError;
  const line = `${e.message}; ${e.hint ?? ''}`;
  expect(line).not.toContain('\n');
  expect(line).not.toContain(secret);
  expect(line).not.toMatch(/<html|<body|Traceback/i);
  return line;
}

describe('Kasm client against the emulator', () => {
  it('readDemand: the three answers at once, each row in the compact form (no keys the planner does not read)', async () => {
    const sid = 'c3'.repeat(16);
    emu.registerAgent({ server_id: sid, zone_name: 'default', cores: 4, memory: 8 * GiB, gpus: 0 });
    emu.addSession({ zone_name: 'default', server_id: sid, cores: 2, memory: 2 * GiB });
    const c = client();
    const before = { ...emu.calls() };
    const d = await c.readDemand().finally(() => emu.removeAgent(sid)); // and its session: later tests count rows
    const calls = emu.calls();
    for (const k of ['get_servers', 'get_kasms', 'get_zones']) expect(calls[k] - (before[k] ?? 0), k).toBe(1);
    const row = d.servers.find((s) => s.server_id === sid)!;
    expect(row).toMatchObject({
      cores: 4,
      memory: 8 * GiB,
      zone_name: 'default',
      operational_status: 'running',
      enabled: true,
    });
    expect(row.core_calculations).toBeUndefined(); // in Kasm's answer, not read by the planner
    expect(row.kasms).toEqual([{ kasm_id: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    const session = d.kasms.find((k) => k.server_id === sid)!;
    expect(session).toMatchObject({
      cores: 2,
      memory: 2 * GiB,
      zone_name: 'default',
      operational_status: 'running',
    });
    expect(session.image).toBeUndefined();
    expect(session.user).toBeUndefined();
    expect(d.zones.map((z) => z.zone_name)).toContain('default');
  });

  it('reads servers, sessions and zones, keeping every row and filtering Docker agents', async () => {
    const sid = 'a1'.repeat(16);
    emu.registerAgent({
      server_id: sid,
      zone_name: 'default',
      cores: 4,
      memory: 8 * GiB,
      gpus: 0,
      provider: 'oci',
      instance_id: 'ocid1.instance.oc1..x',
    });
    emu.registerAgent({
      server_id: 'b2'.repeat(16),
      server_type: 'desktop',
      zone_name: 'default',
      cores: 2,
      memory: 4 * GiB,
    });
    emu.addSession({ zone_name: 'default', server_id: sid, cores: 2, memory: 2 * GiB });
    emu.addSession({ zone_name: 'default', cores: 1, memory: GiB });
    const c = client();
    const servers = await c.getServers();
    expect(servers).toHaveLength(2);
    const agents = dockerAgents(servers);
    expect(agents.map((a) => a.server_id)).toEqual([sid]);
    expect(await c.getDockerAgents()).toHaveLength(1);
    expect(agents[0]).toMatchObject({
      cores: 4,
      memory: 8 * GiB,
      operational_status: 'running',
      enabled: true,
      zone_name: 'default',
      last_reported: '2024-03-05 22:18:50.000000',
    });
    expect(agents[0].core_calculations).toEqual({ percentage: 50, used: 2, max: 4 });
    expect((agents[0].kasms ?? []).length).toBe(1);
    const kasms = await c.getKasms();
    expect(kasms).toHaveLength(2);
    const waiting = kasms.find((k) => k.server_id === null)!;
    expect(waiting).toMatchObject({
      operational_status: 'requested',
      zone_name: 'default',
      cores: 1,
      memory: GiB,
    });
    expect(waiting.kasm_id).toMatch(/^[0-9a-f]{32}$/);
    const zones = await c.getZones();
    expect(zones[0]).toMatchObject({ zone_name: 'default', available_cores: 2 });
    expect(emu.assignWaitingSessions()).toBe(1);
    expect((await c.getKasms()).every((k) => k.server_id === sid)).toBe(true);
    emu.removeAgent(sid);
    emu.removeAgent('b2'.repeat(16));
  });

  it('error_message on HTTP 200 is a failure, quoted', async () => {
    emu.setFault({
      route: 'get_servers',
      kind: 'error_message',
      message: 'Something broke in the handler',
      times: 1,
    });
    expect(await failure(() => client().getServers())).toBe(
      'Kasm get_servers failed: "Something broke in the handler"; ',
    );
  });

  it('a wrong key is 403 Access Denied with a hint to check the key', async () => {
    const line = await failure(
      () => client({ api_key_secret: 'wrong-secret-value' }).getZones(),
      'wrong-secret-value',
    );
    expect(line).toContain('403 Access Denied');
    expect(line).toContain('api_key_secret');
  });

  it('missing credentials answer 400, reported as one line', async () => {
    const line = await failure(
      () => client({ api_key: '', api_key_secret: '' }).getZones(),
      'no-secret-here',
    );
    expect(line).toMatch(
      /get_zones failed: "Missing api_key or api_key_secret" \(HTTP 400\); set kasm.api_key/,
    );
  });

  it('a read-only key gets 401 Unauthorized on create, naming the permission', async () => {
    const ro = createKasmClient({ url: emu.url, api_key: 'readonly', api_key_secret: 'ro-secret' });
    expect(await ro.getVmProviderConfigs()).toEqual([]);
    const line = await failure(() => ro.createVmProviderConfig({ vm_provider_name: 'gcp' }), 'ro-secret');
    expect(line).toContain('401 Unauthorized to create_vm_provider_config');
    expect(line).toContain('VM Provider Create');
  });

  it('an injected 401 and 403 read as Kasm’s own', async () => {
    emu.setFault({ route: 'get_kasms', kind: 'status', status: 401, times: 1 });
    expect(await failure(() => client().getKasms())).toContain('"Sessions View"');
    emu.setFault({ kind: 'status', status: 403, times: 1 });
    expect(await failure(() => client().getKasms())).toContain('403 Access Denied');
  });

  it('a 500 with an HTML page becomes one line with no HTML', async () => {
    emu.setFault({ route: 'get_servers', kind: 'html500' });
    expect(await failure(() => client().getServers())).toMatch(
      /^Kasm get_servers answered HTTP 500 with an HTML error page; /,
    );
  });

  it('a 502 without body, an unknown path (404) and a non-JSON 200 are each one line', async () => {
    emu.setFault({ kind: 'status', status: 502, times: 1 });
    expect(await failure(() => client().getZones())).toMatch(/HTTP 502/);
    expect(await failure(() => client().call('no_such_call'))).toMatch(
      /Kasm has no no_such_call at http:\/\/127\.0\.0\.1:\d+\/api\/public\/no_such_call \(HTTP 404\); check kasm.url/,
    );
    expect(await failure(() => client({ url: `${emu.url}/sub/path` }).getZones())).toMatch(/HTTP 404/);
  });

  it('a dropped connection and a timeout are one line each', async () => {
    emu.setFault({ kind: 'drop', times: 1 });
    expect(await failure(() => client().getZones())).toMatch(/dropped the connection during get_zones/);
    emu.setFault({ kind: 'latency', ms: 400, times: 1 });
    expect(await failure(() => client({}, 100).getZones())).toMatch(
      /no answer from Kasm at http:\/\/127\.0\.0\.1:\d+ to get_zones within 100 ms/,
    );
  });

  it('an unreachable host (closed port) names the URL', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const line = await failure(() =>
      createKasmClient({ url: `http://127.0.0.1:${port}`, api_key: KEY, api_key_secret: SECRET }).getZones(),
    );
    expect(line).toBe(
      `cannot reach Kasm at http://127.0.0.1:${port}: connection refused; check kasm.url (http://127.0.0.1:${port}) and that Kasm is running and reachable from here`,
    );
  });

  it('an error_message that echoes the secret is scrubbed', async () => {
    emu.setFault({ kind: 'error_message', message: `bad secret ${SECRET} given`, times: 1 });
    expect(await failure(() => client().getZones())).toContain('bad secret ******** given');
  });

  it('plain http is refused off loopback; a bad URL is an input error', () => {
    expect(() =>
      createKasmClient({ url: 'http://kasm.example.com', api_key: KEY, api_key_secret: SECRET }),
    ).toThrow(InputError);
    expect(() =>
      createKasmClient({ url: 'http://kasm.example.com', api_key: KEY, api_key_secret: SECRET }),
    ).toThrow(/plain http on a non-loopback host/);
    expect(() => createKasmClient({ url: 'kasm', api_key: KEY, api_key_secret: SECRET })).toThrow(InputError);
    for (const u of ['http://localhost:1', 'http://127.0.0.2:1', 'http://[::1]:1'])
      expect(() => createKasmClient({ url: u, api_key: KEY, api_key_secret: SECRET })).not.toThrow();
  });

  it('lenient parsing: unknown keys kept, numbers as strings read as numbers', async () => {
    emu.registerAgent({ server_id: 'c3'.repeat(16), cores: 8, memory: 16 * GiB, gpus: 1, extra_thing: 'x' });
    const [a] = await client().getServers();
    expect(a).toMatchObject({ gpus: 1, extra_thing: 'x' });
    emu.removeAgent('c3'.repeat(16));
    expect(
      parseServer({ server_id: 'x', cores: '4', memory: '1024', enabled: 'false', unknown: 1 }),
    ).toMatchObject({ cores: 4, memory: 1024, gpus: 0, enabled: false, unknown: 1, kasms: [] });
    expect(
      parseSession({ kasm_id: 'k', server_id: '', cores: 1.5, server: { zone_name: 'z' } }),
    ).toMatchObject({ server_id: null, cores: 1.5, zone_name: 'z', operational_status: '' });
  });
});

describe('Kasm client over TLS', () => {
  let tls: { url: string; close: () => Promise<void> };
  let ca: { caFile: string };
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const made = makePrivateCa(t.dir);
    ca = made;
    tls = await startTlsKasm(made.key, made.cert);
  });
  afterAll(async () => {
    await tls.close();
    await cleanup();
  });

  it('rejects a certificate from a private CA without ca_file', async () => {
    const c = createKasmClient({ url: tls.url, api_key: KEY, api_key_secret: SECRET });
    const line = await failure(() => c.getZones());
    expect(line).toMatch(
      /^TLS failed for Kasm at https:\/\/127\.0\.0\.1:\d+: certificate not trusted \(\w+\); set kasm.ca_file/,
    );
  });

  it('trusts it with ca_file, without touching global TLS settings', async () => {
    const c = createKasmClient({ url: tls.url, api_key: KEY, api_key_secret: SECRET, ca_file: ca.caFile });
    expect((await c.getZones())[0].zone_name).toBe('default');
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it('a missing ca_file is an input error naming it', () => {
    expect(() =>
      createKasmClient({
        url: tls.url,
        api_key: KEY,
        api_key_secret: SECRET,
        ca_file: '/nonexistent/ca.pem',
      }),
    ).toThrow(/kasm.ca_file \/nonexistent\/ca.pem does not exist/);
  });
});
