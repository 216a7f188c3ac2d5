/**
 * What a pool costs per hour right now: its instances the cloud bills (every state but
 * stopped and terminated: a booting or terminating instance is billed too), each at the
 * price of the provider it runs on (a pool's provider chain spans several), GPUs included.
 * Pure: the figures are plan()'s, the prices the config's.
 */
import type { Price } from '../core/price.js';
import type { Provider } from '../config/types.js';
import { isBilled } from '../scaling/billed.js';
import type { PoolFigures } from '../scaling/types.js';
import { hourlyRate } from './money.js';

export interface HourlyCost {
  /** Per hour, rounded to 4 decimals (a Prometheus gauge; reports round further). */
  amount: number;
  currency: string;
  /** Instances counted. */
  instances: number;
}

export function billedInstances(figures: PoolFigures): number {
  return Object.entries(figures.instances)
    .filter(([state]) => isBilled(state))
    .reduce((n, [, v]) => n + v, 0);
}

/**
 * The pool's cost per hour, `provider` being its first (preferred) provider. In a chain each
 * provider's billed instances are priced at that provider's price; the cost is unknown
 * (undefined) when a provider holding billed instances has no price, or the prices are in
 * different currencies (no exchange rate is ours to pick).
 */
export function poolCostPerHour(
  figures: PoolFigures,
  prices: ReadonlyMap<string, NonNullable<Price>>,
  provider: string,
): HourlyCost | undefined {
  const gpus = figures.agentSize?.gpus ?? 0;
  const parts = figures.chain
    ? figures.chain.map((c) => ({ price: prices.get(c.provider), instances: c.billed }))
    : [{ price: prices.get(provider), instances: billedInstances(figures) }];
  const first = prices.get(provider) ?? parts.find((p) => p.price)?.price;
  if (!first) return undefined;
  let amount = 0;
  let instances = 0;
  for (const p of parts) {
    if (p.instances === 0) continue;
    if (!p.price || p.price.currency !== first.currency) return undefined;
    amount += p.instances * hourlyRate(p.price, gpus);
    instances += p.instances;
  }
  return { amount: Math.round(amount * 10_000) / 10_000, currency: first.currency, instances };
}

/** Each provider's price by vm_provider_config_name (only those that have one). */
export function pricesOf(providers: Provider[]): Map<string, NonNullable<Price>> {
  return new Map(providers.flatMap((p) => (p.price ? [[p.vm_provider_config_name, p.price] as const] : [])));
}
