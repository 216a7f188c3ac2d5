import { z } from 'zod';
import { isTimeZone } from '../../core/zoned-time.js';
import { checked, int } from '../../core/fields/common.js';

/**
 * Schedule windows of an autoscale config, modelled on Kasm's AutoScale schedules (days of
 * the week, an active start and end time, a time zone). Kasm's schedule switches a whole
 * autoscale config on or off; here a window carries its own standby and minimum values, so
 * "20 cores on weekdays, 4 otherwise" is one pool. Outside every window the pool's own
 * values apply; a key a window leaves out is the pool's own value too.
 *
 * A window whose end is earlier than its start runs past midnight into the next day
 * (22:00–06:00 on fri is Friday night to Saturday morning), as operators expect; `days`
 * name the day the window starts. Overlaps are checked in ../checks/schedule.ts.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of an "HH:MM" the schema accepted ("24:00" = 1440, end only). */
export function minuteOfDay(hhmm: string): number {
  if (hhmm === '24:00') return 1440;
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
}

function time(which: 'start' | 'end') {
  const allowed = which === 'end' ? '"HH:MM" from 00:00 to 24:00' : '"HH:MM" from 00:00 to 23:59';
  return checked(`a ${which} time ${allowed}`, (s) =>
    HHMM.test(s) || (which === 'end' && s === '24:00')
      ? undefined
      : `"${s}" is not a time; expected ${allowed} (24-hour clock, two digits each, e.g. 08:00)`,
  );
}

const day = z.enum(WEEKDAYS, { error: `expected a day: one of ${WEEKDAYS.join(', ')}` });

export const scheduleWindowSchema = z
  .strictObject({
    days: z
      .array(day, { error: `expected a list of days (${WEEKDAYS.join(', ')})` })
      .min(1, {
        error: 'expected at least one day (e.g. [mon, tue, wed, thu, fri]); an empty list never applies',
      })
      .refine((d) => new Set(d).size === d.length, { error: 'expected each day once' })
      .describe('Days of the week the window starts on: mon, tue, wed, thu, fri, sat, sun'),
    start: time('start').describe('Start time "HH:MM" (24-hour clock, local time in time_zone)'),
    end: time('end').describe(
      'End time "HH:MM" (24:00 = midnight); earlier than start: the window runs past midnight into the next day',
    ),
    time_zone: checked('an IANA time zone name like Europe/Berlin', (s) =>
      isTimeZone(s) ? undefined : `"${s}" is not a time zone; use an IANA name like Europe/Berlin`,
    ).describe('IANA time zone the times are read in, e.g. Europe/Berlin (daylight saving time is followed)'),
    standby_cores: int({ what: 'standby cores' })
      .optional()
      .describe("Standby cores inside the window (default: the pool's standby_cores)"),
    standby_memory_mb: int({ what: 'standby memory in MB' })
      .optional()
      .describe("Standby memory (MB) inside the window (default: the pool's standby_memory_mb)"),
    standby_gpus: int({ what: 'standby GPUs' })
      .optional()
      .describe("Standby GPUs inside the window (default: the pool's standby_gpus)"),
    minimum_instances: int({ what: 'instances' })
      .optional()
      .describe("Agents kept running inside the window (default: the pool's minimum_instances)"),
  })
  .refine((w) => w.start !== w.end, {
    error:
      'start and end are the same time; expected a window of some length (00:00–24:00 for the whole day)',
    path: ['end'],
  })
  .describe('A schedule window: days, start, end, time zone, and the standby/minimum values inside it');

export type ScheduleWindow = z.output<typeof scheduleWindowSchema>;

export const schedulesField = z
  .array(scheduleWindowSchema, { error: 'expected a list of schedule windows' })
  .optional()
  .describe(
    "kasm-scale: schedule windows (days, start, end, time_zone) with their own standby_* and minimum_instances; outside every window the pool's own values apply (see docs/schedules.md)",
  );
