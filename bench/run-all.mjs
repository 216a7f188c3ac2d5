// Runs every bench/*.bench.mjs in name order, one after another (never in parallel: they
// time each other's baselines). BENCH_RUNS=N overrides each benchmark's repeat count.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== ${f}\n`);
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(f, import.meta.url))], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`=== ${f} failed (exit ${r.status})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
