/**
 * doctor's lease check (a shared `lock:` only): take the lease and give it straight back.
 * It is the one doctor check that writes — the only way to know the identity may create,
 * renew and release the lease object. It holds the lease for one round trip: a reconcile
 * pass that starts in that instant exits 4 (another pass holds it), as it would beside
 * any other runner.
 */
import { CliError } from '../core/errors.js';
import type { KasmScaleConfig, LockSection } from '../config/types.js';
import { holderIdentity } from '../lease/clock.js';
import { LockedError } from '../lease/file-lock.js';
import type { CheckGroup, Outcome } from '../core/checks.js';

export function leaseChecks(
  config: KasmScaleConfig,
  lock: Exclude<LockSection, { type: 'file' }>,
): CheckGroup {
  return {
    name: lock.type,
    kind: 'lease',
    checks: [
      {
        id: 'lease',
        title: 'acquire and release the pass lease',
        run: async (): Promise<Outcome> => {
          const warnings: string[] = [];
          try {
            const { acquireLease } = await import('../lease/registry.js');
            const lease = await acquireLease(config, {
              stateDir: '',
              warn: (w) => warnings.push(w),
              holder: `doctor/${holderIdentity()}`,
            });
            await lease.release();
            return {
              status: warnings.length ? 'warn' : 'ok',
              detail: `took and released ${lease.where}${warnings.length ? `; ${warnings.join('; ')}` : ''}`,
              ...(warnings.length
                ? { hint: 'a pass stopped without releasing it; nothing to fix if that pass was killed' }
                : {}),
            };
          } catch (err) {
            if (err instanceof LockedError)
              return {
                status: 'warn',
                detail: err.message,
                hint: 'a reconcile pass holds it now; run doctor again once it ends',
              };
            if (err instanceof CliError)
              return { status: 'fail', detail: err.message, ...(err.hint ? { hint: err.hint } : {}) };
            throw err;
          }
        },
      },
    ],
  };
}
