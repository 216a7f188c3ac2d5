/**
 * Schedule windows, evaluated: a pure function of (pool, now, lead time). No clock is read;
 * `now` decides the window, so plan() stays pure and status shows what the pass would do.
 *
 * - Inside a window its standby_* / minimum_instances apply (keys it leaves out: the pool's).
 * - Outside every window the pool's own values apply.
 * - Pre-warm: from `lead` before a change (a window starting, or one that lowered the
 *   values ending), launches aim at max(current, coming) values, so agents are registered
 *   when it comes. lead is a high percentile of
 *   the pool's recent launch→register times (memory.ts), 10 min without history.
 * - Scale-down aims at max(current, window) from a longer horizon (the larger of lead and
 *   provision_timeout) before a window: a shrinking lead estimate can never make agents
 *   launched for the pre-warm look surplus. So each boundary changes each target once.
 *
 * Times are wall-clock in the window's zone: a window opens at the first instant the
 * clock shows its start (on a spring-forward day, 02:30 opens at the jump to 03:00) and
 * closes at the first instant it shows its end (on a fall-back day, the first 02:30).
 */
import type { AutoscaleConfig } from '../config/types.js';
import { WEEKDAYS, minuteOfDay, type ScheduleWindow } from '../config/schema/schedule.js';
import { instantOf, wallClock } from '../core/zoned-time.js';

export type { ScheduleWindow };

/** The values a schedule changes. */
export interface ScheduledValues {
  standby_cores: number;
  standby_memory_mb: number;
  standby_gpus: number;
  minimum_instances: number;
}

export interface Occurrence {
  /** Index in the pool's schedules. */
  index: number;
  window: ScheduleWindow;
  start: Date;
  end: Date;
}

/** Pre-warm lead time when the pool has no launch→register history. */
export const DEFAULT_LEAD_SEC = 600;
/** The percentile of recent launch→register times used as lead time. */
export const LEAD_PERCENTILE = 0.9;

export function ownValues(pool: AutoscaleConfig): ScheduledValues {
  return {
    standby_cores: pool.standby_cores,
    standby_memory_mb: pool.standby_memory_mb,
    standby_gpus: pool.standby_gpus,
    minimum_instances: pool.minimum_instances,
  };
}

/** A window's values, the pool's own where the window leaves a key out. */
export function windowValues(pool: AutoscaleConfig, w: ScheduleWindow): ScheduledValues {
  const own = ownValues(pool);
  return {
    standby_cores: w.standby_cores ?? own.standby_cores,
    standby_memory_mb: w.standby_memory_mb ?? own.standby_memory_mb,
    standby_gpus: w.standby_gpus ?? own.standby_gpus,
    minimum_instances: w.minimum_instances ?? own.minimum_instances,
  };
}

const maxValues = (a: ScheduledValues, b: ScheduledValues): ScheduledValues => ({
  standby_cores: Math.max(a.standby_cores, b.standby_cores),
  standby_memory_mb: Math.max(a.standby_memory_mb, b.standby_memory_mb),
  standby_gpus: Math.max(a.standby_gpus, b.standby_gpus),
  minimum_instances: Math.max(a.minimum_instances, b.minimum_instances),
});

const sameValues = (a: ScheduledValues, b: ScheduledValues) =>
  a.standby_cores === b.standby_cores &&
  a.standby_memory_mb === b.standby_memory_mb &&
  a.standby_gpus === b.standby_gpus &&
  a.minimum_instances === b.minimum_instances;

/**
 * Every occurrence of the windows that starts on a local date from `daysBack` days before
 * now's local date to `daysAhead` after it, sorted by start.
 */
export function occurrences(windows: ScheduleWindow[], now: Date, daysBack = 1, daysAhead = 8): Occurrence[] {
  const out: Occurrence[] = [];
  windows.forEach((window, index) => {
    const today = wallClock(now.getTime(), window.time_zone);
    const s = minuteOfDay(window.start);
    const e = minuteOfDay(window.end);
    for (let k = -daysBack; k <= daysAhead; k++) {
      // Calendar arithmetic on the local date (UTC here is only a date counter).
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
      if (!window.days.includes(WEEKDAYS[date.getUTCDay()])) continue;
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const start = instantOf(window.time_zone, y, m, d, s);
      const end = instantOf(window.time_zone, y, m, d, e > s ? e : e + 1440);
      if (end > start) out.push({ index, window, start, end });
    }
  });
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.index - b.index);
}

/** "weekday 08:00–18:00 Europe/Berlin" */
export function windowLabel(w: ScheduleWindow): string {
  return `${daysLabel(w.days)} ${w.start}–${w.end} ${w.time_zone}`;
}

function daysLabel(days: string[]): string {
  const set = [...new Set(days)].sort((a, b) => order(a) - order(b));
  const key = set.join(',');
  if (key === 'mon,tue,wed,thu,fri') return 'weekday';
  if (key === 'mon,tue,wed,thu,fri,sat,sun') return 'daily';
  if (key === 'sat,sun') return 'weekend';
  return set.join(',');
}
/** Monday first, as operators read a week. */
const order = (d: string) => (WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]) + 6) % 7;

