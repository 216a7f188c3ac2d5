/**
 * Which launches a pool needs, and why each one.
 *
 * Demand: for each resource (cores, memory, GPUs) where free + mid-drain capacity is below
 * standby + waiting sessions, enough agents to close the gap; the largest count wins and
 * names the binding resource. Floor: minimum_instances counted over live instances and
 * unconfirmed launches. The count is then capped, each cap with a note: the circuit
 * breaker (launches that never registered; one trial launch when it is due and nothing is
 * pending), zones all in backoff, max_launch_per_pass, and the provider's max_instances
 * (all owned instances of all its pools). Every launch gets a stable identity (launch-ids.ts)
 * and its reason.
 */
import type { AutoscaleConfig } from '../config/types.js';
import { RESOURCES, RESOURCE_WORD, fmt } from './capacity.js';
import { launchIdentity } from './launch-ids.js';
import { activeBackoff, breakerStatus, type PoolMemory } from './memory.js';
import type { LaunchAction, LaunchOutcome, PlanInput, ProviderSupply, Resources } from './types.js';

export interface ScaleUpInput {
  pool: AutoscaleConfig;
  input: PlanInput;
  prov: ProviderSupply;
  mem: PoolMemory;
  /** Kasm's demand was read (else only minimum_instances may launch). */
  measured: boolean;
  need: Resources;
  decisionFree: Resources;
  standby: Resources;
  waiting: Resources;
  size: Resources | undefined;
  /** Live instances (not being cleaned up) plus unconfirmed launches. */
  liveCount: number;
  /** This pass's launch outcomes (assess.ts): never-registered findings feed the breaker at once. */
  outcomes: LaunchOutcome[];
  pendingCount: number;
  ownedCount: number;
  /** Instances on the provider, all pools, this pass's earlier launches included. */
  providerInstances: number;
  now: Date;
}

export interface ScaleUp {
  launches: LaunchAction[];
  /** Launches wanted before the caps (a pool that wants any does not scale down). */
  want: number;
  notes: string[];
}

export function planScaleUp(u: ScaleUpInput): ScaleUp {
  const { pool, input, prov, mem, measured, need, decisionFree, standby, waiting, size, liveCount } = u;
  const { outcomes, pendingCount, ownedCount, providerInstances, now } = u;
  const name = pool.autoscale_config_name;
  const providerName = pool.vm_provider_config_name;
  const nowMs = now.getTime();
  const notes: string[] = [];
  let nDemand = 0;
  let binding: { r: (typeof RESOURCES)[number]; n: number } | undefined;
  if (measured) {
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
      const n = Math.ceil(deficit / size[r] - 1e-9);
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
    const zones = prov.zones.filter((z) => !activeBackoff(input.memory, providerName, z, now));
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
    if (n > 0 && zones.length === 0) {
      const until = prov.zones
        .map((z) => activeBackoff(input.memory, providerName, z, now)?.until)
        .filter(Boolean)
        .sort()[0];
      notes.push(`every zone of ${providerName} is in backoff after capacity/quota errors (until ${until})`);
      n = 0;
    }
    if (n > pool.max_launch_per_pass) {
      notes.push(`launching ${pool.max_launch_per_pass} of ${n} this pass (max_launch_per_pass)`);
      n = pool.max_launch_per_pass;
    }
    const headroom = Math.max(0, prov.maxInstances - providerInstances);
    if (n > headroom) {
      notes.push(
        `launching ${headroom} of ${n}: provider ${providerName} has ${providerInstances} of max_instances ${prov.maxInstances}`,
      );
      n = headroom;
    }
    for (let slot = 0; slot < n; slot++) {
      const id = launchIdentity(name, now, slot, ownedCount, input.ownershipId);
      const byDemand = slot < nDemand && binding;
      const r = binding?.r ?? 'cores';
      const reason = byDemand
        ? `launch: free ${RESOURCE_WORD[r]} ${fmt(r, decisionFree[r])} < standby ${fmt(r, standby[r])}${waiting[r] > 0 ? ` + waiting ${fmt(r, waiting[r])}` : ''}`
        : `launch: ${liveCount} instance(s) < minimum_instances ${pool.minimum_instances}`;
      launches.push({
        kind: 'launch',
        pool: name,
        provider: providerName,
        cause: byDemand ? (waiting[r] > 0 ? 'waiting' : 'standby') : 'minimum',
        ...id,
        zones,
        reason: n > 1 ? `${reason} (${slot + 1} of ${n})` : reason,
      });
    }
  }
  return { launches, want, notes };
}
