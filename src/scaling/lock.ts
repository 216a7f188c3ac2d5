/**
 * One pass at a time per state dir. proper-lockfile does the locking (an atomic mkdir of
 * `reconcile.lock`, its mtime refreshed while the pass runs); beside it
 * `reconcile.lock.json` says who holds it, so a person (and the next pass) can tell a
 * live pass from a dead one.
 *
 * A lock is stale, and taken over with a warning, when its holder is a process on this
 * host that no longer runs, when it has not been refreshed for `staleMs` (the holder
 * froze or its machine went away), or when it is older than `maxAgeMs` whatever else.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CliError, InputError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { ensureDir } from '../util/files.js';

export const LOCK_NAME = 'reconcile.lock';
export const DEFAULT_STALE_MS = 60_000;
export const DEFAULT_MAX_AGE_MS = 30 * 60_000;

export class LockedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.Locked, hint });
    this.name = 'LockedError';
  }
}

interface Owner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface Lock {
  path: string;
  release(): Promise<void>;
}

export interface LockOptions {
  staleMs?: number;
  maxAgeMs?: number;
  warn?: (line: string) => void;
  /** Wall clock for lock ages (the lock is about real processes, not the pass's `now`). */
  clock?: () => number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<Owner | undefined> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

const describe = (o: Owner | undefined) => (o ? `pid ${o.pid} on ${o.host}, since ${o.startedAt}` : 'holder unknown');

export async function acquireLock(dir: string, opts: LockOptions = {}): Promise<Lock> {
  const staleMs = Math.max(5_000, opts.staleMs ?? DEFAULT_STALE_MS);
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const warn = opts.warn ?? (() => {});
  const clock = opts.clock ?? Date.now;
  await ensureDir(dir);
  const lockPath = join(dir, LOCK_NAME);
  const ownerFile = `${lockPath}.json`;

  const existing = await stat(lockPath).catch(() => undefined);
  if (existing) {
    const owner = await readOwner(ownerFile);
    const age = owner ? clock() - Date.parse(owner.startedAt) : NaN;
    const quiet = clock() - existing.mtimeMs;
    let takeOver: string | undefined;
    if (owner && owner.host === hostname() && !pidAlive(owner.pid)) takeOver = `its process (${describe(owner)}) is no longer running`;
    else if (age > maxAgeMs) takeOver = `it is older than ${Math.round(maxAgeMs / 60_000)} min (${describe(owner)})`;
    else if (quiet > staleMs) takeOver = `it has not been refreshed for ${Math.round(quiet / 1000)} s (${describe(owner)})`;
    if (takeOver) {
      warn(`taking over the stale lock ${lockPath}: ${takeOver}`);
      await rm(lockPath, { recursive: true, force: true });
    }
  }

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: staleMs,
      retries: 0,
      onCompromised: (err) => warn(`the lock ${lockPath} was lost while this pass ran (${err.message}); another pass may be running`),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      const owner = await readOwner(ownerFile);
      throw new LockedError(`another reconcile pass holds the lock ${lockPath} (${describe(owner)})`, 'nothing was done; this is normal when passes overlap');
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new InputError(`state dir ${dir} is not writable (${code}): the pass cannot take its lock there`, { hint: 'give --state-dir a folder this user can write to; nothing was done' });
    throw err;
  }
  const me: Owner = { pid: process.pid, host: hostname(), startedAt: new Date(clock()).toISOString() };
  await writeFile(ownerFile, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  return {
    path: lockPath,
    release: async () => {
      await rm(ownerFile, { force: true });
      await release().catch(() => {});
    },
  };
}
