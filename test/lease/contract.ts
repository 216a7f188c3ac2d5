/**
 * What every shared lease backend must do, run against each one's emulator with the
 * official client on the wire: one holder at a time, renewal, takeover after the TTL with
 * a warning, and a holder that lost its lease finding out on its next renewal.
 */
import { expect, it } from 'vitest';
import type { KasmScaleConfig } from '../../src/config/types.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { acquireLease } from '../../src/lease/registry.js';
import type { Lease, LeaseOptions } from '../../src/lease/types.js';

export interface LeaseWorld {
  config: KasmScaleConfig;
  extra?: Partial<LeaseOptions>;
  /** The stored record's holder, read from the emulator (undefined: no lease held). */
  holderInStore(): string | undefined;
}

const T0 = Date.parse('2030-01-06T08:00:00Z');

export function leaseContract(world: () => LeaseWorld): void {
  const runner = (name: string, clock: { t: number }, warnings: string[] = []) => {
    const w = world();
    let tick: (() => void) | undefined;
    const opened = acquireLease(w.config, {
      stateDir: '/nonexistent',
      warn: (l) => warnings.push(l),
      clock: () => clock.t,
      every: (fn) => {
        tick = fn;
        return () => (tick = undefined);
      },
      holder: name,
      ...w.extra,
    });
    return { opened, tick: () => tick?.() };
  };

  it('gives the lease to one runner at a time; the second is refused with the lock code', async () => {
    const clock = { t: T0 };
    const a = await runner('machine-a', clock).opened;
    expect(world().holderInStore()).toBe('machine-a');
    const b = runner('machine-b', clock).opened;
    await expect(b).rejects.toMatchObject({ exitCode: ExitCode.Locked });
    await expect(b).rejects.toThrow(/another reconcile pass holds the lease .*machine-a/);
    await a.release();
    expect(world().holderInStore()).toBeUndefined();
    const c = await runner('machine-c', clock).opened;
    expect(world().holderInStore()).toBe('machine-c');
    await c.release();
  });

  it('renewal keeps the lease; after a TTL without renewal it is taken over with a warning, and the old holder learns it lost', async () => {
    const clock = { t: T0 };
    const a = runner('machine-a', clock);
    const lease: Lease = await a.opened;
    clock.t += 20_000;
    a.tick(); // the renewal timer fires
    expect(await lease.confirm()).toBeUndefined();
    clock.t += 20_000; // 40 s after acquiring, 20 s after the renewal: still held (TTL 30 s)
    await expect(runner('machine-b', clock).opened).rejects.toMatchObject({ exitCode: ExitCode.Locked });

    clock.t += 11_000; // machine-a froze: 31 s since its last renewal
    expect(lease.lostReason()).toMatch(/not renewed for its whole TTL/);
    const warnings: string[] = [];
    const b = await runner('machine-b', clock, warnings).opened;
    expect(warnings.join('\n')).toMatch(/took over the expired lease .*holder machine-a/);
    expect(world().holderInStore()).toBe('machine-b');
    await lease.release(); // the loser gives back nothing: the lease is machine-b's
    expect(world().holderInStore()).toBe('machine-b');
    await b.release();
  });

  it('a holder whose lease was taken over finds out on its next renewal', async () => {
    const clock = { t: T0 };
    const a = await runner('machine-a', clock).opened;
    // machine-b's clock is ahead by more than the TTL (or machine-a was paused): it takes over.
    const b = await runner('machine-b', { t: T0 + 31_000 }).opened;
    expect(a.lostReason()).toBeUndefined(); // no I/O yet
    expect(await a.confirm()).toMatch(/taken over by machine-b|changed by another runner/);
    expect(a.lostReason()).toBeTruthy();
    await a.release();
    expect(world().holderInStore()).toBe('machine-b');
    await b.release();
  });
}
