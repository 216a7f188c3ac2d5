/**
 * Who holds the lease and what time it is, as the lease sees it.
 *
 * The lease clock runs: renewals during a pass must move it forward. With KASM_SCALE_NOW
 * (simulations, tests) it starts at that time and runs on from there, so a test can put a
 * second "machine" past the first one's TTL without sleeping.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function holderIdentity(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

export function leaseClock(start?: Date): () => number {
  if (!start) return Date.now;
  const offset = start.getTime() - Date.now();
  return () => Date.now() + offset;
}

export function everyUnref(fn: () => void, ms: number): () => void {
  const t = setInterval(fn, ms);
  t.unref();
  return () => clearInterval(t);
}
