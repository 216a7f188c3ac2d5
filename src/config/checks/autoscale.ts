import type { PathSegments } from '../problems.js';
import { autoscaleFields } from '../schema/autoscale.js';
import { valid, type CheckContext } from '../../core/fields/check-context.js';
import { checkSchedules } from './schedule.js';

/**
 * Rules across the file: provider names are unique (autoscale configs refer to them by
 * name), autoscale names are unique, references resolve, and a Kasm zone is scaled by at
 * most one enabled autoscale config (two would each count the other's agents as supply
 * and fight over launches and terminations).
 */
export function checkReferences(providers: unknown[], autoscale: unknown[], ctx: CheckContext): void {
  const providerByName = new Map<string, Record<string, unknown>>();
  providers.forEach((p, i) => {
    if (!isObject(p) || typeof p.vm_provider_config_name !== 'string') return;
    const name = p.vm_provider_config_name;
    if (providerByName.has(name))
      ctx.add(
        ['providers', i, 'vm_provider_config_name'],
        `duplicate provider name "${name}"; expected each vm_provider_config_name once (autoscale configs refer to providers by name)`,
      );
    else providerByName.set(name, p);
  });

  const names = new Set<string>();
  const zones = new Map<string, number>();
  autoscale.forEach((a, i) => {
    if (!isObject(a)) return;
    const at: PathSegments = ['autoscale', i];
    const name = valid(autoscaleFields.autoscale_config_name, a.autoscale_config_name);
    if (name !== undefined) {
      if (names.has(name))
        ctx.add(
          [...at, 'autoscale_config_name'],
          `duplicate autoscale config name "${name}"; expected each autoscale_config_name once`,
        );
      names.add(name);
    }
    const chain = providerChain(a, at, providerByName, ctx);
    const enabled = valid(autoscaleFields.enabled, a.enabled ?? true);
    const zone = valid(autoscaleFields.zone_name, a.zone_name);
    if (enabled && zone !== undefined) {
      const other = zones.get(zone);
      if (other !== undefined)
        ctx.add(
          [...at, 'zone_name'],
          `zone "${zone}" is already scaled by enabled autoscale config autoscale[${other}]; expected at most one enabled autoscale config per zone (disable one with enabled: false)`,
        );
      else zones.set(zone, i);
    }
    // A chain holds at most the sum of its providers' max_instances.
    const min = valid(autoscaleFields.minimum_instances, a.minimum_instances ?? 0);
    const maxes = chain.map((p) => valid(autoscaleFields.minimum_instances, p.max_instances));
    const max = maxes.every((m) => m !== undefined) ? maxes.reduce((s, m) => s + m!, 0) : undefined;
    if (chain.length && min !== undefined && max !== undefined && min > max)
      ctx.add(
        [...at, 'minimum_instances'],
        `minimum_instances ${min} is more than ${chain.length > 1 ? "the chain's max_instances together" : "the provider's max_instances"} ${max}; expected at most ${max}`,
        { found: min },
      );
    checkSchedules(a.schedules, [...at, 'schedules'], ctx, max);
  });
}

/**
 * The pool's providers, in chain order, as far as they resolve. Exactly one of
 * vm_provider_config_name (one provider) and vm_provider_config_names (a chain) is given;
 * each name in a chain is a provider of this file, named once. Providers of different
 * clouds may share a chain: each provider carries its whole launch request, so the planner
 * never needs to know a cloud (e.g. OCI spot first, GCP on-demand when it runs out).
 */
function providerChain(
  a: Record<string, unknown>,
  at: PathSegments,
  providerByName: Map<string, Record<string, unknown>>,
  ctx: CheckContext,
): Record<string, unknown>[] {
  const one = 'vm_provider_config_name';
  const many = 'vm_provider_config_names';
  if (a[one] !== undefined && a[many] !== undefined) {
    ctx.add(
      [...at, many],
      `both ${one} and ${many} are given; expected one of them (${many}: [${JSON.stringify(a[one])}, ...] if it is a chain)`,
      { atKey: true },
    );
    return [];
  }
  if (a[one] === undefined && a[many] === undefined) {
    ctx.add(
      [...at, one],
      `missing ${one}; expected the provider this autoscale config launches on (or ${many}: [first, fallback] for a chain)`,
      { atKey: true },
    );
    return [];
  }
  const refs: { name: string; path: PathSegments }[] = [];
  if (a[one] !== undefined) {
    const ref = valid(autoscaleFields.vm_provider_config_name, a[one]);
    if (ref !== undefined) refs.push({ name: ref, path: [...at, one] });
  } else if (valid(autoscaleFields.vm_provider_config_names, a[many]) !== undefined) {
    (a[many] as string[]).forEach((name, j) => refs.push({ name, path: [...at, many, j] }));
  }
  const seen = new Set<string>();
  const chain: Record<string, unknown>[] = [];
  for (const { name, path } of refs) {
    if (seen.has(name)) {
      ctx.add(
        path,
        `provider "${name}" is named twice in the chain; expected each provider once (a chain falls back to the NEXT provider)`,
      );
      continue;
    }
    seen.add(name);
    const provider = providerByName.get(name);
    if (!provider) {
      const known = [...providerByName.keys()];
      ctx.add(
        path,
        `no provider named "${name}"; expected ${known.length ? `one of ${known.map((k) => `"${k}"`).join(', ')}` : 'the name of a provider in providers (there are none)'}`,
      );
      continue;
    }
    chain.push(provider);
  }
  return chain;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
