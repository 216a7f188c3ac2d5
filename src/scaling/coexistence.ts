/**
 * Living next to Kasm's own autoscaler. Kasm can autoscale Docker agents itself (its
 * "autoscale configs"); when one of those is enabled for the same Kasm zone with the same
 * VM provider config as one of our pools, both would launch agents for the same demand and
 * the bill doubles. Such a pool is not acted on (doctor fails the check, reconcile skips
 * the pool with exit 3) unless the operator says both may run (--allow-kasm-autoscaler).
 *
 * Reading Kasm's configs needs the Autoscale View permission (and VM Provider View, to tell
 * which provider config one uses); without it the check cannot be made: a warning, never a
 * failure. Reading and matching live in ../kasm/autoscalers.ts (doctor uses them too).
 */
import type { AutoscaleConfig, Provider } from '../config/types.js';
import { competingKasmConfigs, type KasmAutoscalers } from '../kasm/autoscalers.js';
import type { KasmAutoscaleConfig, KasmZone } from '../kasm/types.js';
import type { Plan, PoolPlan } from './types.js';

/** The one-line reason a pool is not acted on, and the fix. */
export function competingReason(pool: AutoscaleConfig, found: KasmAutoscaleConfig[]): string {
  const names = found.map((c) => `"${c.autoscale_config_name}"`).join(', ');
  return (
    `Kasm's own autoscale config ${names} is enabled for zone "${pool.zone_name}" with provider config ${pool.vm_provider_config_names.join(' or ')}: ` +
    `two autoscalers would launch for the same demand; disable it in Kasm (its AutoScale config: Enabled off) or remove pool ${pool.autoscale_config_name} here ` +
    `(--allow-kasm-autoscaler acts anyway)`
  );
}

export interface CoexistenceVerdict {
  /** Pool name → the reason it is not acted on. */
  blocked: Map<string, string>;
  /** Pool name → a note when both run by the operator's choice. */
  allowed: Map<string, string>;
  /** Pass-level warnings (the check could not be made). */
  warnings: string[];
}

export function judgeCoexistence(
  pools: AutoscaleConfig[],
  providers: Provider[],
  seen: KasmAutoscalers | undefined,
  zones: KasmZone[],
  allow: boolean,
): CoexistenceVerdict {
  const verdict: CoexistenceVerdict = { blocked: new Map(), allowed: new Map(), warnings: [] };
  if (!seen) return verdict;
  if (seen.error) {
    verdict.warnings.push(seen.error);
    return verdict;
  }
  for (const pool of pools) {
    const found = competingKasmConfigs(pool, providers, seen, zones);
    if (found.length === 0) continue;
    if (allow)
      verdict.allowed.set(
        pool.autoscale_config_name,
        `Kasm's own autoscale config ${found.map((c) => `"${c.autoscale_config_name}"`).join(', ')} also scales this zone and provider config (acting anyway: --allow-kasm-autoscaler)`,
      );
    else verdict.blocked.set(pool.autoscale_config_name, competingReason(pool, found));
  }
  return verdict;
}

/** Error kind of a pool left alone because Kasm's own autoscaler scales it (exit 3). */
export const KASM_AUTOSCALER = 'kasm_autoscaler';

/**
 * The plan of the pools that were planned, with every blocked pool put back in config
 * order as a pool that was not acted on (its one-line reason as the error), and the
 * allowed ones carrying a note.
 */
export function withCoexistence(p: Plan, pools: AutoscaleConfig[], v: CoexistenceVerdict): Plan {
  if (v.blocked.size === 0 && v.allowed.size === 0) return p;
  const byName = new Map(p.pools.map((pp) => [pp.pool, pp]));
  const out: PoolPlan[] = [];
  for (const pool of pools) {
    const name = pool.autoscale_config_name;
    const reason = v.blocked.get(name);
    if (reason !== undefined) {
      out.push({
        pool: name,
        provider: pool.vm_provider_config_names[0],
        providers: pool.vm_provider_config_names,
        zone: pool.zone_name,
        error: { kind: KASM_AUTOSCALER, message: reason },
        actions: [],
        tagUpdates: [],
        notes: [],
        outcomes: [],
      });
      continue;
    }
    const pp = byName.get(name);
    if (!pp) continue;
    const note = v.allowed.get(name);
    out.push(note ? { ...pp, notes: [note, ...pp.notes] } : pp);
  }
  return { ...p, pools: out };
}
