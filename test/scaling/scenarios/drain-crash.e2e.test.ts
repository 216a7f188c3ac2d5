/**
 * Crash tests of the drain protocol: the BUILT CLI is killed (SIGKILL) right after each
 * step (an emulator holds the NEXT call back so the kill lands between the two; Kasm drops
 * a held call whose caller died, OCI still carries out the held terminate, as a cloud that
 * had the request would), a user asks for a session meanwhile, and the next passes must
 * converge: no session lost, no agent of ours left disabled without a reason, no instance
 * leaked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MB, scenario, until, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const HOLD_MS = 20_000;
const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));
const drainTag = (sc: Scenario) => live(sc)[0]?.freeformTags['kasm-scale-drain'];
const agent = (sc: Scenario) => sc.kasm.state().agents[0];

interface KillPoint {
  step: string;
  /** Holds the call after the step. */
  hold(sc: Scenario): void;
  /** The step is done. */
  reached(sc: Scenario): boolean;
}

const POINTS: KillPoint[] = [
  {
    step: 'drain recorded (disabling)',
    hold: (sc) => sc.kasm.setFault({ route: 'update_server', kind: 'latency', ms: HOLD_MS, times: 1 }),
    reached: (sc) => drainTag(sc) === 'disabling',
  },
  {
    step: 'agent disabled',
    hold: (sc) => sc.kasm.setFault({ route: 'get_kasms', kind: 'latency', ms: HOLD_MS, times: 1, skip: 1 }),
    reached: (sc) => agent(sc)?.enabled === false,
  },
  {
    step: 'delete recorded (deleting)',
    hold: (sc) => sc.kasm.setFault({ route: 'delete_server', kind: 'latency', ms: HOLD_MS, times: 1 }),
    reached: (sc) => drainTag(sc) === 'deleting',
  },
  {
    step: 'agent deleted (delete_pending)',
    hold: (sc) => sc.oci.setFault({ kind: 'latency', operation: 'TerminateInstance', ms: HOLD_MS, times: 1 }),
    reached: (sc) => agent(sc)?.operational_status === 'delete_pending',
  },
];

describe('drain protocol: a pass killed after each step', () => {
  for (const point of POINTS) {
    it(`killed after "${point.step}": the next passes converge, no session lost, nothing left disabled or leaked`, async () => {
      s = await scenario({ pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0 }] });
      await s.pass();
      s.tick(90);
      await s.editConfig((doc) =>
        Object.assign(doc.autoscale[0], {
          minimum_instances: 0,
          downscale_backoff: 0,
          scale_down_delay_after_launch: 0,
        }),
      );
      point.hold(s);
      const { child, done } = s.spawnPass();
      await until(() => point.reached(s!), point.step);
      child.kill('SIGKILL');
      expect((await done).code).toBe(null);
      s.kasm.clearFaults();
      s.oci.clearFaults();

      // A user asks for a session right after the crash; Kasm places it where it can.
      const session = s.kasm.addSession({ zone_name: 'default', cores: 1, memory: 512 * MB });
      s.kasm.assignWaitingSessions();
      const placedOn = s.kasm.state().sessions[0].server_id;
      if (placedOn) expect(agent(s)).toMatchObject({ enabled: true, operational_status: 'running' }); // never on a disabled / deleting agent

      for (let i = 0; i < 4; i++) {
        s.tick(60);
        const r = await s.pass();
        expect([0, 3], r.stderr).toContain(r.code);
        s.kasm.assignWaitingSessions();
        if (r.doc.pools[0].actions.length === 0 && i > 0) break;
      }
      s.tick(200); // terminated instances stop checking in; Kasm forgets delete_pending agents

      const st = s.kasm.state();
      // No session lost: the user's session is still there, on a running enabled agent whose instance lives.
      expect(st.sessions.map((k) => k.kasm_id)).toEqual([session.kasm_id]);
      const host = st.agents.find((a) => a.server_id === st.sessions[0].server_id);
      expect(host, 'the session is placed').toMatchObject({ enabled: true, operational_status: 'running' });
      // Nothing left disabled, nothing leaked: every agent is enabled with a live instance, every live instance has an agent.
      const liveIds = live(s).map((i) => i.freeformTags['kasm-scale-server-id']);
      expect(st.agents.filter((a) => !a.enabled || a.operational_status !== 'running')).toEqual([]);
      expect(st.agents.map((a) => a.server_id).sort()).toEqual([...liveIds].sort());
      for (const i of live(s)) expect(i.freeformTags['kasm-scale-drain']).toBeUndefined();
    });
  }
});
