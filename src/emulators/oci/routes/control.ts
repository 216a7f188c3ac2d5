/**
 * The emulator's own control API under /__emulator/ (unsigned: it is how a test, `demo` or
 * a curl sets the emulator up, not part of OCI): faults, preemption, API keys, the clock
 * signed dates are checked against, seed, buckets, and the instances as they stand.
 * A handler answers 200 with the JSON it returns; it throws to refuse (400, or an ApiError's
 * own status).
 */
import type { OciFault, OciPreemption } from '../faults.js';
import { preempt } from '../preemption.js';
import type { OciSeed } from '../store.js';
import type { OciWorld } from '../world.js';

export interface ControlRoute {
  method: string;
  path: string;
  /** `body` is the request's JSON, `{}` when there is none or it is not JSON. */
  handler: (w: OciWorld, body: Record<string, any>) => unknown;
}

export function addFault(w: OciWorld, body: Record<string, any>): unknown {
  w.setFault(body as OciFault);
  return { faults: w.faults.list() };
}

export function clearFaults(w: OciWorld): unknown {
  w.faults.clear();
  return { faults: [] };
}

export const listFaults = (w: OciWorld): unknown => ({ faults: w.faults.list() });

export const preemptNow = (w: OciWorld, body: Record<string, any>): unknown => ({
  preempted: preempt(w, body as OciPreemption),
});

export function registerKey(w: OciWorld, b: Record<string, any>): unknown {
  const keyId = w.registerApiKey(
    b.keyId ?? { tenancy: b.tenancy, user: b.user, fingerprint: b.fingerprint },
    String(b.publicKeyPem ?? ''),
  );
  return { keyId };
}

/** Puts the emulator's clock for signed dates this far ahead (or behind, negative) of real time. */
export function skewClock(w: OciWorld, b: Record<string, any>): unknown {
  w.authSkewMs = Number(b.skewMs ?? 0);
  if (!Number.isFinite(w.authSkewMs)) throw new Error('skewMs must be a number of milliseconds');
  return { skewMs: w.authSkewMs, now: new Date(w.authNow()).toISOString() };
}

export function seed(w: OciWorld, body: Record<string, any>): unknown {
  w.applySeed(body as OciSeed);
  w.save();
  return { seed: w.state.seed };
}

export function createBucket(w: OciWorld, b: Record<string, any>): unknown {
  w.objectStore.buckets[String(b.name)] ??= {};
  w.save();
  return { buckets: Object.keys(w.objectStore.buckets) };
}

export function listInstances(w: OciWorld): unknown {
  w.refresh();
  return { instances: w.state.instances.map((i) => w.view(i)) };
}
