/**
 * What a pool costs per hour right now: its instances the cloud bills (every state but
 * stopped and terminated: a booting or terminating instance is billed too) times its
 * provider's price, GPUs included. Pure: the figures are plan()'s, the price the config's.
 */
import type { Price } from '../core/price.js';
import type { Provider } from '../config/types.js';
import type { PoolFigures } from '../scaling/types.js';
import { hourlyRate } from './money.js';

const NOT_BILLED = new Set(['stopped', 'terminated']);

export interface HourlyCost {
  /** Per hour, rounded to 4 decimals (a Prometheus gauge; reports round further). */
  amount: number;
  currency: string;
  /** Instances counted. */
  instances: number;
}

export function billedInstances(figures: PoolFigures): number {
  return Object.entries(figures.instances)
    .filter(([state]) => !NOT_BILLED.has(state))
    .reduce((n, [, v]) => n + v, 0);
}

export function poolCostPerHour(figures: PoolFigures, price: Price): HourlyCost | undefined {
  if (!price) return undefined;
  const instances = billedInstances(figures);
  const amount = instances * hourlyRate(price, figures.agentSize?.gpus ?? 0);
  return { amount: Math.round(amount * 10_000) / 10_000, currency: price.currency, instances };
}

/** Each provider's price by vm_provider_config_name (only those that have one). */
export function pricesOf(providers: Provider[]): Map<string, NonNullable<Price>> {
  return new Map(providers.flatMap((p) => (p.price ? [[p.vm_provider_config_name, p.price] as const] : [])));
}
