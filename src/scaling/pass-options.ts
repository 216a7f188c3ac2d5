/** What `reconcile` and `status` both read before a pass: the clock and the default concurrency. */
import { InputError } from '../core/errors.js';

/** Cloud calls in flight at once when neither --concurrency nor reconcile.concurrency says. */
export const DEFAULT_CONCURRENCY = 8;

/** KASM_SCALE_NOW (ISO) or the wall clock. */
export function parseNow(text: string | undefined): Date {
  if (!text) return new Date();
  const t = Date.parse(text);
  if (!Number.isFinite(t))
    throw new InputError(`KASM_SCALE_NOW=${text} is not a date`, {
      hint: 'give an ISO time such as 2025-01-06T08:00:00Z, or unset it',
    });
  return new Date(t);
}
