/**
 * An agent's whole life against the emulators, on the BUILT CLI: scale-down drains the
 * agent in Kasm before its instance goes, an agent whose instance vanished is
 * deregistered, and an instance whose pool left the config file is an orphan that is
 * counted, listed and reaped after orphan_grace. Needs `npm run build` first.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { MB, scenario, until, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));
const ours = (sc: Scenario) => sc.kasm.state().agents;
const idleNow = { minimum_instances: 0, downscale_backoff: 0, scale_down_delay_after_launch: 0 };

describe('agent lifecycle (built CLI × emulators)', () => {
  it('scale-down drains the agent first: a session that lands meanwhile is kept (agent re-enabled); an empty agent is deleted from Kasm, then terminated', async () => {
    s = await scenario({ pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0 }] });
    expect((await s.pass()).code).toBe(0);
    s.tick(90);
    await s.editConfig((doc) => Object.assign(doc.autoscale[0], idleNow));
    // Kasm is slow to answer update_server; a user's session is placed on the agent meanwhile.
    s.kasm.setFault({ route: 'update_server', kind: 'latency', ms: 1500, times: 1 });
    const { done } = s.spawnPass();
    await until(() => (s!.kasm.calls().update_server ?? 0) > 0, 'the drain to start', 20_000);
    const agentId = ours(s)[0].server_id;
    const session = s.kasm.addSession({ server_id: agentId, cores: 1, memory: 512 * MB });
    const raced = await done;
    expect(raced.code, raced.stderr).toBe(0);
    const [kept] = JSON.parse(raced.stdout).pools[0].actions;
    expect(kept).toMatchObject({
      kind: 'terminate',
      cause: 'idle',
      drain: true,
      status: 'kept',
      steps: ['recorded', 'disabled', 'rechecked', 're-enabled'],
    });
    expect(kept.note).toMatch(/1 session\(s\) appeared on it .*; agent re-enabled/);
    expect(live(s)).toHaveLength(1);
    expect(ours(s)[0]).toMatchObject({ enabled: true, operational_status: 'running' });
    expect(s.kasm.state().sessions.map((k) => k.kasm_id)).toEqual([session.kasm_id]);
    expect(live(s)[0].freeformTags['kasm-scale-drain']).toBeUndefined();

    // The user leaves: the next pass drains it to the end, without force.
    s.kasm.removeSession(session.kasm_id);
    s.tick(60);
    const r = await s.pass();
    expect(r.doc.pools[0].actions[0]).toMatchObject({
      kind: 'terminate',
      status: 'done',
      steps: ['recorded', 'disabled', 'rechecked', 'deleted', 'terminated'],
    });
    expect(ours(s)[0]).toMatchObject({ enabled: false, operational_status: 'delete_pending' });
    // Terminated, the agent stops checking in and Kasm drops the delete_pending record.
    s.tick(200);
    expect(ours(s)).toEqual([]);
    expect(live(s)).toHaveLength(0);
  });

  it('an agent whose instance vanished outside kasm-scale is deleted from Kasm after provision_timeout', async () => {
    s = await scenario({
      pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0, provision_timeout: 600 }],
    });
    await s.pass();
    s.tick(90);
    const gone = ours(s)[0].server_id;
    // Preempted / terminated by hand: not through kasm-scale.
    const { loadConfig } = await import('../../../src/config/load.js');
    const { createAdapter } = await import('../../../src/clouds/index.js');
    const adapter = await createAdapter((await loadConfig(s.config)).providers[0]);
    const [inst] = await adapter.listOwned();
    await adapter.terminate(inst);
    await adapter.close?.();
    s.tick(60);
    const r1 = await s.pass(); // replaces it; the silent agent is not deregistered yet
    expect(r1.doc.pools[0].actions.map((a: any) => a.kind)).toEqual(['launch']);
    expect(ours(s).map((a) => a.server_id)).toContain(gone); // Kasm keeps the record
    s.tick(601);
    const r2 = await s.pass();
    const dereg = r2.doc.pools[0].actions.find((a: any) => a.kind === 'deregister');
    expect(dereg).toMatchObject({ server_id: gone, status: 'done', cause: 'instance_gone' });
    expect(dereg.reason).toMatch(
      /^deregister: its instance is gone and the agent \(missing\) has not reported for 1[01] min \(≥ provision_timeout 600 s\)$/,
    );
    expect(ours(s).map((a) => a.server_id)).not.toContain(gone);
    expect(ours(s)).toHaveLength(1); // the replacement
  });

  it('an instance whose pool left the file is an orphan: listed, counted against max_instances, reaped after orphan_grace (not with --keep-orphans)', async () => {
    s = await scenario({
      pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0 }],
      maxInstances: 1,
    });
    await s.pass();
    s.tick(90);
    await s.editConfig((doc) => {
      doc.autoscale[0].autoscale_config_name = 'office-renamed';
    });
    const r1 = await s.pass();
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.doc.orphans.instances).toHaveLength(1);
    expect(r1.doc.orphans.instances[0]).toMatchObject({ agent_status: 'running', sessions: 0 });
    expect(r1.doc.pools[0].actions).toEqual([]);
    expect(r1.doc.pools[0].notes).toContain('launching 0 of 1: provider oci-main has 1 of max_instances 1');
    expect(r1.stderr).toMatch(/orphans .*\n {2}kasm-office-/);
    const env = { KASM_SCALE_NOW: new Date(s.now()).toISOString() };
    const [status, doctor] = await Promise.all([
      runCli(['status', s.config, '--json'], { env }),
      runCli(['doctor', s.config, '--json'], { env }),
    ]);
    expect(JSON.parse(status.stdout).orphans.map((o: any) => o.agent_status)).toEqual(['running']);
    const checks = JSON.parse(doctor.stdout).groups.flatMap((g: any) =>
      g.checks.map((c: any) => ({ ...c, group: g.name })),
    );
    expect(checks.find((c: any) => c.id === 'drain-permissions')).toMatchObject({
      group: 'kasm',
      status: 'ok',
    });
    expect(checks.find((c: any) => c.id === 'orphans')).toMatchObject({
      group: 'oci-main',
      status: 'warn',
      detail: expect.stringMatching(/^1 orphan instance\(s\): kasm-office-\w+ \(pool office-[0-9a-f]{8}\)$/),
    });

    s.tick(3601);
    const kept = await s.pass(['--keep-orphans']);
    expect(kept.doc.orphans.actions).toEqual([]);
    expect(kept.doc.orphans.notes).toEqual([
      '1 orphan instance(s) kept: orphan reaping is off (--keep-orphans)',
    ]);
    const metrics = join(s.dir, 'm.prom');
    const r2 = await s.pass(['--metrics-file', metrics]);
    expect(await readFile(metrics, 'utf8')).toMatch(
      /kasm_scale_orphans 1\n[^]*kasm_scale_actions\{pool="\(orphan\) office-[0-9a-f]{8}",kind="terminate",result="done"\} 1/,
    );
    expect(r2.doc.orphans.actions).toHaveLength(1);
    expect(r2.doc.orphans.actions[0]).toMatchObject({
      kind: 'terminate',
      cause: 'orphan',
      status: 'done',
      steps: ['recorded', 'disabled', 'rechecked', 'deleted', 'terminated'],
    });
    expect(r2.doc.orphans.actions[0].reason).toMatch(
      /^terminate orphan: pool office-[0-9a-f]{8} is not in the config file \(orphan for 60 min ≥ orphan_grace 3600 s\), no sessions$/,
    );
    s.tick(60);
    const r3 = await s.pass(); // room under max_instances again
    expect(r3.doc.pools[0].actions.map((a: any) => `${a.kind}:${a.cause}`)).toEqual(['launch:minimum']);
  });
});
