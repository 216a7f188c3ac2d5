/**
 * Which launches a pool needs, and why each one.
 *
 * Demand: for each resource (cores, memory, GPUs) where free + mid-drain capacity is below
 * standby + waiting sessions, enough agents to close the gap; the largest count wins and
 * names the binding resource. Floor: minimum_instances counted over live instances and
 * unconfirmed launches. The count is then capped, each cap with a note: the circuit
 * breaker (launches that never registered; one trial launch when it is due and nothing is
 * pending), every provider of the chain in backoff, max_launch_per_pass, and the room the
 * chain's providers have under their max_instances (all owned instances of all their pools).
 * Each launch is placed down the chain (chain.ts) with the later providers it may fall
 * through to, and gets a stable identity (launch-ids.ts) and its reason.
 */
import type { AutoscaleConfig } from '../config/types.js';
import { RESOURCES, RESOURCE_WORD, fmt } from './capacity.js';
import { launchIdentity } from './launch-ids.js';
import { chainWords, placeLaunches, type ChainTarget } from './chain.js';
import { activeBackoff, breakerStatus, type PoolMemory } from './memory.js';
import type { ChainMove, LaunchAction, LaunchOutcome, PlanInput, Resources } from './types.js';

export interface ScaleUpInput {
  pool: AutoscaleConfig;
  input: PlanInput;
  /** The chain's providers that can take launches now, and why the others cannot (chain.ts). */
  targets: ChainTarget[];
  moves: ChainMove[];
  /** Instances on each provider, all pools, this pass's earlier launches included. */
  providerCount: Record<string, number>;
  mem: PoolMemory;
  /** Kasm's demand was read (else only minimum_instances may launch). */
  measured: boolean;
  need: Resources;
  decisionFree: Resources;
  standby: Resources;
  waiting: Resources;
  size: Resources | undefined;
  /**
   * The agent size of a provider of the chain: each launch counts toward the deficit with
   * the size of the provider it is placed on, so the next pass (which sees that agent's real
   * size) neither launches again nor finds one too many to scale down.
   */
  sizeFor: (provider: string) => Resources | undefined;
  /** Live instances (not being cleaned up) plus unconfirmed launches. */
  liveCount: number;
  /** This pass's launch outcomes (assess.ts): never-registered findings feed the breaker at once. */
  outcomes: LaunchOutcome[];
  pendingCount: number;
  ownedCount: number;
  now: Date;
}

export interface ScaleUp {
  launches: LaunchAction[];
  /** Launches wanted before the caps (a pool that wants any does not scale down). */
  want: number;
  notes: string[];
}

