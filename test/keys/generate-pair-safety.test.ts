/**
 * `keys generate` replaces the key pair as a pair: a full disk or a file that cannot be
 * replaced leaves the old pair (or nothing) on disk, never a new private key without its
 * public half or the registered private key gone, and the message says what is on disk.
 * Real faults: a small tmpfs that fills up, and immutable files (chattr +i).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFiles } from '../../src/clouds/oci/key-generate.js';
import { tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('kasm-scale-pair-')));
afterAll(() => cleanup?.());

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

describe('keys generate on a full disk', () => {
  it('leaves no orphan private key and says nothing was changed', async (ctx) => {
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    // Three 4 KiB pages; the filler takes two, so the private key fits and the public key does not.
    const why = tryRun('mount', ['-t', 'tmpfs', '-o', 'size=12k,mode=0700', 'tmpfs', mnt]);
    if (why) ctx.skip(why);
    try {
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(8192));
      await expect(generateKeyFiles({ dir: mnt, name: 'k' })).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/the disk is full; nothing was changed$/),
      });
      expect(readdirSync(mnt)).toEqual(['filler']);
      // With room again, the same command works (no leftover blocks it).
      execFileSync('rm', [join(mnt, 'filler')]);
      await generateKeyFiles({ dir: mnt, name: 'k' });
      expect(readdirSync(mnt).sort()).toEqual(['k.pem', 'k_public.pem']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe('keys generate --force with a file that cannot be replaced', () => {
  for (const which of ['k_public.pem', 'k.pem']) {
    it(`keeps the old pair when ${which} is immutable`, async (ctx) => {
      const gdir = join(dir, `imm-${which}`);
      await generateKeyFiles({ dir: gdir, name: 'k' });
      const before = {
        priv: readFileSync(join(gdir, 'k.pem'), 'utf8'),
        pub: readFileSync(join(gdir, 'k_public.pem'), 'utf8'),
      };
      const why = tryRun('chattr', ['+i', join(gdir, which)]);
      if (why) ctx.skip(why);
      try {
        await expect(generateKeyFiles({ dir: gdir, name: 'k', force: true })).rejects.toMatchObject({
          exitCode: 2,
          message: expect.stringMatching(
            /permission denied .*; nothing was changed: the old files are as they were$/,
          ),
        });
      } finally {
        execFileSync('chattr', ['-i', join(gdir, which)]);
      }
      expect(readFileSync(join(gdir, 'k.pem'), 'utf8')).toBe(before.priv);
      expect(readFileSync(join(gdir, 'k_public.pem'), 'utf8')).toBe(before.pub);
      expect(readdirSync(gdir).sort()).toEqual(['k.pem', 'k_public.pem']);
    });
  }
});
