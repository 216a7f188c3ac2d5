/**
 * Schedule windows in the config file: each mistake is one problem naming the key.
 * Overlaps are found across midnight and across days, not only on one day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check } from './fixtures.js';

const weekday = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
  time_zone: 'Europe/Berlin',
};
type W = Record<string, unknown>;
type Case = [name: string, windows: W[], path: string, message: string];

const CASES: Case[] = [
  [
    'unknown time zone',
    [{ ...weekday, time_zone: 'Europe/Berln' }],
    'autoscale[0].schedules[0].time_zone',
    '"Europe/Berln" is not a time zone; use an IANA name like Europe/Berlin',
  ],
  [
    'an offset is not a zone',
    [{ ...weekday, time_zone: '+01:00' }],
    'autoscale[0].schedules[0].time_zone',
    'is not a time zone',
  ],
  [
    'bad start time',
    [{ ...weekday, start: '8:00' }],
    'autoscale[0].schedules[0].start',
    '"8:00" is not a time',
  ],
  ['hour 25', [{ ...weekday, end: '25:00' }], 'autoscale[0].schedules[0].end', '"25:00" is not a time'],
  [
    'start 24:00',
    [{ ...weekday, start: '24:00' }],
    'autoscale[0].schedules[0].start',
    '"24:00" is not a time',
  ],
  ['empty days', [{ ...weekday, days: [] }], 'autoscale[0].schedules[0].days', 'expected at least one day'],
  [
    'unknown day',
    [{ ...weekday, days: ['monday'] }],
    'autoscale[0].schedules[0].days[0]',
    'expected a day: one of sun, mon',
  ],
  [
    'a day twice',
    [{ ...weekday, days: ['mon', 'mon'] }],
    'autoscale[0].schedules[0].days',
    'expected each day once',
  ],
  [
    'zero length',
    [{ ...weekday, end: '08:00' }],
    'autoscale[0].schedules[0].end',
    'start and end are the same time',
  ],
  [
    'unknown key',
    [{ ...weekday, standby_core: 3 }],
    'autoscale[0].schedules[0].standby_core',
    'did you mean "standby_cores"?',
  ],
  [
    'negative standby',
    [{ ...weekday, standby_cores: -1 }],
    'autoscale[0].schedules[0].standby_cores',
    'expected standby cores ≥ 0',
  ],
  [
    'minimum over max_instances',
    [{ ...weekday, minimum_instances: 6 }],
    'autoscale[0].schedules[0].minimum_instances',
    "more than the provider's max_instances 5",
  ],
  [
    'overlap on a day',
    [weekday, { ...weekday, days: ['wed'], start: '17:00', end: '20:00' }],
    'autoscale[0].schedules[1]',
    'overlaps schedules[0]: wed 17:00–20:00 and wed 08:00–18:00 (Europe/Berlin) share time',
  ],
  [
    'overlap across midnight',
    [weekday, { ...weekday, days: ['sun'], start: '22:00', end: '09:00' }],
    'autoscale[0].schedules[1]',
    'overlaps schedules[0]: sun 22:00–09:00 and mon 08:00–18:00',
  ],
  [
    'overlap across the week end (sat night into sun)',
    [
      { ...weekday, days: ['sat'], start: '20:00', end: '02:00' },
      { ...weekday, days: ['sun'], start: '01:00', end: '03:00' },
    ],
    'autoscale[0].schedules[1]',
    'overlaps schedules[0]',
  ],
  [
    'two time zones',
    [weekday, { ...weekday, days: ['sat'], time_zone: 'America/New_York' }],
    'autoscale[0].schedules[1].time_zone',
    'expected every window of a pool in one time zone',
  ],
];

describe('config validate: schedule windows', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('accepts adjacent windows, a window past midnight and one to 24:00', async () => {
    const cfg = baseConfig();
    cfg.autoscale[0].standby_cores = 4;
    cfg.autoscale[0].schedules = [
      { ...weekday, standby_cores: 20 },
      { ...weekday, start: '18:00', end: '22:00', standby_cores: 8 },
      { ...weekday, days: ['fri'], start: '22:00', end: '06:00', minimum_instances: 1 },
      { ...weekday, days: ['sat', 'sun'], start: '10:00', end: '24:00' },
    ];
    const r = await check(dir, cfg);
    expect(r.problems).toEqual([]);
    expect(r.config?.autoscale[0].schedules).toHaveLength(4);
  });

  it.each(CASES)('%s', async (_name, windows, path, message) => {
    const cfg = baseConfig();
    cfg.autoscale[0].schedules = windows;
    const r = await check(dir, cfg);
    expect(r.config).toBeUndefined();
    const hit = r.problems.find((p) => p.path === path && p.message.includes(message));
    expect(
      hit,
      `expected ${path}: ${message}\ngot:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    ).toBeDefined();
    expect(r.problems).toHaveLength(1);
  });
});
