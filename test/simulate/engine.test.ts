/**
 * The simulation engine in-process: real reconcile passes against the world's emulators on
 * the simulated clock (nothing sleeps). OCI-only worlds keep these quick.
 */
import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emulatedOciProvider, OCI_IDS, ociDemoKey } from '../../src/simulate/builtin.js';
import { simulate, type SimEvent } from '../../src/simulate/engine.js';
import type { DemandStep } from '../../src/simulate/trace.js';
import { startWorld, type World } from '../../src/simulate/world.js';

const DAY = Date.UTC(2025, 0, 6);
const min = (m: number) => m * 60;
let world: World | undefined;
// The OCI SDK console.warn()s on every failed launch; the CLI silences that (src/cli/quiet.ts).
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function officeWorld(pool: Record<string, unknown> = {}) {
  world = await startWorld({
    start: DAY,
    document: {
      providers: [emulatedOciProvider(ociDemoKey())],
      autoscale: [
        {
          autoscale_config_name: 'office',
          vm_provider_config_name: 'oci-main',
          zone_name: 'office',
          standby_cores: 4,
          downscale_backoff: 600,
          scale_down_delay_after_launch: 600,
          ...pool,
        },
      ],
    },
  });
  return world;
}

/** Six 2-core sessions arrive at 00:12 (between passes), leave at 00:47. */
const rushAndDrain: DemandStep[] = [
  { at: 0, groups: [] },
  { at: min(12), groups: [{ sessions: 6, cores: 2, memoryMb: 2048, gpus: 0 }] },
  { at: min(47), groups: [] },
];

