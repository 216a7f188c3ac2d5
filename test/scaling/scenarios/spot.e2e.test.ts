/**
 * A spot pool on the BUILT CLI against the emulators: a preemption wave (the next pass
 * deregisters the preempted agents without force, reports the sessions lost, relaunches)
 * and a spot capacity outage (launches fail with capacity and back off, as on-demand ones
 * do). Needs `npm run build` first.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { AD1, AD2, MB, scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));
const agents = (sc: Scenario) => sc.kasm.state().agents;
const spotPool = { name: 'spot', minimum_instances: 3, standby_cores: 0 };

describe('spot pool (built CLI × emulators)', () => {
  it('a preemption wave: the next pass counts the lost sessions, deregisters without force, relaunches', async () => {
    s = await scenario({ pools: [spotPool], oci: { spot: true } });
    expect((await s.pass()).code).toBe(0);
    s.tick(90);
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
    expect(live(s)).toHaveLength(3);
    for (const i of live(s)) expect(i.preemptibleInstanceConfig).toBeDefined();

    // Two users on one agent; the cloud takes that agent's instance and another one back.
    const [busy, idle] = agents(s).map((a) => a.server_id);
    for (let n = 0; n < 2; n++) s.kasm.addSession({ server_id: busy, cores: 1, memory: 512 * MB });
    const byServer = (id: string) => live(s!).find((i) => i.freeformTags['kasm-scale-server-id'] === id)!.id;
    expect(s.oci.preempt({ ids: [byServer(busy), byServer(idle)] })).toHaveLength(2);
    s.tick(60);

    // What an operator reads (a dry run: nothing done, nothing remembered).
    const human = await runCli(['reconcile', s.config, '--state-dir', s.stateDir, '--dry-run'], {
      env: { KASM_SCALE_NOW: new Date(s.now()).toISOString(), NO_COLOR: '1' },
    });
    expect(human.stdout).toContain('2 spot instance(s) preempted: 2 sessions lost to preemption.');

    const metrics = join(s.dir, 'kasm-scale.prom');
    const r = await s.pass(['--metrics-file', metrics]);
    expect(r.code, r.stderr).toBe(0);
    const pool = r.doc.pools[0];
    expect(pool.preempted).toEqual({ agents: [busy, idle].sort(), sessions_lost: 2 });
    expect(r.doc.summary.sessions_lost_to_preemption).toBe(2);
    expect(pool.actions.map((a: any) => [a.kind, a.cause, a.status])).toEqual([
      ['launch', 'minimum', 'done'],
      ['launch', 'minimum', 'done'],
      ['deregister', 'preempted', 'done'],
    ]);
    expect(pool.actions[2].server_id).toBe(idle);
    expect(pool.notes.join('\n')).toMatch(/was preempted with 2 session\(s\) on it: deregistered once Kasm/);
    const prom = await readFile(metrics, 'utf8');
    expect(prom).toContain('kasm_scale_sessions_lost_to_preemption{pool="spot"} 2');
    expect(prom).toContain('kasm_scale_preempted_instances{pool="spot"} 2');
    // delete_server without force: the empty agent is going, the busy one stays while Kasm lists its sessions.
    expect(s.kasm.calls().delete_server).toBe(1);
    expect(agents(s).find((a) => a.server_id === idle)?.operational_status ?? 'gone').toMatch(
      /delete_pending|gone/,
    );
    expect(agents(s).find((a) => a.server_id === busy)).toBeDefined();

    // Kasm ends the lost sessions; the next pass deregisters that agent, counting nothing twice.
    for (const k of s.kasm.state().sessions) s.kasm.removeSession(k.kasm_id);
    s.tick(90);
    const r2 = await s.pass();
    expect(r2.doc.pools[0].preempted).toBeNull();
    expect(r2.doc.pools[0].actions.map((a: any) => [a.kind, a.cause, a.server_id, a.status])).toEqual([
      ['deregister', 'preempted', busy, 'done'],
    ]);
    expect(live(s)).toHaveLength(3);
  });

  it('a spot capacity outage: launches fail with capacity in every AD and back off, as on-demand ones do', async () => {
    s = await scenario({ pools: [spotPool], oci: { spot: true } });
    s.oci.setFault({ kind: 'capacity', preemptibleOnly: true });
    const r = await s.pass();
    expect(r.code).toBe(1);
    const [first] = r.doc.pools[0].actions;
    expect(first).toMatchObject({ kind: 'launch', status: 'failed', error: { class: 'capacity' } });
    const state = JSON.parse(await readFile(join(s.stateDir, 'state.json'), 'utf8'));
    expect(state.backoff[`oci-main|${AD1}`]).toMatchObject({ failures: 1 });
    expect(state.backoff[`oci-main|${AD2}`]).toMatchObject({ failures: 1 });
    expect(live(s)).toHaveLength(0);
    // While both ADs back off, the next pass says so and sends nothing.
    s.tick(60);
    const r2 = await s.pass();
    expect(r2.doc.pools[0].actions).toEqual([]);
    expect(r2.doc.pools[0].notes.join('\n')).toMatch(/every zone of oci-main is in backoff/);
  });

  it('GCP: a preempted Spot VM (deleted) is noticed, its agent deregistered and the VM replaced', async () => {
    s = await scenario({
      pools: [{ name: 'gspot', provider: 'gcp', minimum_instances: 2, standby_cores: 0 }],
      gcp: { machineType: 'e2-standard-4', spot: true },
    });
    const gcp = s.gcp!;
    const spotVms = () => gcp.instances().filter((i) => i.status !== 'TERMINATED' && i.status !== 'STOPPING');
    expect((await s.pass()).code).toBe(0);
    s.tick(90);
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
    expect(spotVms().map((i) => (i.scheduling as any).provisioningModel)).toEqual(['SPOT', 'SPOT']);
    const [victim] = gcp.preempt({ count: 1 });
    s.tick(60);
    const r = await s.pass();
    expect(r.code, r.stderr).toBe(0);
    const pool = r.doc.pools[0];
    expect(pool.preempted.sessions_lost).toBe(0);
    expect(pool.actions.map((a: any) => [a.kind, a.cause, a.status])).toEqual([
      ['launch', 'minimum', 'done'],
      ['deregister', 'preempted', 'done'],
    ]);
    expect(spotVms().map((i) => i.name)).not.toContain(victim);
    expect(spotVms()).toHaveLength(2);
  });
});
