import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, tempDir } from './helpers/cli.js';

/**
 * README "Ten minutes from nothing to a working setup" runs as written: the test takes the
 * section's sh block from the README itself (so the README cannot drift from what works),
 * and runs it in bash in an empty folder with `kasm-scale` on PATH, as after a global
 * install. Only two things differ from a person at a terminal: the fixed ports become free
 * ones, and after a line that starts an emulator in the background the script waits until
 * its port answers (a person sees "listening" before typing on).
 */

const README = resolve(__dirname, '../README.md');

export function trialBlock(readme: string): string {
  const at = readme.indexOf('## Ten minutes from nothing to a working setup');
  const open = readme.indexOf('```sh\n', at);
  const close = readme.indexOf('\n```', open + 6);
  if (at < 0 || open < 0 || close < 0) throw new Error('README has no trial section with an sh block');
  return readme.slice(open + 6, close + 1);
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** The block as a script: free ports, and a wait for each background emulator's port. */
function asScript(block: string, ports: Map<string, number>): string {
  let text = block;
  for (const [from, to] of ports) text = text.replaceAll(from, String(to));
  const lines = text.split('\n').flatMap((line) => {
    const bg = /^kasm-scale emulator .*--port (\d+).*&/.exec(line);
    if (!bg) return [line];
    return [
      line,
      `for i in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/${bg[1]}) 2>/dev/null && break; sleep 0.1; done`,
    ];
  });
  // -e: any command of the README that fails fails the test; -x: stderr shows which one.
  return ['set -e -x', "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT", ...lines].join('\n');
}

function bash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

describe('README: the no-account trial', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('kasm-scale-trial-')));
  afterAll(() => cleanup());

  it('runs top to bottom as written: init, emulators, validate, doctor, render, submit, reconcile, simulate', async () => {
    const block = trialBlock(readFileSync(README, 'utf8'));
    // What the section promises to show, so a rewrite that drops a step is noticed.
    for (const step of [
      'emulator kasm',
      'init --answers',
      'emulator oci',
      '--for kasm-scale.yaml',
      'doctor',
      'config submit',
      'reconcile',
      'simulate --trace builtin:',
    ])
      expect(block).toContain(step);

    const home = join(dir, 'home');
    const work = join(dir, 'trial');
    const bin = join(dir, 'bin');
    for (const d of [home, work, bin]) mkdirSync(d, { recursive: true });
    // `kasm-scale` on PATH, as `npm install -g` makes it.
    writeFileSync(join(bin, 'kasm-scale'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'kasm-scale'), 0o755);

    const ports = new Map([
      ['8123', await freePort()],
      ['8125', await freePort()],
    ]);
    const env = {
      ...process.env,
      HOME: home,
      PATH: `${bin}:${process.env.PATH}`,
      NO_COLOR: '1',
      XDG_STATE_HOME: join(home, 'state'),
      KASM_SCALE_CONFIG: undefined,
    };
    const r = await bash(asScript(block, ports), work, env);
    const all = `${r.stdout}\n${r.stderr}`;
    expect(r.code, all.slice(-4000)).toBe(0);
    // What the commands printed (bash -x echoes each command line on stderr with a leading +).
    const printed = all
      .split('\n')
      .filter((l) => !l.startsWith('+'))
      .join('\n');

    // doctor passed every check (warnings allowed), submit created the provider, reconcile launched.
    expect(all).toMatch(/doctor: \d+ checks, \d+ passed, 0 failed/);
    expect(all).toMatch(/created|create/i);
    expect(all).toMatch(/launch/i);
    // The secrets of the trial never reach the screen.
    expect(printed).not.toContain('trial-manager-token');
    expect(printed).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // init wrote the manager token as a file reference, not inline.
    const config = readFileSync(join(work, 'kasm-scale.yaml'), 'utf8');
    expect(config).toMatch(/manager_token_file: .*kasm_manager_token/);
    expect(config).not.toContain('trial-manager-token');
  }, 180_000);
});
