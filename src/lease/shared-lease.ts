/**
 * A lease kept in a compare-and-swap store (object storage with conditional writes, a
 * Kubernetes Lease). Every write names the version it read, so of two runners that race,
 * exactly one write lands; the other learns it lost and does nothing.
 *
 * - acquire: no lease → create it; a lease whose holder renewed it less than a TTL ago →
 *   LockedError (exit 4, nothing done); an expired one (its holder died or froze) → taken
 *   over with a warning, again by a conditional write.
 * - renew: every TTL/3 while the pass runs, and before each batch of actions (confirm). A
 *   renewal that finds another version means another runner took the lease: the lease is
 *   lost and the pass stops acting. A renewal that fails for another reason (network) is
 *   retried; when no renewal has landed for a whole TTL, the lease counts as lost, since
 *   another runner may take it over from then on.
 *
 * Expiry compares timestamps written by different machines: their clocks must agree to
 * well within the TTL (NTP does). docs/lease.md says so.
 */
import { LockedError } from './file-lock.js';
import type { Lease, LeaseRecord, LeaseStore, Versioned } from './types.js';

export interface SharedLeaseOptions {
  ttlSeconds: number;
  holder: string;
  clock: () => number;
  warn: (line: string) => void;
  every: (fn: () => void, ms: number) => () => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

function describe(r: LeaseRecord): string {
  return `holder ${r.holder}, renewed at ${r.renewedAt}, TTL ${r.ttlSeconds} s`;
}

export function expiresAt(r: LeaseRecord): number {
  return Date.parse(r.renewedAt) + r.ttlSeconds * 1000;
}

export async function acquireSharedLease(store: LeaseStore, o: SharedLeaseOptions): Promise<Lease> {
  const now = o.clock();
  const mine = (transitions: number): LeaseRecord => ({
    holder: o.holder,
    acquiredAt: iso(now),
    renewedAt: iso(now),
    ttlSeconds: o.ttlSeconds,
    transitions,
  });
  const busy = (why: string) =>
    new LockedError(
      `another reconcile pass holds the lease ${store.where} (${why})`,
      'nothing was done; this is normal when passes overlap',
    );

  const seen: Versioned | undefined = await store.read();
  let version: string | undefined;
  let record: LeaseRecord;
  if (!seen) {
    record = mine(0);
    version = await store.create(record);
    if (!version) throw busy('another runner created it at the same moment');
  } else if (!seen.record) {
    record = mine(0);
    version = await store.replace(record, seen.version);
    if (!version) throw busy('another runner took it at the same moment');
  } else if (expiresAt(seen.record) > now) {
    throw busy(`${describe(seen.record)}, expires at ${iso(expiresAt(seen.record))}`);
  } else {
    record = mine(seen.record.transitions + 1);
    version = await store.replace(record, seen.version);
    if (!version) throw busy('another runner took over the expired lease at the same moment');
    o.warn(
      `took over the expired lease ${store.where} (${describe(seen.record)}): its holder stopped renewing it`,
    );
  }
  return heldLease(store, record, version, o);
}

function heldLease(
  store: LeaseStore,
  first: LeaseRecord,
  firstVersion: string,
  o: SharedLeaseOptions,
): Lease {
  let record = first;
  let version = firstVersion;
  let lost: string | undefined;
  let lastRenewal = Date.parse(first.renewedAt);
  let warnedFailure = false;
  /** Renewals run one at a time: each must name the version the previous one wrote. */
  let chain: Promise<void> = Promise.resolve();

  const renewOnce = async (): Promise<void> => {
    if (lost) return;
    const now = o.clock();
    const next = { ...record, renewedAt: iso(now) };
    try {
      const v = await store.replace(next, version);
      if (v) {
        record = next;
        version = v;
        lastRenewal = now;
        return;
      }
      const other = await store.read().catch(() => undefined);
      lost = other?.record
        ? `the lease ${store.where} was taken over by ${other.record.holder}`
        : `the lease ${store.where} was changed by another runner`;
    } catch (err) {
      if (now - lastRenewal >= record.ttlSeconds * 1000) {
        lost = `the lease ${store.where} could not be renewed for its whole TTL (${record.ttlSeconds} s): ${(err as Error).message}`;
      } else if (!warnedFailure) {
        warnedFailure = true;
        o.warn(`could not renew the lease ${store.where} (will retry): ${(err as Error).message}`);
      }
    }
  };
  const renew = () => (chain = chain.then(renewOnce));
  const stop = o.every(() => void renew(), Math.max(1000, Math.floor((o.ttlSeconds * 1000) / 3)));

  return {
    where: store.where,
    holder: o.holder,
    lostReason: () => {
      // No renewal for a whole TTL: another runner may already hold it, whatever the timer did.
      if (!lost && o.clock() - lastRenewal >= record.ttlSeconds * 1000)
        lost = `the lease ${store.where} was not renewed for its whole TTL (${record.ttlSeconds} s)`;
      return lost;
    },
    confirm: async () => {
      await renew();
      return lost;
    },
    release: async () => {
      stop();
      await chain;
      if (!lost) await store.free(version).catch(() => {});
      await store.close?.().catch(() => {});
    },
  };
}
