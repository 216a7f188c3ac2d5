import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKasmClient } from '../../src/kasm/client.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { CLI, tempDir } from '../helpers/cli.js';

const KEY = 'emukey';
const SECRET = 'emu-secret-31f';
const GiB = 1024 ** 3;
const started: KasmEmulator[] = [];
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

async function start(opts: Partial<Parameters<typeof startKasmEmulator>[0]> = {}) {
  const e = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET, ...opts });
  started.push(e);
  return e;
}

async function control(url: string, method: string, body: unknown = {}) {
  const res = await fetch(`${url}/__emulator/${method}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Kasm emulator', () => {
  it('control routes drive agents and sessions; Kasm computes capacity and placement', async () => {
    let t = Date.UTC(2024, 0, 1, 8, 0, 0);
    const e = await start({ now: () => t, zones: ['us-east'] });
    const sid = 'ab'.repeat(16);
    expect(
      (
        await control(e.url, 'registerAgent', {
          server_id: sid,
          zone_name: 'us-east',
          cores: 4,
          memory: 8 * GiB,
          gpus: 1,
          cores_override: 8,
          provider: 'gcp',
          autoscale_config_name: 'pool-a',
        })
      ).status,
    ).toBe(200);
    const one = await control(e.url, 'addSession', {
      zone_name: 'us-east',
      cores: 6,
      memory: 2 * GiB,
      gpus: 1,
    });
    await control(e.url, 'addSession', { zone_name: 'us-east', cores: 4, memory: 2 * GiB });
    t += 60_000;
    expect((await control(e.url, 'assignWaitingSessions')).body).toEqual({ assigned: 1 });
    const c = createKasmClient({ url: e.url, api_key: KEY, api_key_secret: SECRET });
    const [agent] = await c.getServers();
    expect(agent).toMatchObject({
      server_type: 'host',
      is_autoscaled: true,
      cores_override: 8,
      autoscale_config: { autoscale_config_name: 'pool-a' },
      last_reported: '2024-01-01 08:00:00.000000',
    });
    expect(agent.core_calculations).toEqual({ percentage: 75, used: 6, max: 8 });
    expect(agent.gpu_calculations).toEqual({ percentage: 100, used: 1, max: 1 });
    const kasms = await c.getKasms();
    expect(kasms.find((k) => k.kasm_id === one.body.kasm_id)).toMatchObject({
      server_id: sid,
      operational_status: 'running',
      server: { provider: 'gcp', zone_name: 'us-east' },
    });
    expect(kasms.filter((k) => k.server_id === null)).toHaveLength(1); // 4 cores do not fit in the 2 left
    const [zone] = await c.getZones();
    expect(zone).toMatchObject({ zone_name: 'us-east', available_cores: 2, available_gpus: 0 });
    await control(e.url, 'setAgentStatus', { server_id: sid, operational_status: 'missing' });
    expect((await c.getZones())[0].available_cores).toBe(0);
    await control(e.url, 'removeSession', { kasm_id: one.body.kasm_id });
    expect((await control(e.url, 'removeAgent', { server_id: sid })).body).toEqual({ removed: true });
    expect(await c.getServers()).toEqual([]);
    expect((await control(e.url, 'removeAgent', { server_id: 'nope' })).body).toEqual({ removed: false });
    expect(
      (await control(e.url, 'setAgentStatus', { server_id: 'nope', operational_status: 'x' })).status,
    ).toBe(400);
  });

  it('faults by route, counted with times; setFault over HTTP', async () => {
    const e = await start();
    const c = createKasmClient({ url: e.url, api_key: KEY, api_key_secret: SECRET });
    await control(e.url, 'setFault', {
      route: '/api/public/get_zones',
      kind: 'error_message',
      message: 'boom',
      times: 2,
    });
    await expect(c.getZones()).rejects.toThrow('"boom"');
    await expect(c.getServers()).resolves.toEqual([]);
    await expect(c.getZones()).rejects.toThrow('"boom"');
    await expect(c.getZones()).resolves.toHaveLength(1);
    expect(e.calls()).toMatchObject({ get_zones: 3, get_servers: 1 });
  });

  it('admin routes answer too; unknown paths 404; missing credentials 400', async () => {
    const e = await start();
    const post = (path: string, body: unknown) =>
      fetch(`${e.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/api/admin/get_zones', { api_key: KEY, api_key_secret: SECRET })).status).toBe(200);
    expect((await post('/api/public/nothing', {})).status).toBe(404);
    expect((await post('/api/public/get_zones', {})).status).toBe(400);
    expect(await (await post('/api/public/get_zones', { api_key: KEY, api_key_secret: 'x' })).json()).toEqual(
      { error_message: 'Access Denied' },
    );
  });

  it('per-key permissions by call or permission name', async () => {
    const e = await start({
      keys: [{ apiKey: 'sess', apiKeySecret: 'sess-secret', permissions: ['sessions_view', 'get_zones'] }],
    });
    const c = createKasmClient({ url: e.url, api_key: 'sess', api_key_secret: 'sess-secret' });
    await expect(c.getKasms()).resolves.toEqual([]);
    await expect(c.getZones()).resolves.toHaveLength(1);
    await expect(c.getServers()).rejects.toThrow('401 Unauthorized to get_servers');
  });

  it('--state keeps state across restarts', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const stateFile = join(dir, 'kasm.json');
      const a = await start({ stateFile });
      a.registerAgent({ server_id: 'cd'.repeat(16), cores: 2, memory: 4 * GiB });
      await createKasmClient({ url: a.url, api_key: KEY, api_key_secret: SECRET }).createVmProviderConfig({
        vm_provider_name: 'gcp',
        vm_provider_config_name: 'x',
        max_instances: 1,
        startup_script: 's',
      });
      await a.close();
      started.pop();
      expect(JSON.parse(readFileSync(stateFile, 'utf8')).agents).toHaveLength(1);
      const b = await start({ stateFile });
      const c = createKasmClient({ url: b.url, api_key: KEY, api_key_secret: SECRET });
      expect((await c.getServers())[0].server_id).toBe('cd'.repeat(16));
      expect((await c.getVmProviderConfigs())[0].vm_provider_config_name).toBe('x');
    } finally {
      await cleanup();
    }
  });

  it('licence off: provider create answers Kasm’s not-licensed error', async () => {
    const e = await start({ licensed: false });
    const c = createKasmClient({ url: e.url, api_key: KEY, api_key_secret: SECRET });
    await expect(c.createVmProviderConfig({ vm_provider_name: 'gcp' })).rejects.toMatchObject({
      message: 'Kasm create_vm_provider_config failed: "Access Denied. Auto Scaling is not licensed"',
      hint: expect.stringContaining('needs a Kasm licence'),
    });
  });
});

describe('kasm-scale emulator kasm (built CLI)', () => {
  it('prints the URL and key, answers calls, stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'emulator', 'kasm', '--json', '--api-key', 'k1', '--api-key-secret', 's1-secret'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    const doc = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON in time: ${stdout}`)), 20_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        try {
          const parsed = JSON.parse(stdout);
          clearTimeout(timer);
          resolve(parsed);
        } catch {
          /* not complete yet */
        }
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    expect(doc).toMatchObject({ emulator: 'kasm', api_key: 'k1', api_key_secret: 's1-secret' });
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = createKasmClient({ url: doc.url as string, api_key: 'k1', api_key_secret: 's1-secret' });
    expect(await c.getZones()).toHaveLength(1);
    const code = await new Promise((r) => {
      child.on('close', r);
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('an unknown emulator name is exit 2', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['emulator', 'azure']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown emulator "azure"; choose one of oci, gcp, kasm');
  });
});
