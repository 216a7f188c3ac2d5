// Start-up of short commands against `node -e 0`, in the same run, paired (interleaved):
// wall time per process and, less sensitive to a busy machine, the CPU time the OS counts
// for it (os-usage.mjs). Run after `npm run build` (npm run bench does both).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runsFromEnv } from './lib.mjs';
import { runMeasured } from './os-usage.mjs';

const cli = fileURLToPath(new URL('../bin/kasm-scale.js', import.meta.url));
const example = fileURLToPath(new URL('../examples/oci.yaml', import.meta.url));
const runs = runsFromEnv(20);
const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
const { generateKeyPairSync } = await import('node:crypto');
const pub = join(dir, 'key_public.pem');
writeFileSync(
  pub,
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
);

const cases = [
  { name: 'kasm-scale --version', args: [cli, '--version'] },
  { name: 'kasm-scale --help', args: [cli, '--help'] },
  { name: 'kasm-scale keys fingerprint', args: [cli, 'keys', 'fingerprint', pub] },
  { name: 'kasm-scale config validate', args: [cli, 'config', 'validate', example], ok: [0, 1, 2] },
  { name: 'node -e 0', args: ['-e', '0'] },
];
try {
  const figures = cases.map(() => []);
  for (const c of cases) await runMeasured(c.args); // warm-up (file cache)
  for (let i = 0; i < runs; i++) {
    for (const [j, c] of cases.entries()) {
      const r = await runMeasured(c.args, { env: { ...process.env, NO_COLOR: '1', EXAMPLE_SECRET: 'x' } });
      if (!(c.ok ?? [0]).includes(r.code))
        throw new Error(`${c.name} exited ${r.code}: ${r.stderr.split('\n')[0]}`);
      figures[j].push(r);
    }
  }
  const base = figures[cases.length - 1];
  const bw = median(base.map((r) => r.wallMs));
  const bc = median(base.map((r) => r.cpuMs));
  const width = Math.max(...cases.map((c) => c.name.length));
  process.stdout.write(`\nstart-up, ${runs} paired runs, medians (ratio to node -e 0 of the same run)\n`);
  for (const [j, c] of cases.entries()) {
    const w = median(figures[j].map((r) => r.wallMs));
    const u = median(figures[j].map((r) => r.cpuMs));
    const m = median(figures[j].map((r) => r.maxRssMb));
    process.stdout.write(
      `  ${c.name.padEnd(width)}  wall ${w.toFixed(0).padStart(5)} ms (${(w / bw).toFixed(2)}x)   CPU ${u.toFixed(0).padStart(5)} ms (${(u / bc).toFixed(2)}x)   peak RSS ${m.toFixed(0)} MB\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
