/**
 * plan() with schedule windows: the window in force sets standby and minimum, a window
 * about to start pre-warms (and says so), scale-down after a window follows the idle rules,
 * and the lead time comes from the pool's recorded launch→register times.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../src/config/schema/schedule.js';
import { emptyPoolMemory, emptyState, nextPoolMemory } from '../../src/scaling/memory.js';
import { plan } from '../../src/scaling/plan.js';
import { TAG_IDLE_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import type { PoolPlan } from '../../src/scaling/types.js';
import { agent, hex32, input, instance, pool, provider, world } from './world.js';

const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const WEEKDAY: ScheduleWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
  time_zone: 'Europe/Berlin',
  standby_cores: 20,
};
/** Monday 6 Jan 2025; 08:00 Berlin is 07:00 UTC, 18:00 is 17:00 UTC. */
const mon = (hhmm: string) => new Date(`2025-01-06T${hhmm}:00Z`);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
const only = (p: ReturnType<typeof plan>): PoolPlan => p.pools[0];
const kinds = (pp: PoolPlan) => pp.actions.map((a) => `${a.kind}:${a.cause}`);

/** The worked example: 4 standby cores, 20 on weekdays 08:00–18:00 Berlin; `idle` agents of ours, idle since `since`. */
function office(idle: number, since: Date, over: Parameters<typeof pool>[1] = {}) {
  const w = world({
    pools: [pool('p', { standby_cores: 4, schedules: [WEEKDAY], ...over })],
    providers: { 'oci-main': provider() },
  });
  for (let i = 0; i < idle; i++) {
    const inst = instance('p', {
      serverId: hex32(500 + i),
      createdAt: new Date(since.getTime() - 3600_000),
      tags: { [TAG_IDLE_SINCE]: unix(since), [TAG_REGISTERED]: unix(since) },
    });
    w.providers['oci-main'].instances.push(inst);
    w.servers.push(agent(inst.serverId, SIZE));
  }
  return w;
}

