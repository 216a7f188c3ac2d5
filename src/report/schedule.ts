/** A pool's schedule in words (status, human) and as JSON (status --json, snake_case). */
import type { ScheduleInfo } from '../scaling/schedule.js';

/** One line: the window in force (or the pool's own values), the next change, a pre-warm. */
export function scheduleLine(s: ScheduleInfo, rel: (iso: string) => string): string {
  const v = s.values;
  const values = `standby ${v.standby_cores} cores, ${v.standby_memory_mb} MB, ${v.standby_gpus} GPUs, minimum ${v.minimum_instances}`;
  const now = s.active
    ? `window ${s.active.window} until ${s.active.until} (${rel(s.active.until)}): ${values}`
    : `outside every window, the pool's own values: ${values}`;
  const next = s.next ? ` · next: ${s.next.window} ${s.next.change} ${s.next.at} (${rel(s.next.at)})` : '';
  const warm = s.prewarm
    ? ` · pre-warming for ${s.prewarm.window} (lead time ${Math.round(s.prewarm.leadSec / 60)} min: ${s.prewarm.leadFrom})`
    : '';
  return `schedule: ${now}${next}${warm}`;
}

export function scheduleJson(s: ScheduleInfo | undefined): Record<string, unknown> | null {
  if (!s) return null;
  return {
    active: s.active ? { window: s.active.window, index: s.active.index, until: s.active.until } : null,
    next_change: s.next
      ? { at: s.next.at, change: s.next.change, window: s.next.window, index: s.next.index }
      : null,
    prewarm: s.prewarm
      ? {
          window: s.prewarm.window,
          index: s.prewarm.index ?? null,
          starts_at: s.prewarm.startsAt,
          lead_sec: s.prewarm.leadSec,
          lead_from: s.prewarm.leadFrom,
        }
      : null,
    values: { ...s.values },
  };
}
