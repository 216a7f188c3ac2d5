/**
 * A provider chain on the BUILT CLI against the emulators: OCI first, GCP when OCI runs out
 * of capacity (in the same pass), and back to OCI through ordinary drains.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const actions = (doc: any) => doc.pools[0].actions as any[];

describe('provider chain scenario (built CLI × emulators)', () => {
  it('OCI out of capacity: the launch lands on GCP in the same pass; capacity back: GCP is drained first', async () => {
    s = await scenario({
      pools: [
        {
          name: 'office',
          vm_provider_config_names: ['oci-main', 'gcp-main'],
          standby_cores: 4,
          downscale_backoff: 0,
          scale_down_delay_after_launch: 0,
        },
      ],
      // 4 vCPUs on both clouds: one agent is one agent wherever it lands.
      gcp: { machineType: 'n1-standard-4' },
    });
    s.oci.setFault({ kind: 'capacity' });
    const r1 = await s.pass();
    expect(r1.code, r1.stderr).toBe(0);
    const [landed] = actions(r1.doc);
    expect(landed).toMatchObject({ kind: 'launch', status: 'done', provider: 'gcp-main' });
    expect(landed.chain_moved).toMatch(/^oci-main: capacity in .+, backoff until .+; launched on gcp-main$/);
    expect(r1.stderr).toMatch(
      /\[done on gcp-main in .+ \(oci-main: capacity in .+; launched on gcp-main\)\]/,
    );

    // Registered on GCP; OCI is in backoff, and the next pass says so, per pool.
    s.tick(90);
    const r2 = await s.pass();
    expect(actions(r2.doc)).toEqual([]);
    expect(r2.doc.pools[0].providers).toEqual(['oci-main', 'gcp-main']);
    expect(r2.doc.pools[0].observed.chain).toEqual([
      { provider: 'oci-main', instances: 0, provider_instances: 0, max_instances: 10 },
      { provider: 'gcp-main', instances: 1, provider_instances: 1, max_instances: 4 },
    ]);

    // Capacity is back and the backoff over: a second agent is wanted and goes to OCI, preferred.
    s.oci.clearFaults();
    s.tick(301);
    await s.editConfig((doc) => (doc.autoscale[0].standby_cores = 8));
    const r3 = await s.pass();
    expect(actions(r3.doc).map((a) => [a.kind, a.status, a.provider])).toEqual([
      ['launch', 'done', 'oci-main'],
    ]);
    s.tick(90);

    // Demand falls back to one agent: the one on the LAST provider goes (though it idled longer).
    await s.editConfig((doc) => (doc.autoscale[0].standby_cores = 4));
    const r4 = await s.pass();
    const gone = actions(r4.doc).filter((a) => a.kind === 'terminate');
    expect(gone.map((a) => [a.provider, a.status])).toEqual([['gcp-main', 'done']]);
    expect(gone[0].reason).toMatch(/on gcp-main: a chain empties its last providers first/);

    // status shows per instance where it runs.
    const st = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], {
      env: { KASM_SCALE_NOW: new Date(s.now()).toISOString() },
    });
    const pool = JSON.parse(st.stdout).pools[0];
    expect(pool.providers).toEqual(['oci-main', 'gcp-main']);
    expect(pool.instances.map((i: any) => i.provider)).toContain('oci-main');
  });
});
