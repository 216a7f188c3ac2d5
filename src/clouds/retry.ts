/**
 * Our one retry policy for cloud calls (both adapters use it; the SDKs' own retries are
 * switched off so a call is never retried twice over). Only `throttled` and `transient`
 * failures are retried: capacity, quota, auth and invalid requests would fail the same way
 * again, and reconcile has better answers for them (another AD, backoff, a clear message).
 *
 * Delays: exponential with "full jitter" (AWS architecture blog: random in [0, cap)), which
 * spreads many runners retrying at once; a server's Retry-After (seconds) is honoured as a
 * floor, and everything is bounded by maxDelayMs so a hostile header cannot stall a pass.
 */
import { CloudError, type CloudErrorKind } from './types.js';

export interface RetryOptions {
  /** Maps any thrown value to its kind; `retryAfterMs` when the error carries Retry-After. */
  classify: (err: unknown) => { kind: CloudErrorKind; retryAfterMs?: number };
  /** Total attempts including the first (default 4). */
  maxAttempts?: number;
  /** First backoff cap (default 500 ms). */
  baseDelayMs?: number;
  /** Upper bound of any single wait, Retry-After included (default 20 s). */
  maxDelayMs?: number;
  /** Injected in tests so no real clock is waited on. */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) random source for jitter (tests pin it). */
  random?: () => number;
  /** Called before each wait (for --verbose output). */
  onRetry?: (info: { attempt: number; delayMs: number; kind: CloudErrorKind; error: unknown }) => void;
}

export const RETRYABLE: ReadonlySet<CloudErrorKind> = new Set(['throttled', 'transient']);

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before attempt `attempt + 1` (attempt counts from 1). Exported for tests. */
export function backoffDelay(
  attempt: number,
  opts: { baseDelayMs: number; maxDelayMs: number; random: () => number; retryAfterMs?: number },
): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(opts.random() * cap);
  const floor = opts.retryAfterMs !== undefined && opts.retryAfterMs > 0 ? opts.retryAfterMs : 0;
  return Math.min(opts.maxDelayMs, Math.max(jittered, floor));
}

/** Runs fn, retrying throttled/transient failures; rethrows the last error as thrown. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const baseDelayMs = opts.baseDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 20_000;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const { kind, retryAfterMs } = opts.classify(err);
      if (!RETRYABLE.has(kind) || attempt >= maxAttempts) throw err;
      const delayMs = backoffDelay(attempt, { baseDelayMs, maxDelayMs, random, retryAfterMs });
      opts.onRetry?.({ attempt, delayMs, kind, error: err });
      await sleep(delayMs);
    }
  }
}

/**
 * A read-modify-write under the cloud's optimistic lock (OCI's etag, GCP's label
 * fingerprint): 412 means the object changed between our read and our write, so `fn`
 * (which reads afresh each time) runs again, at most `attempts` times in all.
 */
export async function retryOnConflict<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CloudError && err.status === 412 && attempt < attempts) continue;
      throw err;
    }
  }
}

/**
 * Parses a Retry-After header value: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = String(value).trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now());
}
