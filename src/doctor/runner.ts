import pLimit from 'p-limit';
import type { Check, CheckGroup, CheckResult, GroupResult, Outcome } from '../core/checks.js';

export interface RunOptions {
  /** Checks in flight at once, over every group (default 6: polite to the APIs, fast enough). */
  concurrency?: number;
  /** A check that has no answer after this long fails (default 30 s); doctor never hangs. */
  timeoutMs?: number;
  /** Called as each check finishes (progress on stderr). */
  onResult?: (group: CheckGroup, result: CheckResult, done: number, total: number) => void;
}

/**
 * Runs every check of every group concurrently under one bound. A check waits for the
 * checks it `needs` (same group) and is skipped when one of them did not pass, so a
 * refused key gives one ✗ and a row of "skipped" instead of ten copies of the same 401.
 * Results keep the order the groups declared them in, whatever order they finish in.
 */
export async function runChecks(groups: CheckGroup[], opts: RunOptions = {}): Promise<GroupResult[]> {
  const limit = pLimit(opts.concurrency ?? 6);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const total = groups.reduce((n, g) => n + g.checks.length, 0);
  let done = 0;

  const runGroup = async (group: CheckGroup): Promise<GroupResult> => {
    const byId = new Map<string, Promise<CheckResult>>();
    const titleOf = new Map(group.checks.map((c) => [c.id, c.title]));
    const start = (check: Check): Promise<CheckResult> => {
      const existing = byId.get(check.id);
      if (existing) return existing;
      const p = (async (): Promise<CheckResult> => {
        const deps = await Promise.all(
          (check.needs ?? [])
            .filter((id) => titleOf.has(id))
            .map((id) => start(group.checks.find((c) => c.id === id)!)),
        );
        const blocked = deps.find((d) => d.status === 'fail' || d.status === 'skip');
        if (blocked)
          return {
            id: check.id,
            title: check.title,
            status: 'skip',
            detail: `skipped: "${blocked.title}" did not pass`,
            ms: 0,
          };
        return limit(() => timed(check, timeoutMs));
      })().then((r) => {
        done++;
        opts.onResult?.(group, r, done, total);
        return r;
      });
      byId.set(check.id, p);
      return p;
    };
    try {
      const checks = await Promise.all(group.checks.map(start));
      return { name: group.name, kind: group.kind, checks };
    } finally {
      await group.close?.().catch(() => {});
    }
  };

  await Promise.all(groups.map((g) => g.prepare?.().catch(() => {})));
  return Promise.all(groups.map(runGroup));
}

async function timed(check: Check, timeoutMs: number): Promise<CheckResult> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let outcome: Outcome;
  try {
    outcome = await Promise.race([
      check.run(),
      new Promise<Outcome>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              status: 'fail',
              detail: `no answer within ${Math.round(timeoutMs / 1000)} s`,
              hint: 'check the endpoint is reachable from here (proxy, firewall), then run doctor again',
            }),
          timeoutMs,
        );
        timer.unref();
      }),
    ]);
  } catch (err) {
    // A check is meant to turn every failure into an Outcome; anything else is still reported, as one line.
    const message =
      err instanceof Error
        ? err.message
        : typeof err === 'object' && err && 'message' in err
          ? String((err as { message: unknown }).message)
          : String(err);
    outcome = { status: 'fail', detail: message.replace(/\s+/g, ' ').trim() };
  } finally {
    clearTimeout(timer);
  }
  return { id: check.id, title: check.title, ...outcome, ms: Math.round(performance.now() - t0) };
}
