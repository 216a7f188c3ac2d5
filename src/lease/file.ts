/**
 * `lock: {type: file}` (the default): the lock file in the state dir (file-lock.ts). It
 * keeps passes on one machine (or one shared state dir) apart, nothing more.
 */
import { join } from 'node:path';
import { acquireLock, LOCK_NAME } from './file-lock.js';
import type { Lease, LeaseOptions } from './types.js';

export async function openFileLease(o: LeaseOptions & { holder: string }): Promise<Lease> {
  let lost: string | undefined;
  const lock = await acquireLock(o.stateDir, { warn: o.warn, onLost: (why) => (lost ??= why) });
  return {
    where: `file ${join(o.stateDir, LOCK_NAME)}`,
    holder: o.holder,
    lostReason: () => lost,
    confirm: () => Promise.resolve(lost),
    release: () => lock.release(),
  };
}
