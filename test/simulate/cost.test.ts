/**
 * Cost and trace faults in the simulation engine: real passes against the in-process OCI
 * emulator, short windows so each run stays cheap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emulatedOciProvider } from '../../src/simulate/builtin.js';
import { ociDemoKey } from '../../src/simulate/builtin.js';
import { simulate } from '../../src/simulate/engine.js';
import { compareTable, totalsLines } from '../../src/simulate/report.js';
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

async function pricedWorld(price?: Record<string, unknown>, over: Record<string, unknown> = {}) {
  world = await startWorld({
    start: DAY,
    document: {
      providers: [emulatedOciProvider(ociDemoKey(), { ...(price ? { price } : {}), ...over })],
      autoscale: [
        {
          autoscale_config_name: 'office',
          vm_provider_config_name: 'oci-main',
          zone_name: 'office',
          standby_cores: 4,
          downscale_backoff: 600,
        },
      ],
    },
  });
  return world;
}

/** Four 2-core sessions from 00:02 to the end of the run (4-core agents: at least 2 + standby). */
const steady: DemandStep[] = [
  { at: 0, groups: [] },
  { at: min(2), groups: [{ sessions: 4, cores: 2, memoryMb: 2048, gpus: 0 }] },
];

describe('cost in the simulation', () => {
  it('prices each instance-hour of a priced provider; the report shows it next to instance-hours', async () => {
    const w = await pricedWorld({ instance_hour: 0.5, currency: 'EUR' });
    const r = await simulate({ world: w, steps: steady, fromSec: 0, toSec: min(60), stepSec: min(5) });
    expect(r.totals.instanceHours).toBeGreaterThan(1);
    expect(r.totals.instanceHoursByProvider['oci-main']).toBeCloseTo(r.totals.instanceHours, 1);
    expect(r.totals.cost.EUR).toBeCloseTo(r.totals.instanceHoursByProvider['oci-main'] * 0.5, 1);
    expect(r.totals.unpricedInstanceHours).toBe(0);
    expect(totalsLines(r.totals).join('\n')).toMatch(/^Cost: +\d+\.\d\d EUR$/m);
  });

  it('without a price there is no cost at all (no 0.00), and --compare has no cost row', async () => {
    const w = await pricedWorld();
    const r = await simulate({ world: w, steps: steady, fromSec: 0, toSec: min(20), stepSec: min(5) });
    expect(r.totals.cost).toEqual({});
    expect(totalsLines(r.totals).join('\n')).not.toMatch(/cost/i);
    expect(
      compareTable([
        { name: 'a', result: r },
        { name: 'b', result: r },
      ]),
    ).not.toMatch(/cost/);
  });

  it('a capacity outage of the provider fails its launches while it lasts; sessions wait', async () => {
    const w = await pricedWorld();
    const r = await simulate({
      world: w,
      steps: steady,
      faults: [{ kind: 'outage', provider: 'oci-main', from: 0, to: min(20) }],
      fromSec: 0,
      toSec: min(40),
      stepSec: min(5),
    });
    const launchTimes = r.passes.flatMap((p) =>
      p.actions.filter((a) => a.kind === 'launch' && a.status === 'done').map(() => p.t),
    );
    expect(r.totals.failures).toBeGreaterThan(0);
    expect(Math.min(...launchTimes)).toBeGreaterThanOrEqual(min(20));
    expect(r.totals.longestWaitSec).toBeGreaterThanOrEqual(min(18));
    expect(r.passes[0].events.join()).toContain('oci-main: no capacity until 00:20');
  });
});

/** Preemption of spot providers (the `spot` key) by the emulators' preemption. */
describe('preemption in the simulation', () => {
  it('a preemption wave takes the spot agents; their sessions are lost and their users wait for replacements', async () => {
    const w = await pricedWorld({ instance_hour: 0.035, currency: 'EUR' }, { spot: true });
    const r = await simulate({
      world: w,
      steps: steady,
      faults: [
        { kind: 'preemption', provider: 'oci-main', from: min(20), to: min(30), ratePerHour: 60 },
        { kind: 'outage', provider: 'oci-main', from: min(20), to: min(40) },
      ],
      fromSec: 0,
      toSec: min(60),
      stepSec: min(5),
    });
    expect(r.totals.preemptions).toBeGreaterThanOrEqual(2);
    expect(r.totals.sessionsLostToPreemption).toBe(4);
    // Lost at 00:20, no spot capacity until 00:40: the returning users waited ~20 min.
    expect(r.totals.longestWaitSec).toBeGreaterThanOrEqual(min(18));
    expect(r.totals.stillWaiting).toBe(0);
    expect(totalsLines(r.totals).join('\n')).toMatch(/^Preempted instances: +\d+ \(4 sessions lost/m);
  });
});

describe('--compare with prices', () => {
  const run = (cost: Record<string, number>, hours = 10, unpriced = 0) =>
    ({
      totals: {
        instanceHours: hours,
        cost,
        unpricedInstanceHours: unpriced,
        longestWaitSec: 60,
        sessionsWaited: 1,
        stillWaiting: 0,
        sessionsLostToPreemption: 0,
        preemptions: 0,
        launches: 1,
        terminations: 1,
        failures: 0,
      },
    }) as never;

  it('shows the difference in one currency, and refuses to add or subtract across currencies', () => {
    const same = compareTable([
      { name: 'on-demand', result: run({ EUR: 12 }) },
      { name: 'spot', result: run({ EUR: 4.5 }) },
    ]);
    expect(same).toMatch(/cost vs on-demand\s*│\s*│ −7\.50 EUR \(−63%\)/);
    const mixed = compareTable([
      { name: 'a', result: run({ EUR: 12 }) },
      { name: 'b', result: run({ EUR: 1, USD: 3 }) },
    ]);
    expect(mixed).toContain('1.00 EUR + 3.00 USD');
    expect(mixed).toContain('n/a (other currency)');
    const partly = compareTable([
      { name: 'a', result: run({ EUR: 12 }) },
      { name: 'b', result: run({ EUR: 3 }, 10, 2) },
    ]);
    expect(partly).toContain('3.00 EUR + 2.0 h unpriced');
    expect(partly).toContain('n/a (unpriced hours)');
  });
});
