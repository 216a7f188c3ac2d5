/**
 * `status` in-process against the OCI and Kasm emulators (set up by the reconcile scenario
 * harness); passes that make instances and state are real reconcile passes (runPass).
 * Read-only is checked with the emulators' own request logs and the state dir's bytes.
 */
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutput } from '../../src/core/output.js';
import { loadConfig } from '../../src/config/load.js';
import { runPass } from '../../src/scaling/reconcile.js';
import { collectStatus } from '../../src/status/collect.js';
import { statusExitCode } from '../../src/status/command.js';
import { renderStatus } from '../../src/status/human.js';
import { statusJson } from '../../src/status/json.js';
import { AD1, MB, scenario, type Scenario } from '../scaling/scenarios/harness.js';
import { silenceSdkWarnings } from '../clouds/oci/fixture.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
const quiet = () => createOutput({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' } });

async function reconcile(sc: Scenario) {
  sc.oci.refresh();
  const r = await runPass({
    config: await loadConfig(sc.config),
    dryRun: false,
    stateDir: sc.stateDir,
    concurrency: 8,
    now: new Date(sc.now()),
    out: quiet(),
  });
  sc.oci.refresh();
  return r;
}

async function status(sc: Scenario, only: string[] = []) {
  return collectStatus({
    config: await loadConfig(sc.config),
    only,
    stateDir: sc.stateDir,
    now: new Date(sc.now()),
    concurrency: 8,
  });
}

/** Everything under the state dir: names, bytes and mtimes (missing dir: null). */
async function snapshotDir(dir: string): Promise<string | null> {
  try {
    const names = (await readdir(dir)).sort();
    const parts = await Promise.all(
      names.map(
        async (n) => `${n}:${(await stat(join(dir, n))).mtimeMs}:${await readFile(join(dir, n), 'utf8')}`,
      ),
    );
    return parts.join('\n');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const plain = new Chalk({ level: 0 });

describe('status (in-process, emulators)', () => {
  // A pass that meets an injected capacity fault makes the OCI SDK console.warn.
  silenceSdkWarnings();
  it('shows instances, agents, sessions and capacity as reconcile computes them; makes no write call anywhere', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 10 }] });
    const first = await reconcile(s); // cold start: 3 launches of 4 cores
    expect(first.results.filter((r) => r.status === 'done')).toHaveLength(3);
    s.tick(90); // running → the harness registers the agents
    await reconcile(s); // tags them registered/idle; state records the pass
    const agent = s.kasm.state().agents[0].server_id;
    s.kasm.addSession({
      cores: 1,
      memory: 1024 * MB,
      operational_status: 'running',
      server_id: agent,
      zone_name: 'default',
    });
    s.kasm.addSession({ cores: 2, memory: 2048 * MB, operational_status: 'requested', zone_name: 'default' });

    const before = { dir: await snapshotDir(s.stateDir), oci: s.oci.requests.length, kasm: s.kasm.calls() };
    const r = await status(s);
    const ociCalls = s.oci.requests.slice(before.oci).map((q) => `${q.method} ${q.operation}`);
    const kasmAfter = s.kasm.calls();

    // read-only: the cloud saw list calls only, Kasm get_* only, the state dir is byte-identical (no lock)
    expect(new Set(ociCalls)).toEqual(new Set(['GET ListInstances']));
    const kasmDelta = Object.keys(kasmAfter).filter((k) => kasmAfter[k] !== before.kasm[k]);
    expect(kasmDelta.sort()).toEqual([
      'get_autoscale_configs',
      'get_kasms',
      'get_servers',
      'get_vm_provider_configs',
      'get_zones',
    ]);
    expect(await snapshotDir(s.stateDir)).toBe(before.dir);

    const p = r.pools[0];
    expect(r.kasm).toMatchObject({ configured: true, reachable: true, usable: true });
    expect(r.state.status).toBe('ok');
    expect(p.figures?.instances).toEqual({ running: 3 });
    expect(p.figures?.agents).toMatchObject({ total: 3, running: 3, owned: 3, static: 0 });
    expect(p.figures?.sessions).toEqual({ active: 1, waiting: 1, other: 0 });
    expect(p.figures?.free.cores).toBe(11); // 3 × 4 − 1 running
    expect(p.figures?.standby.cores).toBe(10);
    expect(p.figures?.waiting.cores).toBe(2);
    expect(p.lastPass).toEqual({ at: new Date(s.now()).toISOString(), result: 'ok' });
    expect(p.lastLaunchAt).toBeDefined();
    expect(p.next).toEqual({ launch: 1, terminate: 0 }); // 11 free < 10 standby + 2 waiting
    expect(statusExitCode(r)).toBe(0);

    const lines = renderStatus(r, plain).join('\n');
    expect(lines).toContain('office  provider oci-main · zone default');
    expect(lines).toContain('sessions 1 active, 1 waiting · instances 3 running · 3/10 on oci-main');
    expect(lines).toMatch(/cores\s+│?\s*11\s+│?\s*0\s+│?\s*10\s+│?\s*2\s+│?\s*4/);
    expect(lines).toContain('last pass ok at');
    expect(lines).toContain('next pass: 1 to launch, 0 to terminate');
    expect(lines).not.toMatch(/\x1b\[/);

    const doc = statusJson(r) as any;
    expect(doc.pools[0].observed.free).toEqual({ cores: 11, memory_mb: 48 * 1024 - 1024, gpus: 0 });
    expect(doc.pools[0].observed.sessions).toEqual({ active: 1, waiting: 1, other: 0 });
    expect(doc.pools[0].last_pass.result).toBe('ok');
    expect(doc.pools[0].next_pass).toEqual({ launch: 1, terminate: 0 });
  });

  it('Kasm unreachable: says so, still shows cloud instances and state; unknown figures are null, exit 3', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    await reconcile(s);
    s.kasm.setFault({ kind: 'html500', status: 502 });
    const before = s.oci.requests.length;
    const r = await status(s);
    expect(s.oci.requests.slice(before).every((q) => q.operation === 'ListInstances')).toBe(true);
    expect(r.kasm).toMatchObject({ reachable: false, usable: false });
    expect(r.kasm.reason).toMatch(/Kasm could not be read/);
    expect(r.pools[0].figures?.instances).toEqual({ provisioning: 1 });
    expect(r.pools[0].lastPass?.result).toBe('ok');
    expect(statusExitCode(r)).toBe(3);
    const text = renderStatus(r, plain).join('\n');
    expect(text).toContain('agents, sessions and free capacity are unknown');
    expect(text).toContain('instances 1 provisioning · 1/10 on oci-main');
    const doc = statusJson(r) as any;
    expect(doc.kasm.reachable).toBe(false);
    expect(doc.pools[0].observed.agents).toBeNull();
    expect(doc.pools[0].observed.free).toBeNull();
    expect(doc.pools[0].observed.instances).toEqual({ provisioning: 1 });
  });

  it('no state file: says no pass has run, creates no state dir', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    const r = await status(s);
    expect(r.state.status).toBe('missing');
    expect(r.pools[0].lastPass).toBeUndefined();
    expect(r.pools[0].next).toEqual({ launch: 1, terminate: 0 });
    expect(await snapshotDir(s.stateDir)).toBeNull();
    expect(statusExitCode(r)).toBe(0);
    expect(renderStatus(r, plain).join('\n')).toContain('no state file yet');
  });

  it('shows backoff windows in force (provider + AD, until when) and drops them once over', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    s.oci.setFault({ kind: 'capacity', availabilityDomain: AD1 });
    await reconcile(s); // AD-1 full → backoff, launch lands in AD-2
    const r = await status(s);
    const until = new Date(s.now() + 300_000).toISOString();
    expect(r.pools[0].backoff).toEqual([
      {
        provider: 'oci-main',
        zone: AD1,
        until,
        delaySec: 300,
        failures: 1,
        lastError: expect.stringContaining('Out of host capacity'),
      },
    ]);
    expect(renderStatus(r, plain).join('\n')).toContain(
      `backoff oci-main ${AD1} until ${until} (in 5 min; 5 min window, 1 failure(s)`,
    );
    expect((statusJson(r) as any).pools[0].backoff[0]).toMatchObject({ zone: AD1, until, delay_sec: 300 });
    s.tick(301);
    expect((await status(s)).pools[0].backoff).toEqual([]);
  });

  it('a corrupt state file is reported and left where it is (reconcile moves it aside, status never)', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    await mkdir(s.stateDir, { recursive: true });
    await writeFile(join(s.stateDir, 'state.json'), '{"version": 1, "pools": ');
    const r = await status(s);
    expect(r.state.status).toBe('corrupt');
    expect(r.state.note).toContain('is corrupt');
    expect(await readdir(s.stateDir)).toEqual(['state.json']);
    expect(statusExitCode(r)).toBe(3);
  });

  it('--autoscale selects pools; an unknown name is an input error', async () => {
    s = await scenario({
      pools: [
        { name: 'office', standby_cores: 4 },
        { name: 'lab', zone: 'lab', standby_cores: 0 },
      ],
    });
    expect((await status(s, ['lab'])).pools.map((p) => p.pool)).toEqual(['lab']);
    await expect(status(s, ['nope'])).rejects.toThrow(/--autoscale nope: no autoscale config of that name/);
  });
});
