import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockedError } from '../../src/lease/file-lock.js';
import { emptyState, withCapacityFailure } from '../../src/scaling/memory.js';
import { defaultStateDir, readState, writeState } from '../../src/scaling/state.js';
import { tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('state file', () => {
  it('defaults to $XDG_STATE_HOME/kasm-scale, else ~/.local/state/kasm-scale', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/var/lib/x', HOME: '/home/a' })).toBe('/var/lib/x/kasm-scale');
    expect(defaultStateDir({ HOME: '/home/a' })).toBe('/home/a/.local/state/kasm-scale');
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/a' })).toBe(
      '/home/a/.local/state/kasm-scale',
    );
  });

  it('round-trips and is written 0600', async () => {
    const s = withCapacityFailure(
      emptyState(),
      'oci',
      'AD-1',
      new Date('2025-01-01T00:00:00Z'),
      'Out of host capacity.',
    );
    await writeState(dir, s);
    expect(await readState(dir)).toEqual({ state: s, status: 'ok' });
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
  });

  it('a lost state file is a fresh start', async () => {
    expect(await readState(join(dir, 'never'))).toEqual({ state: emptyState(), status: 'missing' });
  });

  it.each([
    ['truncated JSON', '{"version":1,"pools":{'],
    ['wrong shape', '{"version":1,"pools":{"p":{"launches":"x","unhealthySince":{}}},"backoff":{}}'],
    [
      'bad date',
      '{"version":1,"pools":{},"backoff":{"a|b":{"until":"soon","delaySec":300,"failures":1,"lastFailureAt":"2025-01-01T00:00:00Z"}}}',
    ],
  ])('a corrupt state file (%s) is moved aside and reported, never trusted', async (_what, text) => {
    await writeFile(join(dir, 'state.json'), text);
    const r = await readState(dir, { now: new Date('2025-01-02T03:04:05Z') });
    expect(r.status).toBe('corrupt');
    expect(r.state).toEqual(emptyState());
    expect(r.note).toMatch(
      /state file .*state\.json is corrupt \(.+\); kept as .*state\.json\.corrupt-2025-01-02T03-04-05-000Z/,
    );
    expect(await readdir(dir)).toEqual(['state.json.corrupt-2025-01-02T03-04-05-000Z']);
  });
});

describe('lock', () => {
  it('a second pass is refused at once with exit code 4 while the first holds the lock', async () => {
    const first = await acquireLock(dir);
    const err = await acquireLock(dir).catch((e) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain(`pid ${process.pid} on ${hostname()}`);
    await first.release();
    const again = await acquireLock(dir);
    await again.release();
  });

  it('takes over the lock of a process that died, with a warning', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await mkdir(join(dir, 'reconcile.lock'));
    await writeFile(
      join(dir, 'reconcile.lock.json'),
      JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString() }),
    );
    const warnings: string[] = [];
    const lock = await acquireLock(dir, { warn: (l) => warnings.push(l) });
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(`taking over the stale lock .*: its process \\(pid ${dead} .*\\) is no longer running`),
      ),
    ]);
    expect(JSON.parse(await readFile(join(dir, 'reconcile.lock.json'), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock not refreshed for longer than the stale limit (holder froze or its machine is gone)', async () => {
    await mkdir(join(dir, 'reconcile.lock'));
    await writeFile(
      join(dir, 'reconcile.lock.json'),
      JSON.stringify({ pid: 1, host: 'another-host', startedAt: new Date().toISOString() }),
    );
    const old = new Date(Date.now() - 120_000);
    await utimes(join(dir, 'reconcile.lock'), old, old);
    const warnings: string[] = [];
    const lock = await acquireLock(dir, { warn: (l) => warnings.push(l), staleMs: 60_000 });
    expect(warnings[0]).toMatch(/has not been refreshed for 1[12]\d s \(pid 1 on another-host/);
    await lock.release();
  });

  it('takes over a lock older than the age limit even when its holder looks alive', async () => {
    await mkdir(join(dir, 'reconcile.lock'));
    await writeFile(
      join(dir, 'reconcile.lock.json'),
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        startedAt: new Date(Date.now() - 3600_000).toISOString(),
      }),
    );
    const warnings: string[] = [];
    const lock = await acquireLock(dir, { warn: (l) => warnings.push(l) });
    expect(warnings[0]).toMatch(/it is older than 30 min/);
    await lock.release();
  });
});

describe('stale lock takeover under contention', () => {
  /** Five passes meet the same stale lock at once; each holds what it got for a moment. */
  async function race(prepare: () => Promise<void>) {
    await prepare();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, async () => {
        try {
          const lock = await acquireLock(dir, { warn: () => {} });
          await new Promise((r) => setTimeout(r, 50));
          await lock.release();
          return 'ran';
        } catch (err) {
          return err instanceof LockedError ? 'locked' : `unexpected: ${(err as Error).message}`;
        }
      }),
    );
    return outcomes.sort();
  }

  it("exactly one of five passes takes over a dead holder's lock; the others are refused (exit 4)", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    for (let round = 0; round < 5; round++) {
      const outcomes = await race(async () => {
        await mkdir(join(dir, 'reconcile.lock'), { recursive: true });
        await writeFile(
          join(dir, 'reconcile.lock.json'),
          JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString() }),
        );
      });
      expect(outcomes).toEqual(['locked', 'locked', 'locked', 'locked', 'ran']);
    }
  });

  it('exactly one of five passes takes over a lock not refreshed for too long', async () => {
    for (let round = 0; round < 5; round++) {
      const outcomes = await race(async () => {
        await mkdir(join(dir, 'reconcile.lock'), { recursive: true });
        const old = new Date(Date.now() - 120_000);
        await utimes(join(dir, 'reconcile.lock'), old, old);
      });
      expect(outcomes).toEqual(['locked', 'locked', 'locked', 'locked', 'ran']);
    }
  });
});
