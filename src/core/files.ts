import { statSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import { fsErrorToInput, InputError, OperationalError } from './errors.js';

/**
 * Writes a file atomically (temp file in the same folder, fsync, rename): after a crash or
 * a full disk the old file or the new one is there, never half of one. `mode` applies to
 * the new file; folders it has to create are 0700 (oci-cli's habit for ~/.oci).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: { mode?: number } = {},
): Promise<void> {
  await assertReplaceable(path);
  await ensureDir(dirname(path));
  try {
    await writeFileAtomicLib(path, data, { mode: opts.mode ?? 0o644, fsync: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC')
      throw new OperationalError(`cannot write ${path}: the disk is full`, {
        hint: 'free some space and run again; nothing was changed',
      });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new InputError(`cannot write ${path}: permission denied`, {
        hint: 'choose a folder you can write to',
      });
    throw new OperationalError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * An atomic write replaces the target by a rename, so it must only ever meet a regular
 * file (or nothing): renaming over a device node, a FIFO or a socket would swap the node
 * for a plain file (as root, `/dev/null` itself). Symlinks are followed, as the rename
 * is (write-file-atomic writes to the link's target).
 */
export async function assertReplaceable(path: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // nothing there yet (ensureDir reports a bad folder)
    throw fsErrorToInput(err, path);
  }
  refuseUnlessRegular(path, st);
}

/**
 * Before a command acts (launches, terminates): will writing `path` later work? The target
 * must be a regular file or absent, and an existing folder must be writable (a missing one
 * is created by the write). Catches the common mistakes early, so a pass that acted does
 * not fail afterwards; a later failure (full disk) is still possible and handled there.
 */
export async function checkWritableTarget(path: string, what: string): Promise<void> {
  try {
    await assertReplaceable(path);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${what}: ${err.message}`, { hint: err.hint });
    throw err;
  }
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR')
      throw new InputError(`${what} ${path}: a part of the folder path is a file`, {
        hint: 'choose another path',
      });
    throw new InputError(`${what} ${path} cannot be written: folder ${dir} is not writable (${code})`, {
      hint: 'choose a folder you can write to; nothing was done',
    });
  }
}

/** The same check for the synchronous writers (the emulators' --state). */
export function assertReplaceableSync(path: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw fsErrorToInput(err, path);
  }
  refuseUnlessRegular(path, st);
}

function refuseUnlessRegular(path: string, st: Stats): void {
  if (st.isFile()) return;
  throw new InputError(`${path} is ${kindOf(st)}, not a regular file; it was left as it is`, {
    hint: 'give the path of a regular file to write',
  });
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A file that holds a secret (private key, config with a passphrase, state with tokens): 0600. */
export function writeSecretFileAtomic(path: string, data: string | Buffer): Promise<void> {
  return writeFileAtomic(path, data, { mode: 0o600 });
}

/**
 * Writes `data` to a new temp file beside `path` (same folder, so a rename is atomic),
 * synced to disk, and returns its name; the caller renames it into place or removes it.
 * For writes that must replace several files together (a key pair). Raw fs errors.
 */
export async function writeTempBeside(path: string, data: string | Buffer, mode: number): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(temp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
  return temp;
}

/** mkdir -p with 0700 for every folder it creates (existing folders keep their mode). */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new InputError(`${dir} exists and is not a folder`, { hint: 'choose another path' });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new InputError(`cannot create folder ${dir}: permission denied`, {
        hint: 'choose a folder you can write to',
      });
    throw new OperationalError(`cannot create folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads a user-named file, or standard input for `-`, turning fs errors into one-line InputErrors. */
export async function readInput(pathOrDash: string, what = 'file'): Promise<Buffer> {
  if (pathOrDash === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(pathOrDash);
  } catch (err) {
    throw fsErrorToInput(err, pathOrDash, what);
  }
}

/** `~` and `~/x` → the home folder. */
export function expandHome(p: string, home = process.env.HOME ?? ''): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home}${p.slice(1)}`;
  return p;
}