/** "9m", "1h05m", "2d03h" */
export function shortDuration(ms: number): string {
  const min = Math.max(0, Math.ceil(ms / 60_000));
  if (min < 60) return `${min}m`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h}h${String(min % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** Lead time (s) from recent launch→register times: their LEAD_PERCENTILE (nearest rank), rounded up to a minute. */
export function leadTimeSec(registerSeconds: readonly number[] | undefined): { sec: number; from: string } {
  const xs = [...(registerSeconds ?? [])].filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (xs.length === 0) return { sec: DEFAULT_LEAD_SEC, from: 'default, no launch history' };
  const rank = Math.max(0, Math.ceil(LEAD_PERCENTILE * xs.length) - 1);
  return {
    sec: Math.max(60, Math.ceil(xs[rank] / 60) * 60),
    from: `p${Math.round(LEAD_PERCENTILE * 100)} of the last ${xs.length} launch→register times`,
  };
}

/** What status and the report show of a pool's schedule at `now`. */
export interface ScheduleInfo {
  /** The window in force now. */
  active?: { index: number; window: string; until: string };
  /** The next boundary: a window starts or ends. */
  next?: { at: string; change: 'starts' | 'ends'; index: number; window: string };
  /** Set while launches aim at a window that has not started yet. */
  prewarm?: {
    /** The window pre-warmed for; none when the change is back to the pool's own values. */
    index?: number;
    window: string;
    startsAt: string;
    leadSec: number;
    leadFrom: string;
  };
  /** The values in force now (without pre-warm). */
  values: ScheduledValues;
}

export interface ScheduledTargets {
  /** What launches aim at: the values in force, raised to the next window's during pre-warm. */
  launch: ScheduledValues;
  /** What scale-down keeps: like `launch`, over the longer hold horizon. */
  keep: ScheduledValues;
  /** Undefined: the pool has no schedule. */
  info?: ScheduleInfo;
  /** Words for a launch's reason ("" without a schedule). */
  reasonSuffix: string;
}

/**
 * The pool's targets at `now`. `registerSeconds` are the pool's recent launch→register
 * times (memory.ts), from which the pre-warm lead time is measured.
 */
export function scheduledTargets(
  pool: AutoscaleConfig,
  now: Date,
  registerSeconds?: readonly number[],
): ScheduledTargets {
  const own = ownValues(pool);
  const windows = pool.schedules ?? [];
  if (windows.length === 0) return { launch: own, keep: own, reasonSuffix: '' };
  const t = now.getTime();
  const all = occurrences(windows, now);
  const found = all.find((o) => o.start.getTime() <= t && t < o.end.getTime());
  // Back-to-back occurrences with the same values (mon and tue 00:00–24:00) are one stretch:
  // nothing changes at the seam, so neither status nor the pre-warm sees one there.
  let active = found;
  while (active) {
    const end = active.end.getTime();
    const next = all.find((o) => o.start.getTime() === end);
    if (!next || !sameValues(windowValues(pool, next.window), windowValues(pool, found!.window))) break;
    active = { ...found!, end: next.end };
  }
  const values = active ? windowValues(pool, active.window) : own;
  const upcoming = all.find((o) => o.start.getTime() > t);
  const lead = leadTimeSec(registerSeconds);
  const holdSec = Math.max(lead.sec, pool.provision_timeout);

  // Every change within the hold horizon (a window starting or ending, including the return
  // to the pool's own values) and the values right after it. Launches aim at the largest
  // values due within the lead time, scale-down keeps the largest due within the hold.
  const valuesAt = (ms: number) => {
    const o = all.find((x) => x.start.getTime() <= ms && ms < x.end.getTime());
    return { o, v: o ? windowValues(pool, o.window) : own };
  };
  const changes = [...new Set(all.flatMap((o) => [o.start.getTime(), o.end.getTime()]))]
    .filter((c) => c > t && c <= t + holdSec * 1000)
    .sort((a, b) => a - b);
  let launch = values;
  let keep = values;
  let prewarm: ScheduleInfo['prewarm'];
  let prewarmWords = '';
  for (const c of changes) {
    const { o, v } = valuesAt(c);
    keep = maxValues(keep, v);
    if (c > t + lead.sec * 1000) continue;
    const raised = maxValues(launch, v);
    // Only a change that raises something is pre-warmed (and named in reasons).
    if (!prewarm && !sameValues(raised, launch)) {
      const ending = all.find((x) => x.end.getTime() === c);
      const label = o
        ? windowLabel(o.window)
        : `the pool's own values after ${ending ? windowLabel(ending.window) : 'the window'}`;
      prewarm = {
        ...(o ? { index: o.index } : {}),
        window: label,
        startsAt: new Date(c).toISOString(),
        leadSec: lead.sec,
        leadFrom: lead.from,
      };
      prewarmWords = `${o ? `${prewarmLabel(o.window)} window` : label} in ${shortDuration(c - t)}`;
    }
    launch = raised;
  }
  const nextChange = active
    ? { at: active.end, change: 'ends' as const, o: active }
    : upcoming
      ? { at: upcoming.start, change: 'starts' as const, o: upcoming }
      : undefined;
  const info: ScheduleInfo = {
    ...(active
      ? {
          active: {
            index: active.index,
            window: windowLabel(active.window),
            until: active.end.toISOString(),
          },
        }
      : {}),
    ...(nextChange
      ? {
          next: {
            at: nextChange.at.toISOString(),
            change: nextChange.change,
            index: nextChange.o.index,
            window: windowLabel(nextChange.o.window),
          },
        }
      : {}),
    ...(prewarm ? { prewarm } : {}),
    values,
  };
  const reasonSuffix = prewarm
    ? `; pre-warming for ${prewarmWords} (lead time ${shortDuration(lead.sec * 1000)}: ${lead.from})`
    : active
      ? `; ${windowLabel(active.window)} window`
      : '';
  return { launch, keep, info, reasonSuffix };
}

/** "weekday 08:00 Europe/Berlin" */
function prewarmLabel(w: ScheduleWindow): string {
  return `${daysLabel(w.days)} ${w.start} ${w.time_zone}`;
}
