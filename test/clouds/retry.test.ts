import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryOnConflict, withRetry } from '../../src/clouds/retry.js';
import { CloudError, type CloudErrorKind } from '../../src/clouds/types.js';

class E extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    readonly retryAfterMs?: number,
  ) {
    super(kind);
  }
}
const classify = (e: unknown) => ({ kind: (e as E).kind, retryAfterMs: (e as E).retryAfterMs });

describe('withRetry', () => {
  it('retries throttled/transient with bounded full-jitter backoff, then succeeds', async () => {
    const delays: number[] = [];
    let n = 0;
    const out = await withRetry(
      async () => {
        n++;
        if (n === 1) throw new E('throttled', 3000);
        if (n === 2) throw new E('transient');
        return 'ok';
      },
      {
        classify,
        sleep: async (ms) => void delays.push(ms),
        random: () => 0.5,
        baseDelayMs: 100,
        maxDelayMs: 10_000,
      },
    );
    expect(out).toBe('ok');
    expect(delays).toEqual([3000, 100]); // Retry-After floor, then 0.5 * 200
  });

  it('never retries auth/capacity/quota/invalid', async () => {
    for (const kind of ['auth', 'capacity', 'quota', 'invalid', 'not_found'] as const) {
      let n = 0;
      await expect(
        withRetry(
          async () => {
            n++;
            throw new E(kind);
          },
          { classify, sleep: async () => {} },
        ),
      ).rejects.toThrow(kind);
      expect(n).toBe(1);
    }
  });

  it('stops after maxAttempts and rethrows the last error', async () => {
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new E('transient');
        },
        { classify, maxAttempts: 3, sleep: async () => {} },
      ),
    ).rejects.toThrow('transient');
    expect(n).toBe(3);
  });

  it('caps every delay, Retry-After included', () => {
    expect(backoffDelay(10, { baseDelayMs: 500, maxDelayMs: 2000, random: () => 0.999 })).toBeLessThanOrEqual(
      2000,
    );
    expect(
      backoffDelay(1, { baseDelayMs: 500, maxDelayMs: 2000, random: () => 0, retryAfterMs: 3_600_000 }),
    ).toBe(2000);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('junk')).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), () => 5_000)).toBe(5_000);
  });
});

describe('retryOnConflict', () => {
  const conflict = () =>
    new CloudError({ kind: 'invalid', cloud: 'oci', message: 'etag changed', status: 412 });

  it('runs the read-modify-write again after a 412, up to the attempts given', async () => {
    let n = 0;
    await expect(
      retryOnConflict(3, async () => (++n < 3 ? Promise.reject(conflict()) : 'written')),
    ).resolves.toBe('written');
    expect(n).toBe(3);
    n = 0;
    await expect(retryOnConflict(2, async () => (++n, Promise.reject(conflict())))).rejects.toMatchObject({
      status: 412,
    });
    expect(n).toBe(2);
  });

  it('passes any other failure straight through', async () => {
    let n = 0;
    const other = new CloudError({ kind: 'transient', cloud: 'gcp', message: 'boom', status: 503 });
    await expect(retryOnConflict(3, async () => (++n, Promise.reject(other)))).rejects.toBe(other);
    expect(n).toBe(1);
  });
});
