/**
 * One pass at a time per state dir. proper-lockfile does the locking (an atomic mkdir of
 * `reconcile.lock`, its mtime refreshed while the pass runs); beside it
 * `reconcile.lock.json` says who holds it, so a person (and the next pass) can tell a
 * live pass from a dead one.
 *
 * A lock is stale, and taken over with a warning, when its holder is a process on this
 * host that no longer runs, when it has not been refreshed for `staleMs` (the holder
 * froze or its machine went away), or when it is older than `maxAgeMs` whatever else.
 *
 * Taking over is atomic: check-stale, remove, lock is done only while holding a second,
 * short-lived lock (`reconcile.lock.takeover`, an atomic mkdir), and the stale lock is
 * removed only if it is still the very directory (inode and mtime) that was judged stale.
 * Without that, two passes that both saw the stale lock could both remove and retake it
 * (or one remove the other's fresh lock): two passes at once.
 */
import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CliError, InputError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { ensureDir } from '../core/files.js';

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
  /** Inode of the lock directory this owner created: an owner file left by an older lock is not trusted. */
  lockIno?: number;
}

/** A takeover never takes longer than this; an older takeover lock is from a crashed pass. */
const TAKEOVER_STALE_MS = 30_000;

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
  /** Called when the lock was lost while held (its directory removed or replaced). */
  onLost?: (why: string) => void;
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

const describe = (o: Owner | undefined) =>
  o ? `pid ${o.pid} on ${o.host}, since ${o.startedAt}` : 'holder unknown';

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
    const takeOver = await staleReason(lockPath, ownerFile, existing, { staleMs, maxAgeMs, clock });
    if (takeOver)
      await takeOverStale(lockPath, ownerFile, existing, takeOver, { staleMs, maxAgeMs, clock, warn });
  }

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: staleMs,
      retries: 0,
      onCompromised: (err) => {
        const why = `the lock ${lockPath} was lost while this pass ran (${err.message}); another pass may be running`;
        warn(why);
        opts.onLost?.(why);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      const owner = await readOwner(ownerFile);
      throw new LockedError(
        `another reconcile pass holds the lock ${lockPath} (${describe(owner)})`,
        'nothing was done; this is normal when passes overlap',
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new InputError(
        `state dir ${dir} is not writable (${code}): the pass cannot take its lock there`,
        { hint: 'give --state-dir a folder this user can write to; nothing was done' },
      );
    throw err;
  }
  const lockIno = (await stat(lockPath).catch(() => undefined))?.ino;
  const me: Owner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(clock()).toISOString(),
    ...(lockIno ? { lockIno } : {}),
  };
  await writeFile(ownerFile, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  return {
    path: lockPath,
    release: async () => {
      // Only our own owner file: after a takeover it belongs to the pass that took over.
      const owner = await readOwner(ownerFile);
      if (owner && owner.pid === me.pid && owner.startedAt === me.startedAt && owner.host === me.host)
        await rm(ownerFile, { force: true });
      await release().catch(() => {});
    },
  };
}

interface StaleLimits {
  staleMs: number;
  maxAgeMs: number;
  clock: () => number;
}

/** Why the lock seen as `seen` is stale, or undefined while its holder looks alive. */
async function staleReason(
  lockPath: string,
  ownerFile: string,
  seen: { ino: number; mtimeMs: number },
  limits: StaleLimits,
): Promise<string | undefined> {
  const found = await readOwner(ownerFile);
  // An owner file that names another lock directory (a new lock whose holder has not written
  // its own yet) says nothing about this one.
  const owner = found && (found.lockIno === undefined || found.lockIno === seen.ino) ? found : undefined;
  const age = owner ? limits.clock() - Date.parse(owner.startedAt) : NaN;
  const quiet = limits.clock() - seen.mtimeMs;
  if (owner && owner.host === hostname() && !pidAlive(owner.pid))
    return `its process (${describe(owner)}) is no longer running`;
  if (age > limits.maxAgeMs)
    return `it is older than ${Math.round(limits.maxAgeMs / 60_000)} min (${describe(owner)})`;
  if (quiet > limits.staleMs)
    return `it has not been refreshed for ${Math.round(quiet / 1000)} s (${describe(owner)})`;
  return undefined;
}

async function takeOverStale(
  lockPath: string,
  ownerFile: string,
  seen: { ino: number; mtimeMs: number },
  why: string,
  o: StaleLimits & { warn: (l: string) => void },
): Promise<void> {
  const guard = `${lockPath}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const g = await stat(guard).catch(() => undefined);
    if (g && o.clock() - g.mtimeMs > TAKEOVER_STALE_MS) await rmdir(guard).catch(() => {}); // a pass crashed mid-takeover; the next one proceeds
    throw new LockedError(
      `another reconcile pass is taking over the stale lock ${lockPath}`,
      'nothing was done; this is normal when passes overlap',
    );
  }
  try {
    // Under the guard, look again: remove only the same stale directory we judged.
    const now = await stat(lockPath).catch(() => undefined);
    if (!now || now.ino !== seen.ino || now.mtimeMs !== seen.mtimeMs) return; // taken over or released meanwhile: the normal lock attempt decides
    o.warn(`taking over the stale lock ${lockPath}: ${why}`);
    await rm(ownerFile, { force: true });
    await rm(lockPath, { recursive: true, force: true });
  } finally {
    await rmdir(guard).catch(() => {});
  }
}
