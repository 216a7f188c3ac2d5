import type { PathSegments } from '../problems.js';
import { autoscaleFields } from '../schema/autoscale.js';
import { valid, type CheckContext } from './context.js';
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
    const ref = valid(autoscaleFields.vm_provider_config_name, a.vm_provider_config_name);
    const provider = ref === undefined ? undefined : providerByName.get(ref);
    if (ref !== undefined && !provider) {
      const known = [...providerByName.keys()];
      ctx.add(
        [...at, 'vm_provider_config_name'],
        `no provider named "${ref}"; expected ${known.length ? `one of ${known.map((k) => `"${k}"`).join(', ')}` : 'the name of a provider in providers (there are none)'}`,
      );
    }
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
    const min = valid(autoscaleFields.minimum_instances, a.minimum_instances ?? 0);
    const max = provider ? valid(autoscaleFields.minimum_instances, provider.max_instances) : undefined;
    if (min !== undefined && max !== undefined && min > max)
      ctx.add(
        [...at, 'minimum_instances'],
        `minimum_instances ${min} is more than the provider's max_instances ${max}; expected at most ${max}`,
        { found: min },
      );
    checkSchedules(a.schedules, [...at, 'schedules'], ctx, max);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
