/**
 * A schedule window on the BUILT CLI against the emulators, the clock stepped with
 * KASM_SCALE_NOW: launches begin lead time before the window (measured from the pool's
 * own first launch→register), status shows the pre-warm and the next change, and after the
 * window the extra agents go by the idle rules, once. Needs `npm run build` first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** The world starts Monday 6 Jan 2025 07:00 UTC (08:00 Berlin); the window is 09:00–11:00 Berlin. */
const at = (hhmmss: string) => Date.parse(`2025-01-06T${hhmmss}Z`);
const launches = (doc: any) => doc.pools[0].actions.filter((a: any) => a.kind === 'launch');
const terminations = (doc: any) => doc.pools[0].actions.filter((a: any) => a.kind === 'terminate');

describe('schedule windows (built CLI × emulators)', () => {
  it('pre-warms before a window by the measured lead time, shows it in status, and scales down once after the window', async () => {
    s = await scenario({
      pools: [
        {
          name: 'office',
          standby_cores: 4,
          downscale_backoff: 300,
          scale_down_delay_after_launch: 0,
          schedules: [
            {
              days: ['mon', 'tue', 'wed', 'thu', 'fri'],
              start: '09:00',
              end: '11:00',
              time_zone: 'Europe/Berlin',
              standby_cores: 12,
            },
          ],
        },
      ],
    });
    const step = (to: string) => s!.tick((at(to) - s!.now()) / 1000);

    // Outside the window: the pool's own 4 cores (one agent); registered by the next pass 90 s later.
    expect(launches((await s.pass()).doc)).toHaveLength(1);
    step('07:01:30');
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);

    // 3 min before 09:00 Berlin: the measured lead (90 s → 2 min) has not begun.
    step('07:57:00');
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
    step('07:58:30');
    const warm = (await s.pass()).doc;
    expect(launches(warm)).toHaveLength(2);
    expect(launches(warm)[0].reason).toBe(
      'launch: free cores 4 < standby 12 (1 of 2); pre-warming for weekday 09:00 Europe/Berlin window in 2m (lead time 2m: p90 of the last 1 launch→register times)',
    );

    expect(warm.pools[0].schedule).toMatchObject({ active: null, prewarm: { lead_sec: 120 } });

    const env = { KASM_SCALE_NOW: new Date(s.now()).toISOString() };
    const st = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], { env });
    expect(st.code, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout).pools[0].schedule).toMatchObject({
      active: null,
      next_change: {
        at: '2025-01-06T08:00:00.000Z',
        change: 'starts',
        window: 'weekday 09:00–11:00 Europe/Berlin',
      },
      prewarm: { starts_at: '2025-01-06T08:00:00.000Z', lead_sec: 120 },
      values: { standby_cores: 4 },
    });

    // In the window: registered, nothing to do; status says until when.
    step('08:00:00');
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
    const human = await runCli(['status', s.config, '--state-dir', s.stateDir], {
      env: { KASM_SCALE_NOW: new Date(s.now()).toISOString(), NO_COLOR: '1' },
    });
    expect(human.stdout).toContain(
      'schedule: window weekday 09:00–11:00 Europe/Berlin until 2025-01-06T10:00:00.000Z (in 2 h 0 min): standby 12 cores',
    );

    // After 11:00 Berlin: back to 4 cores; the two extra idle agents go (drained), once.
    step('10:00:30');
    const after = (await s.pass()).doc;
    expect(terminations(after).map((t: any) => t.cause)).toEqual(['idle', 'idle']);
    expect(launches(after)).toEqual([]);
    step('10:05:00');
    expect((await s.pass()).doc.pools[0].actions).toEqual([]);
  });
});
