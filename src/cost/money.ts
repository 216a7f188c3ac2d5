/**
 * Money as kasm-scale reports it: amounts per ISO 4217 currency, never converted and never
 * added across currencies (an exchange rate is a guess we will not make for the operator).
 * A config whose providers name two currencies shows two amounts, "12.40 EUR + 3.10 USD".
 */
import type { Price } from '../core/price.js';

/** Amount per currency code; empty when nothing had a price. */
export type Money = Record<string, number>;

/** What one instance costs per hour: the instance price plus each of its GPUs. */
export function hourlyRate(price: NonNullable<Price>, gpus: number): number {
  return price.instance_hour + price.gpu_hour * gpus;
}

export function addMoney(into: Money, currency: string, amount: number): Money {
  into[currency] = (into[currency] ?? 0) + amount;
  return into;
}

/** Cents are what an invoice shows: round there, once, when reporting. */
export function roundMoney(m: Money): Money {
  return Object.fromEntries(
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, v]) => [c, Math.round(v * 100) / 100]),
  );
}

/** "12.40 EUR", "12.40 EUR + 3.10 USD"; undefined when there is nothing priced. */
export function formatMoney(m: Money, digits = 2): string | undefined {
  const parts = Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, v]) => `${v.toFixed(digits)} ${c}`);
  return parts.length ? parts.join(' + ') : undefined;
}

/**
 * b − a when both are in one and the same currency, else undefined: a difference across
 * currencies (or against an unpriced run) would be a made-up number.
 */
export function moneyDifference(a: Money, b: Money): { currency: string; amount: number } | undefined {
  const ca = Object.keys(a);
  const cb = Object.keys(b);
  if (ca.length !== 1 || cb.length !== 1 || ca[0] !== cb[0]) return undefined;
  return { currency: ca[0], amount: Math.round((b[cb[0]] - a[ca[0]]) * 100) / 100 };
}
