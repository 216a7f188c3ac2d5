/**
 * Scenarios: the BUILT CLI against the emulators, pass after pass on a controlled clock
 * (KASM_SCALE_NOW). Needs `npm run build` first.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AD1, AD2, MB, scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const actions = (doc: any, pool = 0) => doc.pools[pool].actions as any[];
const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));

describe('reconcile scenarios (built CLI × emulators)', () => {
  it('cold start to standby, then quiet: launches in one pass, registers, next passes do nothing', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 10 }] });
    const r1 = await s.pass();
    expect(r1.code, r1.stderr).toBe(0);
    expect(actions(r1.doc).map((a) => [a.kind, a.status])).toEqual([
      ['launch', 'done'],
      ['launch', 'done'],
      ['launch', 'done'],
    ]);
    expect(r1.stderr).toContain('launch: free cores 0 < standby 10 (1 of 3)');
    expect(r1.stderr).toContain('Done: 3 launched, 0 terminated.');
    s.tick(30);
    const r2 = await s.pass();
    expect(actions(r2.doc)).toEqual([]); // booting instances count as capacity
    s.tick(60);
    const r3 = await s.pass();
    expect(r3.doc.pools[0].observed.agents.owned).toBe(3);
    expect(r3.doc.pools[0].observed.free.cores).toBe(12);
    expect(actions(r3.doc)).toEqual([]);
  });

  it('morning rush: waiting sessions drive scale-up; evening drain: backoff respected, busy agents kept, standby kept', async () => {
    s = await scenario({
      pools: [
        { name: 'office', standby_cores: 4, downscale_backoff: 900, scale_down_delay_after_launch: 600 },
      ],
    });
    await s.pass();
    s.tick(90);
    await s.pass();
    // 08:00: six users ask for 2-core sessions; Kasm has one 4-core agent
    const waiting = Array.from({ length: 6 }, () =>
      s!.kasm.addSession({
        cores: 2,
        memory: 2048 * MB,
        operational_status: 'requested',
        zone_name: 'default',
      }),
    );
    const rush = await s.pass();
    expect(rush.code, rush.stderr).toBe(0);
    expect(actions(rush.doc).map((a) => a.cause)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(actions(rush.doc)[0].reason).toBe('launch: free cores 4 < standby 4 + waiting 12 (1 of 3)');
    s.tick(90);
    s.kasm.assignWaitingSessions();
    const busy = s.kasm
      .state()
      .sessions.filter((k) => k.server_id)
      .map((k) => k.server_id);
    expect(busy.length).toBe(6);
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
    // 18:00: everyone but one logs off
    for (const k of waiting.slice(1)) s.kasm.removeSession(k.kasm_id);
    const keep = s.kasm.state().sessions[0].server_id;
    const first = await s.pass(); // marks idle agents (idle-since tag); nothing removed yet
    expect(actions(first.doc).filter((a) => a.kind === 'terminate')).toEqual([]);
    s.tick(600);
    expect(actions((await s.pass()).doc)).toEqual([]); // idle 10 min < downscale_backoff 15 min
    s.tick(301);
    const drain = await s.pass();
    const gone = actions(drain.doc).filter((a) => a.kind === 'terminate');
    expect(gone.length).toBeGreaterThan(0);
    for (const a of gone) {
      expect(a.server_id).not.toBe(keep);
      expect(a.reason).toMatch(/^terminate: idle 15 min, no sessions, free cores stay \d+ ≥ 4$/);
    }
    expect(drain.doc.pools[0].observed.free.cores - gone.length * 4).toBeGreaterThanOrEqual(4);
    s.tick(60);
    expect(actions((await s.pass()).doc)).toEqual([]); // converged, no flap
  });

  it('out of capacity in AD-1: the launch lands in AD-2 in the same pass, AD-1 backs off', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 8 }] });
    s.oci.setFault({ kind: 'capacity', availabilityDomain: AD1 });
    const r = await s.pass();
    expect(r.code, r.stderr).toBe(0);
    expect(actions(r.doc).map((a) => [a.status, a.zone, a.zones_tried])).toEqual([
      ['done', AD2, [AD1]],
      ['done', AD2, expect.any(Array)],
    ]);
    const state = JSON.parse(await readFile(join(s.stateDir, 'state.json'), 'utf8'));
    expect(state.backoff[`oci-main|${AD1}`]).toMatchObject({ delaySec: 300, failures: 1 });
    // every AD out of capacity: the pass fails clearly, nothing loops
    s.oci.setFault({ kind: 'capacity' });
    // Two 4-core sessions (one 8-core session would fit no 4-core agent and launch nothing).
    for (let i = 0; i < 2; i++)
      s.kasm.addSession({ cores: 4, memory: MB, operational_status: 'requested', zone_name: 'default' });
    s.tick(30);
    const r2 = await s.pass();
    expect(r2.code).toBe(1);
    expect(actions(r2.doc)[0]).toMatchObject({ status: 'failed', error: { class: 'capacity' } });
  });

  it('a 429 storm is retried (Retry-After honoured) and the pass still completes', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    s.oci.setFault({ kind: 'throttle', operation: 'LaunchInstance', times: 2, retryAfterSeconds: 1 });
    const r = await s.pass();
    expect(r.code, r.stderr).toBe(0);
    expect(actions(r.doc)[0].status).toBe('done');
    expect(live(s)).toHaveLength(1);
  });

  it('Kasm unreachable: terminates nothing, says why, exits 1', async () => {
    s = await scenario({
      pools: [{ name: 'office', standby_cores: 4, downscale_backoff: 0, scale_down_delay_after_launch: 0 }],
    });
    await s.pass();
    s.tick(90);
    await s.pass();
    s.tick(3600);
    s.kasm.setFault({ kind: 'drop' });
    const r = await s.pass();
    expect(r.code).toBe(1);
    expect(r.doc.kasm).toMatchObject({ usable: false });
    expect(r.stderr).toMatch(/Kasm could not be read .*terminating nothing this pass/);
    expect(actions(r.doc)).toEqual([]);
    expect(live(s)).toHaveLength(1);
  });

  it('an instance that never registers is terminated after provision_timeout; repeated failures stop launching', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4, provision_timeout: 600 }] });
    const r1 = await s.pass();
    const first = actions(r1.doc)[0].server_id;
    s.broken.add(first);
    s.tick(599);
    expect(actions((await s.pass()).doc)).toEqual([]);
    s.tick(2);
    const r2 = await s.pass();
    expect(actions(r2.doc).map((a) => `${a.kind}:${a.cause}`)).toEqual([
      'terminate:never_registered',
      'launch:standby',
    ]);
    s.broken.add(actions(r2.doc)[1].server_id);
    s.tick(601);
    const r3 = await s.pass();
    expect(actions(r3.doc).map((a) => `${a.kind}:${a.cause}`)).toEqual(['terminate:never_registered']);
    expect(r3.stderr).toMatch(
      /stopped launching: 2 of the last 2 launches never registered as agents; check the startup script/,
    );
  });

  it('two passes started at the same moment: one holds the lock (exit 4), max_instances is never overshot', async () => {
    s = await scenario({
      pools: [{ name: 'office', standby_cores: 40, max_launch_per_pass: 10 }],
      maxInstances: 3,
    });
    const [a, b] = await Promise.all([s.pass(), s.pass()]);
    expect([a.code, b.code].sort()).toEqual([0, 4]);
    const locked = a.code === 4 ? a : b;
    expect(locked.stderr).toMatch(/another reconcile pass holds the lock/);
    expect(live(s)).toHaveLength(3);
    // two runners with separate state dirs (two machines): same minute → same idempotency keys → still 3
    const [c, d] = await Promise.all([
      s.pass(['--state-dir', join(s.dir, 'm1')]),
      s.pass(['--state-dir', join(s.dir, 'm2')]),
    ]);
    expect([c.code, d.code]).toEqual([0, 0]);
    expect(live(s)).toHaveLength(3);
  });

  it('a lost state file makes nothing unsafe: no overshoot, busy agents kept, scale-down delay from the cloud', async () => {
    s = await scenario({
      pools: [{ name: 'office', standby_cores: 8, downscale_backoff: 0, scale_down_delay_after_launch: 600 }],
    });
    await s.pass();
    s.tick(90);
    await s.pass();
    await rm(s.stateDir, { recursive: true });
    s.tick(30);
    const r = await s.pass();
    expect(r.code, r.stderr).toBe(0);
    expect(actions(r.doc)).toEqual([]);
    await writeFile(join(s.stateDir, 'state.json'), '{"version": 1, "pools": ');
    s.tick(3600);
    const c = await s.pass();
    expect(c.stderr).toMatch(/state file .* is corrupt .*; this pass removes no idle agents/);
  });

  it('dry run: --detailed-exitcode gives 2 when there are changes, 0 when none; changes nothing', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    const r = await s.pass(['--dry-run', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Plan: 1 to launch, 0 to terminate.');
    expect(actions(r.doc)[0].status).toBe('planned');
    expect(live(s)).toHaveLength(0);
    const metrics = join(s.dir, 'm.prom');
    await s.pass(['--metrics-file', metrics]);
    const text = await readFile(metrics, 'utf8');
    expect(text).toContain('kasm_scale_actions{pool="office",kind="launch",result="done"} 1');
    expect(text).toMatch(/kasm_scale_last_success_timestamp_seconds \d+/);
    s.tick(90);
    expect((await s.pass(['--dry-run', '--detailed-exitcode'])).code).toBe(0);
  });
});
