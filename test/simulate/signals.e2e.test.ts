import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CLI, tempDir } from '../helpers/cli.js';
import { baseConfig } from '../config/fixtures.js';

/**
 * Ctrl-C (SIGINT) or SIGTERM while `demo` or `simulate` runs: the process stops promptly
 * with 128 + the signal, and its temp dir (a throw-away key, state and lock) is gone.
 * TMPDIR points at a folder of the test's own, so "gone" is checked exactly.
 */
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('kasm-scale-signals-')));
afterAll(() => cleanup());

const simDirs = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('kasm-scale-sim-'));

async function stopMidRun(
  args: string[],
  tmp: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; ms: number; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  // Wait until the run has made its temp dir (it is then mid-run), then signal it.
  for (let i = 0; i < 600 && simDirs(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(simDirs(tmp), 'the run made its temp dir').toHaveLength(1);
  await new Promise((r) => setTimeout(r, 300));
  const sent = Date.now();
  child.kill(signal);
  const code = await closed;
  return { code, ms: Date.now() - sent, stderr };
}

describe('demo and simulate stopped by a signal', () => {
  it('demo + SIGINT: exit 130, temp dir removed', async () => {
    const tmp = join(dir, 'demo-tmp');
    mkdirSync(tmp);
    const r = await stopMidRun(['demo'], tmp, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(simDirs(tmp)).toEqual([]);
  }, 60_000);

  it('simulate with the largest allowed rows + SIGTERM: stops within seconds (exit 143), temp dir removed', async () => {
    const tmp = join(dir, 'sim-tmp');
    mkdirSync(tmp);
    const trace = join(dir, 'busy.csv');
    writeFileSync(trace, 'time,sessions,cores,memory_mb,gpus\n00:00,5000,1,1024,0\n12:00,4000,1,1024,0\n');
    const cfg = baseConfig();
    cfg.providers = [cfg.providers[0]];
    cfg.autoscale = [{ ...cfg.autoscale[0], zone_name: 'default' }];
    const config = join(dir, 'sim.yaml');
    writeFileSync(config, stringify(cfg), { mode: 0o600 });
    const r = await stopMidRun(['simulate', '--trace', trace, config], tmp, 'SIGTERM');
    expect(r.code, r.stderr).toBe(143);
    expect(r.ms).toBeLessThan(10_000);
    expect(simDirs(tmp)).toEqual([]);
  }, 90_000);
});
