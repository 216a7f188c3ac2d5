/**
 * Trace faults reach each cloud's emulator through the emulator registry (SimulatedCloud's
 * outage, clearFaults, instances and preempt), not through a table in simulate: here the
 * GCP emulator's own stockout and Spot VM preemption (test/simulate/cost.test.ts drives
 * OCI's). Real passes, a short window, so the run stays cheap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emulatedGcpProvider, GCP_PROJECT, gcpDemoServiceAccount } from '../../src/simulate/builtin.js';
import { simulate } from '../../src/simulate/engine.js';
import type { DemandStep } from '../../src/simulate/trace.js';
import { startWorld, type World } from '../../src/simulate/world.js';

const DAY = Date.UTC(2025, 0, 6);
const min = (m: number) => m * 60;
let world: World | undefined;
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const steady: DemandStep[] = [
  { at: 0, groups: [] },
  { at: min(2), groups: [{ sessions: 4, cores: 2, memoryMb: 2048, gpus: 0 }] },
];

describe('faults of a GCP spot provider in the simulation', () => {
  it('a stockout fails its launches while it lasts; a preemption wave takes its Spot VMs by name, zone and project', async () => {
    world = await startWorld({
      start: DAY,
      document: {
        providers: [emulatedGcpProvider(gcpDemoServiceAccount(GCP_PROJECT), { spot: true })],
        autoscale: [
          {
            autoscale_config_name: 'labs',
            vm_provider_config_name: 'gcp-main',
            zone_name: 'labs',
            standby_cores: 4,
            downscale_backoff: 600,
          },
        ],
      },
    });
    const r = await simulate({
      world,
      steps: steady,
      faults: [
        { kind: 'preemption', provider: 'gcp-main', from: min(20), to: min(30), ratePerHour: 60 },
        { kind: 'outage', provider: 'gcp-main', from: min(20), to: min(40) },
      ],
      fromSec: 0,
      toSec: min(60),
      stepSec: min(5),
    });
    expect(r.passes.flatMap((p) => p.events).join()).toContain('gcp-main: no capacity until 00:40');
    expect(r.totals.failures).toBeGreaterThan(0);
    expect(r.totals.preemptions).toBeGreaterThanOrEqual(1);
    expect(r.totals.sessionsLostToPreemption).toBe(4);
    expect(r.totals.stillWaiting).toBe(0);
    const owned = world.owned();
    expect(owned.every((i) => i.provider === 'gcp-main' && i.zone === 'us-central1-a')).toBe(true);
  });
});