export function planScaleUp(u: ScaleUpInput): ScaleUp {
  const { pool, input, targets, moves, providerCount, mem, measured, need, decisionFree, standby } = u;
  const { waiting, size, sizeFor, liveCount, outcomes, pendingCount, ownedCount, now } = u;
  const name = pool.autoscale_config_name;
  const chain = pool.vm_provider_config_names;
  const providerName = chain[0];
  const nowMs = now.getTime();
  const notes: string[] = [];
  let nDemand = 0;
  let binding: { r: (typeof RESOURCES)[number]; n: number } | undefined;
  if (measured) {
    // The sizes of the launches in the order the chain would place them (then `size` beyond).
    const slotSizes = placeLaunches(
      targets.reduce((sum, t) => sum + t.room, 0),
      targets,
      moves,
    ).map((p) => sizeFor(p.target.provider) ?? size);
    for (const r of RESOURCES) {
      const deficit = need[r] - decisionFree[r];
      if (deficit <= 1e-9) continue;
      if (!size) {
        notes.push(
          `free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < needed ${fmt(r, need[r])}, but the agent size is unknown (set agent_*_override or check the shape)`,
        );
        continue;
      }
      if (size[r] <= 0) {
        notes.push(
          `free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < needed ${fmt(r, need[r])}, but agents of this pool have no ${RESOURCE_WORD[r]}`,
        );
        continue;
      }
      let n = 0;
      let got = 0;
      for (; n < slotSizes.length && got < deficit - 1e-9; n++) got += slotSizes[n]?.[r] ?? 0;
      if (got < deficit - 1e-9) n += Math.ceil((deficit - got) / size[r] - 1e-9);
      if (n > nDemand) {
        nDemand = n;
        binding = { r, n };
      }
    }
  }
  const nMin = Math.max(0, pool.minimum_instances - liveCount);
  const want = Math.max(nDemand, nMin);
  let n = want;
  const launches: LaunchAction[] = [];
  if (want > 0) {
    // This pass's never-registered findings count at once (no launch into a known-broken pool).
    const nowIso = now.toISOString();
    const known = new Set(mem.launches.map((l) => l.serverId));
    const withThisPass = {
      ...mem,
      launches: [
        ...mem.launches.map((l) =>
          !l.outcome && outcomes.some((o) => o.serverId === l.serverId && o.outcome === 'never_registered')
            ? { ...l, outcome: 'never_registered' as const, resolvedAt: nowIso }
            : l,
        ),
        ...outcomes
          .filter((o) => o.outcome === 'never_registered' && !known.has(o.serverId))
          .map((o) => ({ serverId: o.serverId, at: nowIso, outcome: o.outcome, resolvedAt: nowIso })),
      ],
    };
    const breaker = breakerStatus(withThisPass, now);
    if (breaker.open) {
      const trial = breaker.trialAt && nowMs >= breaker.trialAt.getTime() && pendingCount === 0;
      notes.push(
        `stopped launching: ${breaker.failed} of the last ${breaker.resolved} launches never registered as agents; check the startup script` +
          (trial
            ? ' (one trial launch now)'
            : breaker.trialAt
              ? `; one trial launch is allowed from ${breaker.trialAt.toISOString()}`
              : ''),
      );
      n = trial ? Math.min(n, 1) : 0;
    }
    const backedOff = moves.filter((m) => m.why.includes('backoff until'));
    if (n > 0 && backedOff.length === chain.length) {
      notes.push(
        chain.length === 1
          ? `every zone of ${providerName} is in backoff after capacity/quota errors (until ${backoffUntil(input, providerName, now)})`
          : `every provider of the chain is in backoff after capacity/quota errors (${moves.map((m) => `${m.provider}: ${m.why}`).join('; ')})`,
      );
      n = 0;
    }
    if (n > pool.max_launch_per_pass) {
      notes.push(`launching ${pool.max_launch_per_pass} of ${n} this pass (max_launch_per_pass)`);
      n = pool.max_launch_per_pass;
    }
    const headroom = targets.reduce((sum, t) => sum + t.room, 0);
    if (n > headroom) {
      notes.push(
        chain.length === 1
          ? `launching ${headroom} of ${n}: provider ${providerName} has ${providerCount[providerName]} of max_instances ${input.providers[providerName].maxInstances}`
          : `launching ${headroom} of ${n}: the chain has no more room (${chain.map((pn) => `${pn} ${providerCount[pn]} of max_instances ${input.providers[pn].maxInstances}${moves.some((m) => m.provider === pn && m.why.includes('backoff')) ? ', in backoff' : ''}`).join('; ')})`,
      );
      n = headroom;
    }
    const placed = placeLaunches(n, targets, moves);
    for (let slot = 0; slot < n; slot++) {
      const at = placed[slot];
      const id = launchIdentity(name, now, slot, ownedCount, input.ownershipId);
      const byDemand = slot < nDemand && binding;
      const r = binding?.r ?? 'cores';
      const reason = byDemand
        ? `launch: free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < standby ${fmt(r, standby[r])}${waiting[r] > 0 ? ` + waiting ${fmt(r, waiting[r])}` : ''}`
        : `launch: ${liveCount} instance(s) < minimum_instances ${pool.minimum_instances}`;
      launches.push({
        kind: 'launch',
        pool: name,
        provider: at.target.provider,
        cause: byDemand ? (waiting[r] > 0 ? 'waiting' : 'standby') : 'minimum',
        ...id,
        zones: at.target.zones,
        ...(at.fallbacks.length ? { fallbacks: at.fallbacks } : {}),
        reason: (n > 1 ? `${reason} (${slot + 1} of ${n})` : reason) + chainWords(chain, at),
      });
    }
  }
  return { launches, want, notes };
}

function backoffUntil(input: PlanInput, provider: string, now: Date): string | undefined {
  return input.providers[provider].zones
    .map((z) => activeBackoff(input.memory, provider, z, now)?.until)
    .filter(Boolean)
    .sort()[0];
}
