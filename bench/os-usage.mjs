// CPU time and peak RSS of one child process, as the OS counts them: /usr/bin/time -v when
// present (GNU time: wait4's rusage of exactly that process), otherwise a preload that reads
// getrusage(RUSAGE_SELF) in the child as it exits (Node's process.resourceUsage()).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(GNU_TIME);
const probe = fileURLToPath(new URL('./rusage-probe.cjs', import.meta.url));
let seq = 0;

/**
 * Runs `node ...args`; resolves { code, stdout, stderr, wallMs, cpuMs, userMs, sysMs, maxRssMb }.
 * Wall time is measured here (spawn to exit), CPU and RSS come from the OS.
 */
export function runMeasured(args, { env = process.env } = {}) {
  const out = join(tmpdir(), `kasm-scale-rusage-${process.pid}-${seq++}.txt`);
  const [cmd, argv, childEnv] = haveGnuTime
    ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', out, process.execPath, ...args], env]
    : [process.execPath, ['--require', probe, ...args], { ...env, KASM_SCALE_RUSAGE_FILE: out }];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const so = [];
    const se = [];
    child.stdout.on('data', (c) => so.push(c));
    child.stderr.on('data', (c) => se.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let text = '';
      try {
        text = readFileSync(out, 'utf8').trim().split('\n').pop();
      } catch {
        // no figures (the child died before writing them): reported as NaN
      }
      rmSync(out, { force: true });
      const [, user, sys, rssKb] = text.split(/\s+/).map(Number);
      resolve({
        code,
        stdout: Buffer.concat(so).toString(),
        stderr: Buffer.concat(se).toString(),
        wallMs,
        userMs: user * 1000,
        sysMs: sys * 1000,
        cpuMs: (user + sys) * 1000,
        maxRssMb: rssKb / 1024,
      });
    });
  });
}
