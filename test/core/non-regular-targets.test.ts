/**
 * Every writer replaces its target with a rename. A target that exists and is not a regular
 * file (a device node, a FIFO, a directory, or a symlink to one) must be refused with one
 * line and left exactly as it was: as root, a rename over `/dev/null` would replace it.
 * The nodes here are private (mknod/mkfifo in a temp dir), never the system's.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveStateFile, loadStateFile } from '../../src/emulators/common/state-file.js';
import { generateKeyFiles } from '../../src/clouds/oci/key-generate.js';
import { writeOciConfigProfile } from '../../src/clouds/oci/config-profile.js';
import { emptyState } from '../../src/scaling/memory.js';
import { writeState } from '../../src/scaling/state.js';
import { writeFileAtomic } from '../../src/core/files.js';
import { runCli, tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
/** Why device nodes cannot be made here (not root, or a container without CAP_MKNOD). */
let noMknod: string | undefined;

/** A character device with the numbers of /dev/null (1,3), private to this test. */
function makeNullNode(path: string): void {
  execFileSync('mknod', [path, 'c', '1', '3']);
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-nodes-'));
  try {
    makeNullNode(join(dir, 'probe'));
  } catch (err) {
    noMknod = `mknod is not allowed here (${(err as Error).message.split('\n')[0]})`;
  }
});
afterAll(() => cleanup?.());

const USER = 'ocid1.user.oc1..aaaaaaaauser4kasmscaletest0000000000000000000000000000000';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy4kasmscaletest00000000000000000000000000';

function expectCharDevice(path: string): void {
  expect(statSync(path).isCharacterDevice()).toBe(true);
}

describe('writers never replace a non-regular file', () => {
  it('refuses a FIFO, a directory and a symlink to a FIFO (no privileges needed)', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toMatchObject({
      exitCode: 2,
      message: `${fifo} is a named pipe (FIFO), not a regular file; it was left as it is`,
    });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const link = join(dir, 'pipe-link');
    symlinkSync(fifo, link);
    await expect(writeFileAtomic(link, 'x')).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('named pipe'),
    });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const sub = join(dir, 'a-dir');
    mkdirSync(sub);
    await expect(writeFileAtomic(sub, 'x')).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('is a directory, not a regular file'),
    });
    // A regular file is still replaced.
    writeFileSync(join(dir, 'plain'), 'old');
    await writeFileAtomic(join(dir, 'plain'), 'new');
  });

  it('keys oci-config, keys generate --force, the state file and the emulator --state leave a device node alone', async (ctx) => {
    if (noMknod) ctx.skip(noMknod);
    const keys = await generateKeyFiles({ dir: join(dir, 'keys'), name: 'k' });

    const configNode = join(dir, 'oci-config-node');
    makeNullNode(configNode);
    await expect(
      writeOciConfigProfile({
        user: USER,
        tenancy: TENANCY,
        region: 'us-ashburn-1',
        keyFile: keys.private_key_file,
        config: configNode,
      }),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('is a character device, not a regular file'),
    });
    expectCharDevice(configNode);

    // keys generate --force, the private key a symlink to a node: refused before anything is written.
    const gdir = join(dir, 'gen');
    mkdirSync(gdir);
    const keyNode = join(dir, 'key-node');
    makeNullNode(keyNode);
    symlinkSync(keyNode, join(gdir, 'k.pem'));
    await expect(generateKeyFiles({ dir: gdir, name: 'k', force: true })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('character device'),
    });
    expectCharDevice(keyNode);
    expect(() => statSync(join(gdir, 'k_public.pem'))).toThrow();

    const sdir = join(dir, 'state');
    mkdirSync(sdir);
    makeNullNode(join(sdir, 'state.json'));
    await expect(writeState(sdir, emptyState())).rejects.toMatchObject({ exitCode: 2 });
    expectCharDevice(join(sdir, 'state.json'));

    const emuNode = join(dir, 'emu-state');
    makeNullNode(emuNode);
    expect(() => loadStateFile(emuNode)).toThrow(/character device/);
    expect(() => saveStateFile(emuNode, { a: 1 })).toThrow(/character device/);
    expectCharDevice(emuNode);
  });

  it('demo --svg refuses a device node before simulating the day (built CLI)', async (ctx) => {
    if (noMknod) ctx.skip(noMknod);
    const node = join(dir, 'svg-node');
    makeNullNode(node);
    const r = await runCli(['demo', '--svg', node]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${node} is a character device, not a regular file`);
    expect(r.stdout).toBe('');
    expectCharDevice(node);
  });
});
