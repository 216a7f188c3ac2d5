import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli, tempDir } from './helpers/cli.js';
import { baseConfig } from './config/fixtures.js';

/**
 * Ordinary faults are usage or input errors with their own one line and exit code, never
 * the "unexpected" line that means a bug (exit 1): a state.json that is a folder, a state
 * dir this user cannot write, an emulator's bad --state / --host / another kind's flag,
 * impossible --demand numbers, a --metrics-file folder that does not exist, a group
 * command without its subcommand, and a usage error under --json.
 */
let dir: string;
let cleanup: () => Promise<void>;
let config: string;

/** One line on stderr, the given exit code, and not the bug class. */
function expectOneLine(r: { code: number | null; stderr: string }, code: number, text: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).not.toMatch(/unexpected|\n\s+at /);
  expect(r.stderr).toMatch(text);
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:')),
  ).toHaveLength(1);
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-faults-'));
  const cfg = baseConfig();
  // Nothing listens there: no test below gets as far as a cloud.
  for (const p of cfg.providers) p.endpoint = 'http://127.0.0.1:9';
  config = join(dir, 'kasm-scale.yaml');
  writeFileSync(config, stringify(cfg), { mode: 0o600 });
});
afterAll(() => cleanup());

describe('reconcile: ordinary faults of its files', () => {
  it('state.json that is a folder: exit 2, says so', async () => {
    const state = join(dir, 'state-folder');
    mkdirSync(join(state, 'state.json'), { recursive: true });
    const r = await runCli(['reconcile', config, '--state-dir', state, '--demand', '-'], {
      input: '{"servers":[],"kasms":[]}',
    });
    expectOneLine(r, 2, /state file: .*state\.json is a directory, not a regular file/);
  });

  it('a state dir this user cannot write: exit 2, names the folder', async () => {
    const state = join(dir, 'read-only-state');
    mkdirSync(state);
    chmodSync(state, 0o555);
    // root writes anywhere: run the CLI as nobody then (the folder is still read-only for it).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(dir, 0o755);
      chmodSync(config, 0o644);
    }
    const r = await runCli(['reconcile', config, '--state-dir', state, '--demand', '-'], {
      input: '{"servers":[],"kasms":[]}',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expectOneLine(r, 2, /state file .*read-only-state is not writable/);
  });

  it('impossible --demand numbers: negative or infinite cores are refused, exit 2', async () => {
    for (const [doc, text] of [
      [
        '{"servers":[],"kasms":[{"kasm_id":"a","cores":-2,"memory":1,"gpus":0}]}',
        /kasms\[0\]\.cores is -2; expected a finite number ≥ 0/,
      ],
      [
        '{"servers":[{"server_id":"s","cores":1e999,"memory":1}],"kasms":[]}',
        /servers\[0\]\.cores is infinite/,
      ],
    ] as const) {
      const r = await runCli(['reconcile', config, '--dry-run', '--demand', '-'], { input: doc });
      expectOneLine(r, 2, text);
    }
  });

  it('--metrics-file in a folder that does not exist: refused before the pass, nothing created', async () => {
    const missing = join(dir, 'no-such-folder');
    const r = await runCli(
      ['reconcile', config, '--dry-run', '--demand', '-', '--metrics-file', join(missing, 'kasm.prom')],
      { input: '{"servers":[],"kasms":[]}' },
    );
    expectOneLine(r, 2, /--metrics-file .*folder .*no-such-folder does not exist/);
    expect(readdirSync(dir)).not.toContain('no-such-folder');
  });
});

describe('emulator: bad flags are usage errors', () => {
  it("--state that is a folder or not JSON, --host that is not this machine, another kind's flag: exit 2 each", async () => {
    const bad = join(dir, 'bad-state.json');
    writeFileSync(bad, '{bad');
    for (const [args, text] of [
      [['kasm', '--state', dir], /--state file .* is a directory/],
      [['oci', '--state', bad], /--state file .*bad-state\.json is not JSON/],
      [
        ['kasm', '--host', 'no-such-host.invalid'],
        /--host no-such-host\.invalid is not an address or a name that resolves/,
      ],
      [['oci', '--api-key', 'k'], /--api-key is a flag of the kasm emulator, not of the oci emulator/],
      [['kasm', '--for', config], /--for is a flag of the oci and gcp emulators, not of the kasm emulator/],
    ] as const) {
      const r = await runCli(['emulator', ...args], { timeoutMs: 20_000 });
      expectOneLine(r, 2, text);
    }
  });
});

describe('usage', () => {
  it('config or keys without a subcommand: help on stderr, exit 2', async () => {
    for (const group of ['config', 'keys']) {
      const r = await runCli([group]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Usage: kasm-scale (config|keys)/);
    }
  });

  it('a usage error under --json is a JSON document on stdout too', async () => {
    const r = await runCli(['config', 'validate', '--json', '--bogus']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { message: expect.stringContaining('--bogus'), exit_code: 2 },
    });
  });
});
