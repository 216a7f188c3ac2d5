/**
 * Provider chains: a pool names its providers in order of preference
 * (`vm_provider_config_names`, normalised at load: one provider is a chain of one). Pure
 * rules used by plan(), no I/O:
 *
 * - where launches go: the first provider not in backoff on every zone and with room under
 *   its max_instances (counted over every pool on it); a launch that fills a provider
 *   moves the next one down the chain in the same pass;
 * - where a launch may fall through to at apply time (a capacity, quota or preemption-class
 *   answer): the later providers of the chain, each within the room this plan leaves on it
 *   (Plan.spare), so no provider ever goes above its max_instances;
 * - which agents scale-down removes first: those on the last providers of the chain, so a
 *   pool drifts back to its preferred providers through ordinary drains, never by
 *   terminating a busy agent.
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { KasmServer } from '../kasm/types.js';
import { activeBackoff } from './memory.js';
import { belongsTo } from '../clouds/ownership.js';
import type { ChainMove, LaunchTarget, PlanInput } from './types.js';

/**
 * The pool's instances on every provider of its chain, each with its provider; or why the
 * pool cannot be planned: every provider must be listed, as an unlisted one could hold this
 * pool's instances (launches would overshoot, scale-down would count wrong).
 */
export function chainSupply(
  chain: string[],
  pool: string,
  input: PlanInput,
): { onProvider: Map<OwnedInstance, string> } | { error: { kind: string; message: string } } {
  const onProvider = new Map<OwnedInstance, string>();
  for (const name of chain) {
    const p = input.providers[name];
    if (!p) return { error: { kind: 'config', message: `provider ${name} is not defined in the config` } };
    if (!p.instances)
      return { error: p.error ?? { kind: 'unknown', message: `instances on ${name} could not be listed` } };
    for (const i of p.instances) if (belongsTo(i, pool)) onProvider.set(i, name);
  }
  return { onProvider };
}

export interface ChainTarget extends LaunchTarget {
  /** Launches this provider can still take this pass (max_instances minus every owned instance). */
  room: number;
}

/** The pool's providers that can take launches now, in chain order, and why the others cannot. */
export function chainTargets(
  chain: string[],
  input: PlanInput,
  providerCount: Record<string, number>,
  now: Date,
): { targets: ChainTarget[]; moves: ChainMove[] } {
  const targets: ChainTarget[] = [];
  const moves: ChainMove[] = [];
  for (const name of chain) {
    const prov = input.providers[name];
    if (!prov) continue;
    const zones = prov.zones.filter((z) => !activeBackoff(input.memory, name, z, now));
    if (zones.length === 0) {
      const entries = prov.zones
        .map((z) => activeBackoff(input.memory, name, z, now))
        .filter((e) => e !== undefined)
        .sort((a, b) => a.until.localeCompare(b.until));
      const last = entries.find((e) => e.lastError)?.lastError;
      moves.push({
        provider: name,
        why: `${last ? oneLineOf(last) : 'capacity/quota errors'}, backoff until ${entries[0]?.until ?? '?'}`,
      });
      continue;
    }
    const count = providerCount[name] ?? 0;
    const room = Math.max(0, prov.maxInstances - count);
    if (room === 0) {
      moves.push({ provider: name, why: `full (${count} of max_instances ${prov.maxInstances})` });
      continue;
    }
    targets.push({ provider: name, zones, room });
  }
  return { targets, moves };
}

export interface Placement {
  target: LaunchTarget;
  /** Later providers of the chain the launch may fall through to at apply time. */
  fallbacks: LaunchTarget[];
  /** Why the providers before `target` were passed over (empty: the preferred one). */
  passedOver: ChainMove[];
}

/** Up to `n` launches placed down the chain: each on the first target with room left. */
export function placeLaunches(n: number, targets: ChainTarget[], moves: ChainMove[]): Placement[] {
  const left = targets.map((t) => t.room);
  const out: Placement[] = [];
  for (let slot = 0; slot < n; slot++) {
    const ix = left.findIndex((r) => r > 0);
    if (ix < 0) break;
    left[ix]--;
    const filled = targets.slice(0, ix).map((t) => ({
      provider: t.provider,
      why: `full with this pass's launches (max_instances)`,
    }));
    out.push({
      target: { provider: targets[ix].provider, zones: targets[ix].zones },
      fallbacks: targets.slice(ix + 1).map((t) => ({ provider: t.provider, zones: t.zones })),
      passedOver: [...moves, ...filled],
    });
  }
  return out;
}

/** The words a launch reason gets in a chain: where it goes and why the chain moved. */
export function chainWords(chain: string[], p: Placement): string {
  if (chain.length < 2) return '';
  const before = new Set(chain.slice(0, chain.indexOf(p.target.provider)));
  const why = p.passedOver.filter((m) => before.has(m.provider));
  return why.length
    ? ` (${why.map((m) => `${m.provider}: ${m.why}`).join('; ')}; launching on ${p.target.provider})`
    : ` (on ${p.target.provider})`;
}

/**
 * Scale-down order within a chain: agents on later providers go first (rank 0 is the
 * last provider), so the preferred providers are the ones that stay.
 */
export function chainRank(chain: string[], providerOf: (i: OwnedInstance) => string) {
  return (i: OwnedInstance): number => chain.length - 1 - chain.indexOf(providerOf(i));
}

/** Room each provider has left once this plan's launches are counted (Plan.spare). */
export function spareRoom(input: PlanInput, providerCount: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(input.providers))
    out[name] = Math.max(0, p.maxInstances - (providerCount[name] ?? 0));
  return out;
}

/**
 * Where a gone agent's instance was, and whether that provider is spot (then it was
 * preempted). A preempted OCI instance stays listed as terminated for a while; a GCP Spot VM
 * is deleted, so the pool remembers each agent's provider (PoolMemory.agentProviders). Unknown:
 * the first provider, spot only if every provider of the chain is (a chain of one: its own).
 */
export function goneOn(chain: string[], input: PlanInput, remembered: Record<string, string> | undefined) {
  const terminatedOn = new Map<string, string>();
  for (const pn of chain)
    for (const i of input.providers[pn]?.instances ?? [])
      if (i.state === 'terminated') terminatedOn.set(i.serverId, pn);
  const spotAll = chain.every((pn) => input.providers[pn]?.spot === true);
  return (agent: KasmServer): { provider: string; spot: boolean } => {
    const known = terminatedOn.get(agent.server_id) ?? remembered?.[agent.server_id];
    if (known && chain.includes(known) && input.providers[known])
      return { provider: known, spot: input.providers[known].spot === true };
    return { provider: chain[0], spot: spotAll };
  };
}

/**
 * The provider of each of the pool's agents, for the next pass's goneOn(): its instances now,
 * and the gone agents not yet deregistered (kept until they are). Only chains of mixed
 * spot and on-demand providers need it; other pools keep nothing.
 */
export function agentProviders(
  chain: string[],
  input: PlanInput,
  owned: OwnedInstance[],
  providerOf: (i: OwnedInstance) => string,
  gone: KasmServer[],
  remembered: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const spots = new Set(chain.map((pn) => input.providers[pn]?.spot === true));
  if (spots.size < 2) return undefined;
  const out: Record<string, string> = {};
  for (const i of owned) out[i.serverId] = providerOf(i);
  for (const g of gone) if (remembered?.[g.server_id]) out[g.server_id] = remembered[g.server_id];
  return out;
}

const oneLineOf = (s: string) => s.replace(/\s+/g, ' ').trim();
