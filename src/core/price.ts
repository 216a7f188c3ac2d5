import { z } from 'zod';

/**
 * `price:` on a provider (kasm-scale's own key, never sent to Kasm): what one instance of
 * it costs per hour, and per GPU-hour on top, in one ISO 4217 currency. Only reports use
 * it (simulate, demo, status, metrics); without it nothing shows a cost.
 */

/**
 * ISO 4217 codes as the runtime's ICU data knows them (Intl.supportedValuesOf), so the
 * list is not ours to keep up to date.
 */
export const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** A price: a number (or a decimal string, what `${ENV}` yields) ≥ 0. */
function amount(what: string) {
  const expected = `${what}: a number ≥ 0, such as 0.12`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected ${expected}` })
      .min(0, { error: `expected ${expected}; a price cannot be negative` })
      .refine(Number.isFinite, { error: `expected ${expected}` }),
  );
}

export const priceSchema = z
  .strictObject({
    instance_hour: amount('the price of one instance-hour').describe(
      'Price of one instance for one hour (its vCPUs, memory and boot disk), in `currency`',
    ),
    gpu_hour: amount('the price of one GPU for one hour')
      .default(0)
      .describe('Price of one GPU for one hour, added per GPU of the instance (default 0)'),
    currency: z
      .string({ error: 'expected an ISO 4217 currency code such as EUR or USD' })
      .refine((c) => CURRENCIES.has(c), {
        error: (issue) =>
          `expected an ISO 4217 currency code such as EUR or USD${typeof issue.input === 'string' && CURRENCIES.has(issue.input.toUpperCase()) ? ` (in capitals: ${issue.input.toUpperCase()})` : ''}`,
      })
      .describe('ISO 4217 currency code of both prices, such as EUR or USD'),
  })
  .optional()
  .describe(
    'kasm-scale only (never sent to Kasm): what this provider costs, for the cost that simulate, demo, status and the metrics show; e.g. {instance_hour: 0.12, gpu_hour: 0.9, currency: EUR}',
  );

export type Price = z.output<typeof priceSchema>;
