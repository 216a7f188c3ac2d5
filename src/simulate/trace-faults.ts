/**
 * What a trace may say about the clouds besides demand: per provider, windows in which
 * its instances are preempted at a rate, and windows in which it has no capacity at all
 * (every launch answers out of capacity / stockout). Written in the document form of a
 * trace (YAML or JSON: `demand:` plus `faults:`; docs/simulate.md, "Faults in a trace").
 */
import { InputError } from '../core/errors.js';
import { parseClock } from './clock.js';

export type TraceFault =
  /** Each running instance of `provider` is preempted at `ratePerHour` (0.5: half of them per hour). */
  | { kind: 'preemption'; provider: string; from: number; to: number; ratePerHour: number }
  /** No capacity for `provider` from `from` to `to`: its launches fail as out of capacity. */
  | { kind: 'outage'; provider: string; from: number; to: number };

export const FAULT_KINDS = ['preemption', 'outage'] as const;

/** More than this is a typo (60 per hour: every instance is gone within a minute). */
const MAX_RATE = 60;

export function parseFaults(value: unknown, where: string): TraceFault[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new InputError(`${where}: faults is not a list`, {
      hint: 'write faults: [{kind: preemption, provider: NAME, from: "13:00", to: "14:00", rate_per_hour: 0.5}]',
    });
  return value.map((raw, i) => parseFault(raw, `${where}: faults[${i}]`));
}

function parseFault(raw: unknown, where: string): TraceFault {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError(`${where} is not an object`, {
      hint: 'each fault is {kind, provider, from, to} (and rate_per_hour for preemption)',
    });
  const f = raw as Record<string, unknown>;
  const known = new Set(['kind', 'provider', 'from', 'to', 'rate_per_hour']);
  const unknown = Object.keys(f).find((k) => !known.has(k));
  if (unknown)
    throw new InputError(`${where}.${unknown}: unknown key`, {
      hint: `a fault has ${[...known].join(', ')}`,
    });
  const kind = f.kind;
  if (kind !== 'preemption' && kind !== 'outage')
    throw new InputError(`${where}.kind is ${JSON.stringify(kind)}`, {
      hint: `expected one of ${FAULT_KINDS.join(', ')}`,
    });
  if (typeof f.provider !== 'string' || f.provider.trim() === '')
    throw new InputError(`${where}.provider is missing`, {
      hint: 'name the vm_provider_config_name the fault hits',
    });
  const from = parseClock(String(f.from ?? ''), `${where}.from`);
  const to = parseClock(String(f.to ?? ''), `${where}.to`);
  if (to <= from)
    throw new InputError(`${where}: to (${String(f.to)}) is not after from (${String(f.from)})`, {
      hint: 'a fault window runs from HH:MM to a later HH:MM of the same day (up to 24:00)',
    });
  if (kind === 'outage') {
    if (f.rate_per_hour !== undefined)
      throw new InputError(`${where}.rate_per_hour: an outage has no rate`, {
        hint: 'use kind: preemption for instances that are taken away',
      });
    return { kind, provider: f.provider, from, to };
  }
  const rate = typeof f.rate_per_hour === 'string' ? Number(f.rate_per_hour) : f.rate_per_hour;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE)
    throw new InputError(`${where}.rate_per_hour is ${JSON.stringify(f.rate_per_hour)}`, {
      hint: `expected a number above 0 and at most ${MAX_RATE}: the share of running instances preempted per hour (0.5 = half)`,
    });
  return { kind, provider: f.provider, from, to, ratePerHour: rate };
}

/** A fault naming a provider the config lacks would silently do nothing: one line instead. */
export function checkFaultProviders(faults: TraceFault[], providers: string[], where: string): void {
  for (const [i, f] of faults.entries())
    if (!providers.includes(f.provider))
      throw new InputError(`trace faults[${i}].provider "${f.provider}" is not a provider in ${where}`, {
        hint: `providers in the config: ${providers.join(', ')}`,
      });
}
