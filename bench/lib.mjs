// Shared helpers for bench/*.bench.mjs: time commands in the same run, print medians and ratios.
// Benchmarks report; they never assert timings (machines differ, CI is noisy).
import { spawnSync } from 'node:child_process';

/** Wall time of one synchronous run of a command, in milliseconds. */
export function timeCommand(cmd, args, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).split('\n')[0]}`);
  return ms;
}

/** Wall time of an async function, in milliseconds. */
export async function timeAsync(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs every case `runs` times, interleaved (a, b, a, b, ...) so a busy moment on the
 * machine hits all cases alike, after one warm-up run each.
 */
export async function compare(cases, runs) {
  for (const c of cases) await c.run();
  const times = cases.map(() => []);
  for (let i = 0; i < runs; i++) for (const [j, c] of cases.entries()) times[j].push(await c.run());
  return cases.map((c, j) => ({ name: c.name, median: median(times[j]), min: Math.min(...times[j]), runs }));
}

export function report(title, results, baselineIndex = results.length - 1) {
  const base = results[baselineIndex];
  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`\n${title}\n`);
  for (const r of results) {
    const ratio = r === base ? 'baseline' : `${(r.median / base.median).toFixed(2)}x ${base.name}`;
    process.stdout.write(
      `  ${r.name.padEnd(width)}  median ${r.median.toFixed(1).padStart(8)} ms  min ${r.min.toFixed(1).padStart(8)} ms  (${r.runs} runs)  ${ratio}\n`,
    );
  }
}

export const runsFromEnv = (fallback) => Number(process.env.BENCH_RUNS) || fallback;
