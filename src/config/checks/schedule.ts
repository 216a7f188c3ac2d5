import type { PathSegments } from '../problems.js';
import { WEEKDAYS, minuteOfDay, scheduleWindowSchema, type ScheduleWindow } from '../schema/schedule.js';
import { valid, type CheckContext } from '../../core/fields/check-context.js';

const WEEK = 7 * 1440;

/**
 * The windows of one pool, checked together: one time zone for all of them (two zones would
 * make "do they overlap" change with each zone's DST dates), no two overlapping (which
 * values would apply?) — across midnight and across days too — and no value above the
 * provider's max_instances. Only windows valid on their own are compared.
 */
export function checkSchedules(
  schedules: unknown,
  at: PathSegments,
  ctx: CheckContext,
  maxInstances: number | undefined,
): void {
  if (!Array.isArray(schedules)) return;
  const windows: Array<{ i: number; w: ScheduleWindow }> = [];
  schedules.forEach((raw, i) => {
    const w = valid(scheduleWindowSchema, raw);
    if (w) windows.push({ i, w });
  });
  const zone = windows[0]?.w.time_zone;
  for (const { i, w } of windows) {
    if (w.time_zone !== zone)
      ctx.add(
        [...at, i, 'time_zone'],
        `"${w.time_zone}" differs from the time zone of schedules[${windows[0].i}] ("${zone}"); expected every window of a pool in one time zone`,
      );
    if (maxInstances !== undefined && w.minimum_instances !== undefined && w.minimum_instances > maxInstances)
      ctx.add(
        [...at, i, 'minimum_instances'],
        `minimum_instances ${w.minimum_instances} is more than the provider's max_instances ${maxInstances}; expected at most ${maxInstances}`,
        { found: w.minimum_instances },
      );
  }
  const spans = windows
    .filter(({ w }) => w.time_zone === zone)
    .flatMap(({ i, w }) => weekSpans(w).map((s) => ({ i, w, ...s })));
  const reported = new Set<number>();
  for (const b of spans) {
    if (reported.has(b.i)) continue;
    const a = spans.find((x) => x.i < b.i && overlaps(x, b));
    if (!a) continue;
    reported.add(b.i);
    ctx.add(
      [...at, b.i],
      `overlaps schedules[${a.i}]: ${describe(b)} and ${describe(a)} (${zone}) share time; expected windows that do not overlap`,
    );
  }
}

/** The window's occurrences in a week, as [from, to) minutes since Sunday 00:00 (to may pass the week's end). */
export function weekSpans(w: ScheduleWindow): Array<{ day: string; from: number; to: number }> {
  const s = minuteOfDay(w.start);
  const e = minuteOfDay(w.end);
  const length = e > s ? e - s : e + 1440 - s;
  return w.days.map((day) => {
    const from = WEEKDAYS.indexOf(day) * 1440 + s;
    return { day, from, to: from + length };
  });
}

function overlaps(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return [-WEEK, 0, WEEK].some((shift) => a.from + shift < b.to && b.from < a.to + shift);
}

const describe = (x: { day: string; w: ScheduleWindow }) => `${x.day} ${x.w.start}–${x.w.end}`;