describe('plan() with schedule windows', () => {
  it("inside a window, the window's standby applies and the reason names the window", () => {
    const pp = only(plan(input(office(1, mon('05:00'))), mon('09:00')));
    expect(kinds(pp)).toEqual(Array(4).fill('launch:standby'));
    expect(pp.actions[0].reason).toBe(
      'launch: free cores 4 < standby 20 (1 of 4); weekday 08:00–18:00 Europe/Berlin window',
    );
    expect(pp.figures?.standby.cores).toBe(20);
    expect(pp.schedule?.active?.window).toBe('weekday 08:00–18:00 Europe/Berlin');
    expect(pp.schedule?.next).toMatchObject({ at: '2025-01-06T17:00:00.000Z', change: 'ends' });
  });

  it('outside every window the pool’s own standby applies: nothing to launch', () => {
    const pp = only(plan(input(office(1, mon('05:00'))), mon('06:40')));
    expect(pp.actions).toEqual([]);
    expect(pp.schedule?.active).toBeUndefined();
    expect(pp.schedule?.next).toMatchObject({ at: '2025-01-06T07:00:00.000Z', change: 'starts' });
  });

  it('pre-warms lead time (10 min without history) before the window, and says so', () => {
    const w = office(1, mon('05:00'));
    expect(only(plan(input(w), mon('06:49'))).actions).toEqual([]);
    const pp = only(plan(input(w), mon('06:51')));
    expect(kinds(pp)).toEqual(Array(4).fill('launch:standby'));
    expect(pp.actions[0].reason).toBe(
      'launch: free cores 4 < standby 20 (1 of 4); pre-warming for weekday 08:00 Europe/Berlin window in 9m (lead time 10m: default, no launch history)',
    );
    expect(pp.schedule?.prewarm?.startsAt).toBe('2025-01-06T07:00:00.000Z');
  });

  it("measures the lead time from the pool's recorded launch→register times", () => {
    const w = office(1, mon('05:00'));
    w.memory = emptyState();
    w.memory.pools.p = { ...emptyPoolMemory(), registerSeconds: [150, 170, 160, 120] };
    expect(only(plan(input(w), mon('06:56'))).actions).toEqual([]);
    const pp = only(plan(input(w), mon('06:57')));
    expect(pp.actions).toHaveLength(4);
    expect(pp.actions[0].reason).toContain('in 3m (lead time 3m: p90 of the last 4 launch→register times)');
  });

  it('a window minimum_instances applies inside the window', () => {
    const w = office(0, mon('05:00'), {
      standby_cores: 0,
      schedules: [{ ...WEEKDAY, standby_cores: 0, minimum_instances: 2 }],
    });
    const pp = only(plan(input(w), mon('10:00')));
    expect(kinds(pp)).toEqual(['launch:minimum', 'launch:minimum']);
    expect(pp.actions[0].reason).toBe(
      'launch: 0 instance(s) < minimum_instances 2 (1 of 2); weekday 08:00–18:00 Europe/Berlin window',
    );
  });

  it('keeps agents it will need: no scale-down within provision_timeout before a window that raises standby', () => {
    // 06:46: outside the lead (10 min) but within provision_timeout (15 min) of 08:00 Berlin.
    const w = office(5, mon('03:00'));
    const pp = only(plan(input(w), mon('06:46')));
    expect(pp.actions).toEqual([]);
    // An hour earlier the same agents are surplus to the pool's own standby of 4.
    expect(kinds(only(plan(input(w), mon('05:46'))))).toEqual(Array(4).fill('terminate:idle'));
  });

  it('after the window ends, scale-down follows the idle rules: idle agents go once idle for downscale_backoff', () => {
    // Idle since 16:55 UTC (5 min before the end); downscale_backoff 900 s.
    const w = office(5, mon('16:55'), { downscale_backoff: 900 });
    expect(only(plan(input(w), mon('17:05'))).actions).toEqual([]);
    const pp = only(plan(input(w), mon('17:10')));
    expect(kinds(pp)).toEqual(Array(4).fill('terminate:idle'));
    expect(pp.actions[0].reason).toContain('≥ 4');
  });

  it('records launch→register times in pool memory when a launch is seen registered', () => {
    const launched = nextPoolMemory(undefined, { now: mon('06:50'), outcomes: [], launched: ['a', 'b'] });
    const seen = nextPoolMemory(launched, {
      now: mon('06:54'),
      outcomes: [
        { serverId: 'a', outcome: 'registered' },
        { serverId: 'b', outcome: 'never_registered' },
      ],
      launched: [],
    });
    expect(seen.registerSeconds).toEqual([240]);
    // Seen once only: a later pass does not record it again.
    const again = nextPoolMemory(seen, {
      now: mon('06:58'),
      outcomes: [{ serverId: 'a', outcome: 'registered' }],
      launched: [],
    });
    expect(again.registerSeconds).toEqual([240]);
  });
});

describe('plan() at the end of a window that lowers the values', () => {
  // Saturday 11 Jan 2025, 00:00–04:00 Berlin (Fri 23:00 – Sat 03:00 UTC): no standby; 4 cores otherwise.
  const NIGHT: ScheduleWindow = {
    days: ['sat'],
    start: '00:00',
    end: '04:00',
    time_zone: 'Europe/Berlin',
    standby_cores: 0,
  };
  const sat = (hhmm: string) => new Date(`2025-01-11T${hhmm}:00Z`);

  it('keeps an idle agent it needs again when the window ends, and pre-warms the return to the pool’s own values', () => {
    const w = office(1, sat('00:00'), { schedules: [NIGHT], downscale_backoff: 600 });
    expect(kinds(only(plan(input(w), sat('01:00'))))).toEqual(['terminate:idle']);
    expect(only(plan(input(w), sat('02:50'))).actions).toEqual([]);
    const empty = office(0, sat('00:00'), { schedules: [NIGHT] });
    expect(only(plan(input(empty), sat('02:45'))).actions).toEqual([]);
    const pp = only(plan(input(empty), sat('02:52')));
    expect(pp.actions.map((a) => a.reason)).toEqual([
      "launch: free cores 0 < standby 4; pre-warming for the pool's own values after sat 00:00–04:00 Europe/Berlin in 8m (lead time 10m: default, no launch history)",
    ]);
  });
});
