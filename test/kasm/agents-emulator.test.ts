/**
 * Kasm 1.15's agent calls as the emulator answers them, through our client:
 * update_server / delete_server semantics (reference/kasm.md), placement that skips
 * disabled agents, and an agent that goes missing only after it stops checking in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKasmClient } from '../../src/kasm/client.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';

const KEY = 'agents-key';
const SECRET = 'agents-secret-9f1';
const GiB = 1024 ** 3;
const SID = 'cd'.repeat(16);
let e: KasmEmulator | undefined;
afterEach(async () => {
  await e?.close();
  e = undefined;
});

async function start(opts: Partial<Parameters<typeof startKasmEmulator>[0]> = {}) {
  let t = Date.UTC(2024, 0, 1, 8, 0, 0);
  e = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET, now: () => t, ...opts });
  e.registerAgent({ server_id: SID, cores: 4, memory: 8 * GiB });
  const post = async (call: string, body: Record<string, unknown>) => {
    const res = await fetch(`${e!.url}/api/public/${call}`, {
      method: 'POST',
      body: JSON.stringify({ api_key: KEY, api_key_secret: SECRET, ...body }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    emu: e,
    client: createKasmClient({ url: e.url, api_key: KEY, api_key_secret: SECRET }),
    post,
    tick: (ms: number) => (t += ms),
  };
}

describe('Kasm emulator: agents', () => {
  it('update_server: host type required, enabled and overrides change, null/omitted keys stay, unknown server answered', async () => {
    const { emu, client, post } = await start();
    expect(await post('update_server', { target_server: { server_id: SID, enabled: false } })).toEqual({
      status: 401,
      body: { error_message: 'Unauthorized Action' },
    });
    const ok = await post('update_server', {
      target_server: {
        server_id: SID,
        server_type: 'host',
        enabled: false,
        cores_override: 8,
        memory_override: null,
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.server).toMatchObject({
      server_id: SID,
      enabled: false,
      cores_override: 8,
      memory_override: 0,
    });
    await client.updateAgent(SID, { enabled: true });
    expect(emu.state().agents[0]).toMatchObject({ enabled: true, cores_override: 8 });
    expect(
      await post('update_server', {
        target_server: { server_id: 'ef'.repeat(16), server_type: 'host', enabled: true },
      }),
    ).toEqual({ status: 200, body: { error_message: `Server (${'ef'.repeat(16)}) Does not Exist` } });
    await expect(client.updateAgent('ef'.repeat(16), { enabled: true })).rejects.toThrow(
      /Kasm update_server failed: "Server \([ef]+\) Does not Exist"/,
    );
  });

  it('delete_server: refuses with sessions unless force, force must be a boolean, marks delete_pending', async () => {
    const { emu, client, post } = await start();
    emu.addSession({ server_id: SID, cores: 1, memory: GiB });
    expect(await client.deleteAgent(SID)).toEqual({
      outcome: 'has_sessions',
      sessions: 1,
      message: "Server contains (1) kasms and 'force' option not set to True",
    });
    expect(
      (await post('delete_server', { target_server: { server_id: SID }, force: 'yes' })).body.error_message,
    ).toMatch(/force/);
    expect(emu.state().agents[0].operational_status).toBe('running');
    emu.removeSession(emu.state().sessions[0].kasm_id);
    expect(await client.deleteAgent(SID)).toEqual({ outcome: 'deleted' });
    expect(emu.state().agents[0].operational_status).toBe('delete_pending');
    expect(await client.deleteAgent('ab'.repeat(16))).toMatchObject({ outcome: 'not_found' });
    // force empties it (kasm-scale never sends it; Kasm's own semantics)
    emu.registerAgent({ server_id: 'aa'.repeat(16), cores: 2, memory: GiB });
    emu.addSession({ server_id: 'aa'.repeat(16), cores: 1, memory: GiB });
    expect(
      (await post('delete_server', { target_server: { server_id: 'aa'.repeat(16) }, force: true })).body,
    ).toEqual({});
    expect(emu.state().sessions).toEqual([]);
  });

  it('places sessions only on enabled running agents', async () => {
    const { emu, client } = await start();
    await client.updateAgent(SID, { enabled: false });
    emu.addSession({ zone_name: 'default', cores: 1, memory: GiB });
    expect(emu.assignWaitingSessions()).toBe(0);
    expect((await client.getZones())[0].available_cores).toBe(0);
    await client.updateAgent(SID, { enabled: true });
    expect(emu.assignWaitingSessions()).toBe(1);
  });

  it('an agent whose instance is gone is missing only after it stops checking in, and stays; a delete_pending one goes', async () => {
    const { emu, client, tick } = await start({ missingAfterMs: 120_000 });
    tick(60_000);
    emu.checkIn(SID);
    emu.stopCheckingIn(SID);
    tick(90_000);
    expect((await client.getServers())[0]).toMatchObject({
      operational_status: 'running',
      last_reported: '2024-01-01 08:01:00.000000',
    });
    tick(31_000);
    expect((await client.getServers())[0].operational_status).toBe('missing');
    tick(86_400_000);
    expect(await client.getServers()).toHaveLength(1); // Kasm keeps it for ever
    expect(await client.deleteAgent(SID)).toEqual({ outcome: 'deleted' });
    expect(await client.getServers()).toEqual([]);
  });

  it('a key without Agents Modify / Servers Delete gets a 401 whose hint names them', async () => {
    const { emu } = await start({ permissions: 'read-only' });
    const c = createKasmClient({ url: emu.url, api_key: KEY, api_key_secret: SECRET });
    const err = await c.updateAgent(SID, { enabled: false }).catch((x: Error & { hint?: string }) => x);
    expect(String((err as Error).message)).toBe('Kasm answered 401 Unauthorized to update_server');
    expect((err as { hint?: string }).hint).toMatch(
      /give it "Agents Modify".*reconcile needs Agents Modify and Servers Delete to drain agents/,
    );
    const del = await c.deleteAgent(SID).catch((x: { hint?: string }) => x);
    expect((del as { hint?: string }).hint).toMatch(/give it "Servers Delete"/);
  });
});