describe('simulation engine', () => {
  it('launches when demand rises, measures the wait, terminates only after the backoff, counts instance-hours', async () => {
    const w = await officeWorld();
    expect((await stat(w.configFile!)).mode & 0o777).toBe(0o600);
    const r = await simulate({ world: w, steps: rushAndDrain, fromSec: 0, toSec: min(120), stepSec: min(5) });

    expect(r.samples).toHaveLength(24);
    const launchTimes = r.passes
      .filter((p) => p.actions.some((a) => a.kind === 'launch' && a.status === 'done'))
      .map((p) => p.t);
    expect(launchTimes[0]).toBe(0); // cold start to standby
    expect(launchTimes).toContain(min(15)); // the first pass after the rush
    expect(r.totals.launches).toBeGreaterThanOrEqual(4);
    // Arrived 00:12, the pass at 00:15 launched, the agents booted a minute later.
    expect(r.totals.longestWaitSec).toBeGreaterThanOrEqual(min(3));
    expect(r.totals.longestWaitSec).toBeLessThanOrEqual(min(6));
    expect(r.totals.sessionsServed).toBe(6);
    expect(r.totals.stillWaiting).toBe(0);

    const firstTerminate = r.passes.find((p) => p.actions.some((a) => a.kind === 'terminate'));
    expect(firstTerminate, 'idle agents are removed once the backoff has passed').toBeDefined();
    expect(firstTerminate!.t).toBeGreaterThanOrEqual(min(47) + 600);
    expect(r.totals.terminations).toBeGreaterThan(0);
    expect(r.totals.failures).toBe(0);
    // Standby kept at the end: one 4-core agent.
    expect(r.samples.at(-1)!.freeCores).toBeGreaterThanOrEqual(4);
    expect(r.totals.instanceHours).toBeGreaterThan(0);
    expect(r.totals.instanceHours).toBeLessThan(2 * 10);

    // The bridge registered agents as Kasm's installer would.
    const agent = w.kasm.state().agents[0];
    expect(agent).toMatchObject({
      zone_name: 'office',
      cores: 4,
      memory: 16384 * 1024 * 1024,
      provider: 'oci',
      is_autoscaled: true,
      autoscale_config: { autoscale_config_name: 'office' },
    });
    expect(agent.instance_id).toMatch(/^ocid1\.instance\./);
  });

  it('an out-of-capacity burst in AD-1 moves launches to AD-2; afterwards AD-1 is used again', async () => {
    const w = await officeWorld({ standby_cores: 8 });
    const burst: SimEvent[] = [
      {
        at: 0,
        label: 'AD-1 out of capacity',
        apply: (x) => x.oci!.setFault({ kind: 'capacity', availabilityDomain: OCI_IDS.ad1 }),
      },
      { at: min(30), label: 'AD-1 back', apply: (x) => x.oci!.clearFaults() },
    ];
    const steps: DemandStep[] = [
      { at: 0, groups: [] },
      { at: min(52), groups: [{ sessions: 6, cores: 2, memoryMb: 2048, gpus: 0 }] },
    ];
    const r = await simulate({
      world: w,
      steps,
      events: burst,
      fromSec: 0,
      toSec: min(70),
      stepSec: min(10),
    });
    const launches = r.passes.flatMap((p) =>
      p.actions.filter((a) => a.kind === 'launch').map((a) => ({ ...a, t: p.t })),
    );
    const during = launches.filter((a) => a.t < min(30));
    const after = launches.filter((a) => a.t >= min(30));
    expect(during.length).toBeGreaterThan(0);
    for (const a of during) {
      expect(a.status).toBe('done');
      expect(a.zone).toBe(OCI_IDS.ad2);
    }
    expect(during[0].zonesTried).toEqual([OCI_IDS.ad1]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((a) => a.zone === OCI_IDS.ad1)).toBe(true);
    expect(r.totals.launchesMoved).toBe(during.length);
    expect(r.totals.launchesByZone[OCI_IDS.ad2]).toBe(during.length);
    expect(r.passes[0].events).toEqual(['AD-1 out of capacity']);
  });

  it('GPU sessions with no GPU pool are left out with a note, not counted as an endless wait', async () => {
    const w = await officeWorld();
    const steps: DemandStep[] = [
      {
        at: 0,
        groups: [
          { sessions: 1, cores: 2, memoryMb: 2048, gpus: 0 },
          { sessions: 2, cores: 4, memoryMb: 16384, gpus: 1 },
        ],
      },
    ];
    const r = await simulate({ world: w, steps, fromSec: 0, toSec: min(10), stepSec: min(5) });
    expect(r.notes).toEqual([
      'the trace asks for sessions with 1 GPU(s) but no pool has GPU agents: those sessions are left out',
    ]);
    expect(r.totals.sessions).toBe(1);
    expect(w.kasm.state().sessions).toHaveLength(1);
  });

  it('sessions bigger than an agent (16 GB on 15 GB agents): one warning with the count, and no launch/terminate loop', async () => {
    // VM.Standard2.1: 2 vCPUs, 15 GB (from ListShapes; the agents register with it).
    const w = (world = await startWorld({
      start: DAY,
      document: {
        providers: [
          emulatedOciProvider(ociDemoKey(), {
            oci_shape: 'VM.Standard2.1',
            oci_flex_cpus: undefined,
            oci_flex_memory_gb: undefined,
          }),
        ],
        autoscale: [
          {
            autoscale_config_name: 'office',
            vm_provider_config_name: 'oci-main',
            zone_name: 'office',
            standby_cores: 2,
            downscale_backoff: 0,
            scale_down_delay_after_launch: 0,
          },
        ],
      },
    }));
    const steps: DemandStep[] = [{ at: 0, groups: [{ sessions: 3, cores: 1, memoryMb: 16384, gpus: 0 }] }];
    const r = await simulate({ world: w, steps, fromSec: 0, toSec: min(30), stepSec: min(5) });
    expect(r.oversized).toEqual([
      'pool office: up to 3 waiting session(s) larger than one of its agents (memory MB 16384 > 15360) in 6 pass(es); they were never placed and drove no launches',
    ]);
    expect(r.totals.launches).toBe(1); // standby only
    expect(r.totals.terminations).toBe(0);
  });
});
