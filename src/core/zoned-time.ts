/**
 * Wall-clock time in an IANA time zone, with nothing but Intl (Node 20 ships full ICU, so
 * every zone and its DST rules are there). Two questions are answered: what does the clock
 * on the wall in `zone` show at this instant, and which instant is it when the wall clock
 * first shows a given local time. The second is where DST bites: on a spring-forward day
 * 02:30 never shows (the answer is the jump, 03:00 local); on a fall-back day 02:30 shows
 * twice (the answer is the first).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows `zone` as a region time zone name (Europe/Berlin, America/New_York, UTC). */
export function isTimeZone(zone: string): boolean {
  // Offsets like "+01:00" are accepted by newer engines but have no DST rules: not what a schedule means.
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight, 0–1439 */
  minute: number;
}

/** The wall clock in `zone` at instant `ms`, and the zone's UTC offset then (ms). */
export function wallClock(ms: number, zone: string): WallClock & { offsetMs: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offsetMs = asUtc - Math.floor(ms / 1000) * 1000;
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    weekday: new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay(),
    minute: parts.hour * 60 + parts.minute,
    offsetMs,
  };
}

const offsetAt = (ms: number, zone: string) => wallClock(ms, zone).offsetMs;

/**
 * The first instant at which the wall clock in `zone` shows local date (y, m, d) at
 * `minute` (may be 1440: the next midnight) or later.
 */
export function instantOf(zone: string, y: number, m: number, d: number, minute: number): Date {
  // Memoised: a schedule asks for the same few local times pass after pass (and a simulated
  // day asks thousands of times); the answer for a zone and local time never changes.
  const key = `${zone}|${y}-${m}-${d}|${minute}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    if (instants.size >= INSTANTS_KEPT) instants.clear();
    ms = computeInstant(zone, y, m, d, minute);
    instants.set(key, ms);
  }
  return new Date(ms);
}

const instants = new Map<string, number>();
const INSTANTS_KEPT = 10_000;

function computeInstant(zone: string, y: number, m: number, d: number, minute: number): number {
  const local = Date.UTC(y, m - 1, d, 0, minute);
  const DAY = 86_400_000;
  const before = offsetAt(local - 1.5 * DAY, zone);
  const after = offsetAt(local + 1.5 * DAY, zone);
  const valid = [local - before, local - after].filter(
    (t, i) => offsetAt(t, zone) === (i === 0 ? before : after),
  );
  if (valid.length) return Math.min(...valid);
  // In a gap (the clock jumps over this local time): the jump itself, found by bisection
  // between the two readings, is the first instant whose wall clock is later.
  let lo = Math.min(local - before, local - after);
  let hi = Math.max(local - before, local - after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid + offsetAt(mid, zone) >= local) hi = mid;
    else lo = mid;
  }
  return hi;
}
