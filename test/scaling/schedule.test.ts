/**
 * Schedule windows evaluated at an instant: which window is in force, its values, the next
 * change, and the pre-warm. DST days are checked in Europe/Berlin and America/New_York
 * against UTC instants worked out by hand from the zones' published rules (2025: Berlin
 * 30 Mar / 26 Oct at 01:00 UTC; New York 9 Mar at 07:00 UTC / 2 Nov at 06:00 UTC).
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../src/config/schema/schedule.js';
import { instantOf, isTimeZone, wallClock } from '../../src/core/zoned-time.js';
import { leadTimeSec, occurrences, scheduledTargets, shortDuration } from '../../src/scaling/schedule.js';
import { pool } from './world.js';

const at = (iso: string) => new Date(iso);
const win = (over: Partial<ScheduleWindow> = {}): ScheduleWindow => ({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
  time_zone: 'Europe/Berlin',
  ...over,
});
const berlinPool = (windows: ScheduleWindow[] = [win({ standby_cores: 20 })]) =>
  pool('p', { standby_cores: 4, minimum_instances: 0, provision_timeout: 900, schedules: windows });

describe('zoned time (Intl)', () => {
  it('knows IANA zones and rejects misspellings and bare offsets', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berln')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
  });

  it('reads the wall clock on both sides of a DST change', () => {
    expect(wallClock(at('2025-03-30T00:59:00Z').getTime(), 'Europe/Berlin')).toMatchObject({
      day: 30,
      minute: 1 * 60 + 59,
      weekday: 0,
      offsetMs: 3600_000,
    });
    expect(wallClock(at('2025-03-30T01:00:00Z').getTime(), 'Europe/Berlin')).toMatchObject({
      minute: 3 * 60,
      offsetMs: 7200_000,
    });
  });

  it('maps a local time that does not exist (spring forward) to the jump, and a doubled one (fall back) to the first', () => {
    expect(instantOf('Europe/Berlin', 2025, 3, 30, 2 * 60 + 30).toISOString()).toBe(
      '2025-03-30T01:00:00.000Z',
    );
    expect(instantOf('Europe/Berlin', 2025, 10, 26, 2 * 60 + 30).toISOString()).toBe(
      '2025-10-26T00:30:00.000Z',
    );
    expect(instantOf('America/New_York', 2025, 3, 9, 2 * 60 + 30).toISOString()).toBe(
      '2025-03-09T07:00:00.000Z',
    );
    expect(instantOf('America/New_York', 2025, 11, 2, 60 + 30).toISOString()).toBe(
      '2025-11-02T05:30:00.000Z',
    );
    expect(instantOf('America/New_York', 2025, 11, 2, 1440).toISOString()).toBe('2025-11-03T05:00:00.000Z');
  });
});

describe('schedule windows', () => {
  it('follows the local clock across the spring-forward weekend (08:00 is 07:00 UTC on Friday, 06:00 UTC on Monday)', () => {
    const occ = occurrences([win()], at('2025-03-28T12:00:00Z'), 0, 3);
    expect(occ.map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2025-03-28T07:00:00.000Z', '2025-03-28T17:00:00.000Z'],
      ['2025-03-31T06:00:00.000Z', '2025-03-31T16:00:00.000Z'],
    ]);
  });

  it('a night window is 1 h shorter on the spring-forward night and 1 h longer on the fall-back night', () => {
    const night = win({ days: ['sat'], start: '23:00', end: '05:00' });
    const hours = (now: string) =>
      occurrences([night], at(now), 0, 0).map((o) => (o.end.getTime() - o.start.getTime()) / 3600_000);
    expect(hours('2025-03-29T12:00:00Z')).toEqual([5]);
    expect(hours('2025-10-25T12:00:00Z')).toEqual([7]);
    expect(hours('2025-06-07T12:00:00Z')).toEqual([6]);
    const ny = { ...night, time_zone: 'America/New_York' };
    expect(occurrences([ny], at('2025-03-08T17:00:00Z'), 0, 0).map((o) => o.end.toISOString())).toEqual([
      '2025-03-09T09:00:00.000Z',
    ]);
    expect(occurrences([ny], at('2025-11-01T17:00:00Z'), 0, 0).map((o) => o.end.toISOString())).toEqual([
      '2025-11-02T10:00:00.000Z',
    ]);
  });

  it('a window starting in the skipped hour opens at the jump; one ending in the doubled hour closes at the first', () => {
    const sunday = (start: string, end: string) => win({ days: ['sun'], start, end });
    const p = berlinPool([{ ...sunday('02:30', '04:00'), standby_cores: 9 }]);
    expect(scheduledTargets(p, at('2025-03-30T00:59:00Z')).info?.active).toBeUndefined();
    expect(scheduledTargets(p, at('2025-03-30T01:00:00Z')).info?.active?.until).toBe(
      '2025-03-30T02:00:00.000Z',
    );
    const q = berlinPool([{ ...sunday('01:00', '02:30'), standby_cores: 9 }]);
    // The first 02:30 CEST (00:30 UTC) ends it; the second 02:00–02:30 (CET) is outside: no re-opening.
    expect(scheduledTargets(q, at('2025-10-26T00:29:00Z')).launch.standby_cores).toBe(9);
    expect(scheduledTargets(q, at('2025-10-26T00:30:00Z')).launch.standby_cores).toBe(4);
    expect(scheduledTargets(q, at('2025-10-26T01:10:00Z')).launch.standby_cores).toBe(4);
  });

  it('inside a window its values apply, keys it leaves out are the pool’s; outside, the pool’s own', () => {
    const p = pool('p', {
      standby_cores: 4,
      standby_memory_mb: 1000,
      minimum_instances: 1,
      schedules: [win({ standby_cores: 20, minimum_instances: 2 })],
    });
    const inside = scheduledTargets(p, at('2025-01-06T10:00:00Z')); // Monday 11:00 Berlin
    expect(inside.launch).toEqual({
      standby_cores: 20,
      standby_memory_mb: 1000,
      standby_gpus: 0,
      minimum_instances: 2,
    });
    expect(inside.info?.active).toEqual({
      index: 0,
      window: 'weekday 08:00–18:00 Europe/Berlin',
      until: '2025-01-06T17:00:00.000Z',
    });
    expect(inside.info?.next).toMatchObject({ at: '2025-01-06T17:00:00.000Z', change: 'ends' });
    const saturday = scheduledTargets(p, at('2025-01-11T10:00:00Z'));
    expect(saturday.launch).toEqual({
      standby_cores: 4,
      standby_memory_mb: 1000,
      standby_gpus: 0,
      minimum_instances: 1,
    });
    expect(saturday.info?.active).toBeUndefined();
    expect(saturday.info?.next).toMatchObject({ at: '2025-01-13T07:00:00.000Z', change: 'starts' });
    expect(scheduledTargets(pool('q'), at('2025-01-11T10:00:00Z')).info).toBeUndefined();
  });

  it('a window past midnight belongs to the day it starts on', () => {
    const p = berlinPool([win({ days: ['fri'], start: '22:00', end: '06:00', standby_cores: 2 })]);
    expect(scheduledTargets(p, at('2025-01-11T02:00:00Z')).info?.active?.until).toBe(
      '2025-01-11T05:00:00.000Z',
    ); // Sat 03:00
    expect(scheduledTargets(p, at('2025-01-11T06:00:00Z')).info?.active).toBeUndefined(); // Sat 07:00
    expect(scheduledTargets(p, at('2025-01-10T20:00:00Z')).info?.next?.at).toBe('2025-01-10T21:00:00.000Z'); // Fri 21:00
    expect(scheduledTargets(p, at('2025-01-07T02:00:00Z')).info?.active).toBeUndefined(); // Tue 03:00
  });

  it('pre-warms launches lead time before a window, holds scale-down from provision_timeout before it, and says so', () => {
    const p = berlinPool();
    // Monday 2025-01-06, 08:00 Berlin = 07:00 UTC. No history: lead 10 min; provision_timeout 15 min.
    const t = (hhmm: string) => scheduledTargets(p, at(`2025-01-06T${hhmm}:00Z`));
    expect(t('06:44')).toMatchObject({
      launch: { standby_cores: 4 },
      keep: { standby_cores: 4 },
      reasonSuffix: '',
    });
    expect(t('06:46')).toMatchObject({ launch: { standby_cores: 4 }, keep: { standby_cores: 20 } });
    const warm = t('06:51');
    expect(warm.launch.standby_cores).toBe(20);
    expect(warm.info?.values.standby_cores).toBe(4);
    expect(warm.info?.prewarm).toMatchObject({ window: 'weekday 08:00–18:00 Europe/Berlin', leadSec: 600 });
    expect(warm.reasonSuffix).toBe(
      '; pre-warming for weekday 08:00 Europe/Berlin window in 9m (lead time 10m: default, no launch history)',
    );
    expect(t('07:00').reasonSuffix).toBe('; weekday 08:00–18:00 Europe/Berlin window');
    // Measured lead: 3 min launches pre-warm 3 min ahead (p90 of the times, whole minutes).
    const short = scheduledTargets(p, at('2025-01-06T06:56:00Z'), [100, 120, 150, 170]);
    expect(short.launch.standby_cores).toBe(4);
    expect(scheduledTargets(p, at('2025-01-06T06:57:00Z'), [100, 120, 150, 170]).launch.standby_cores).toBe(
      20,
    );
  });

  it('a window that lowers the values is not pre-warmed', () => {
    const p = berlinPool([win({ days: ['sat'], start: '00:00', end: '24:00', standby_cores: 0 })]);
    const before = scheduledTargets(p, at('2025-01-10T22:55:00Z')); // Fri 23:55
    expect(before.launch.standby_cores).toBe(4);
    expect(before.keep.standby_cores).toBe(4);
    expect(before.info?.prewarm).toBeUndefined();
  });

  it('lead time: p90 of recent launch→register times, rounded up to a minute; 10 min without history', () => {
    expect(leadTimeSec(undefined).sec).toBe(600);
    expect(leadTimeSec([]).sec).toBe(600);
    expect(leadTimeSec([200, 30, 400, 50, 60, 70, 80, 90, 100, 110]).sec).toBe(240);
    expect(leadTimeSec([5]).sec).toBe(60);
    expect(shortDuration(9 * 60_000)).toBe('9m');
    expect(shortDuration(65 * 60_000)).toBe('1h05m');
  });
});

describe('back-to-back windows', () => {
  it('one stretch when the values are the same: the next change is where they differ', () => {
    const p = berlinPool([
      win({ days: ['mon', 'tue'], start: '00:00', end: '24:00', standby_cores: 9 }),
      win({ days: ['wed'], start: '00:00', end: '12:00', standby_cores: 9 }),
      win({ days: ['wed'], start: '12:00', end: '18:00', standby_cores: 2 }),
    ]);
    const mon = scheduledTargets(p, at('2025-01-06T10:00:00Z'));
    expect(mon.info?.active?.until).toBe('2025-01-08T11:00:00.000Z');
    expect(mon.info?.next).toMatchObject({ at: '2025-01-08T11:00:00.000Z', change: 'ends' });
  });
});
