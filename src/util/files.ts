import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import { fsErrorToInput, InputError, OperationalError } from '../cli/errors.js';

/**
 * Writes a file atomically (temp file in the same folder, fsync, rename): after a crash or
 * a full disk the old file or the new one is there, never half of one. `mode` applies to
 * the new file; folders it has to create are 0700 (oci-cli's habit for ~/.oci).
 */
export async function writeFileAtomic(path: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
  await ensureDir(dirname(path));
  try {
    await writeFileAtomicLib(path, data, { mode: opts.mode ?? 0o644, fsync: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new OperationalError(`cannot write ${path}: the disk is full`, { hint: 'free some space and run again; nothing was changed' });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new InputError(`cannot write ${path}: permission denied`, { hint: 'choose a folder you can write to' });
    throw new OperationalError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** A file that holds a secret (private key, config with a passphrase, state with tokens): 0600. */
export function writeSecretFileAtomic(path: string, data: string | Buffer): Promise<void> {
  return writeFileAtomic(path, data, { mode: 0o600 });
}

/** mkdir -p with 0700 for every folder it creates (existing folders keep their mode). */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new InputError(`${dir} exists and is not a folder`, { hint: 'choose another path' });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new InputError(`cannot create folder ${dir}: permission denied`, { hint: 'choose a folder you can write to' });
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
