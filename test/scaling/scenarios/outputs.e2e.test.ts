/**
 * A pass that acts must never lose its report: the files it writes afterwards (state file,
 * --metrics-file) are checked before it acts, and a write that still fails afterwards (a
 * full disk) is a warning with exit 3 while the report comes out. BUILT CLI × emulators.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));

function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `${cmd} ${args[0]} is not allowed here (${
      String((err as { stderr?: Buffer }).stderr ?? (err as Error).message)
        .trim()
        .split('\n')[0]
    })`;
  }
}

describe('reconcile outputs', () => {
  it('a --metrics-file that is a directory or a device node, or a state dir that cannot be written, stops the pass before it acts (exit 2)', async () => {
    s = await scenario({ pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0 }] });
    const asDir = join(s.dir, 'metrics-dir');
    await mkdir(asDir);
    const r1 = await s.pass(['--metrics-file', asDir]);
    expect(r1.code, r1.stderr).toBe(2);
    expect(r1.stderr).toContain(`--metrics-file: ${asDir} is a directory, not a regular file`);
    expect(live(s)).toHaveLength(0);

    const node = join(s.dir, 'metrics-node');
    if (!tryRun('mknod', [node, 'c', '1', '3'])) {
      const r2 = await s.pass(['--metrics-file', node]);
      expect(r2.code, r2.stderr).toBe(2);
      expect(r2.stderr).toContain('is a character device, not a regular file');
      expect((await stat(node)).isCharacterDevice()).toBe(true);
      expect(live(s)).toHaveLength(0);
    }

    await mkdir(s.stateDir, { recursive: true });
    const why = tryRun('chattr', ['+i', s.stateDir]);
    if (why) return; // the checks above ran; an immutable folder needs chattr
    try {
      const r3 = await s.pass();
      expect(r3.code, r3.stderr).toBe(2);
      expect(r3.stderr).toMatch(/state file .*state\.json cannot be written: folder .* is not writable/);
      expect(live(s)).toHaveLength(0);
    } finally {
      execFileSync('chattr', ['-i', s.stateDir]);
    }
    const ok = await s.pass();
    expect(ok.code, ok.stderr).toBe(0);
    expect(live(s)).toHaveLength(1);
  });

  it('a state dir and metrics file on a disk that fills up: the pass acts, prints its whole report, warns, exits 3', async (ctx) => {
    s = await scenario({ pools: [{ name: 'office', minimum_instances: 1, standby_cores: 0 }] });
    const small = join(s.dir, 'small');
    const full = join(s.dir, 'full');
    await mkdir(small);
    await mkdir(full);
    // One 4 KiB page each. In `small` the lock's owner file takes it, so the state file cannot
    // be written; `full` is filled up front, so the metrics cannot be (its folder is writable).
    const why = tryRun('mount', ['-t', 'tmpfs', '-o', 'size=4k,mode=0700', 'tmpfs', small]);
    if (why) ctx.skip(why);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k,mode=0700', 'tmpfs', full]);
      await writeFile(join(full, 'filler'), Buffer.alloc(4096));
      const stateDir = join(small, 'state');
      const metrics = join(full, 'kasm-scale.prom');
      // The harness gives its own --state-dir first; the last one given wins.
      const run = await s.pass(['--state-dir', stateDir, '--metrics-file', metrics]);
      expect(run.code, run.stderr).toBe(3);
      expect(run.doc.pools[0].actions.map((a: any) => [a.kind, a.status])).toEqual([['launch', 'done']]);
      expect(run.doc.warnings.join('\n')).toMatch(/could not save the state file in .*state: .*disk is full/);
      expect(run.doc.warnings.join('\n')).toMatch(
        /could not write --metrics-file .*kasm-scale\.prom: .*disk is full/,
      );
      expect(run.doc.summary.exit_code).toBe(3);
      expect(live(s)).toHaveLength(1);
    } finally {
      execFileSync('umount', [small]);
      tryRun('umount', [full]);
    }
  });
});
