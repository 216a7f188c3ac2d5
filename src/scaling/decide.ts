/**
 * From what a pass observed to its plan, the same for `reconcile` and `status`: the pools
 * Kasm's own autoscaler also scales are left out (unless allowed), launches sent by earlier
 * passes and not listed yet count as pending (intents), orphans get their grace. `status`
 * shows exactly what the next pass would decide, because it decides through this too.
 */
import { ownershipIdOf } from '../clouds/ownership.js';
import type { AutoscaleConfig, KasmScaleConfig } from '../config/types.js';
import { judgeCoexistence, withCoexistence, type CoexistenceVerdict } from './coexistence.js';
import { openIntents, type LaunchIntent } from './intents.js';
import type { ScalingState } from './memory.js';
import type { Observation } from './observe.js';
import { DEFAULT_ORPHAN_GRACE_SEC } from './orphans.js';
import { plan } from './plan.js';
import type { Plan } from './types.js';

export interface DecideOptions {
  config: KasmScaleConfig;
  pools: AutoscaleConfig[];
  obs: Observation;
  memory: ScalingState;
  /** Every intent the state dir holds; the open ones are kept here. */
  intents: LaunchIntent[];
  careful?: string;
  /** Why orphans are not reaped this pass (--keep-orphans, a pass limited by --autoscale). */
  orphansOff?: string;
  /** Demand came from a snapshot: no Kasm writes (drains, re-enables, deregistrations). */
  kasmWritable: boolean;
  allowKasmAutoscaler: boolean;
  now: Date;
}

export function decide(o: DecideOptions): {
  plan: Plan;
  coexist: CoexistenceVerdict;
  openIntents: LaunchIntent[];
} {
  const { obs } = o;
  const intents = openIntents(o.intents, o.now, (provider) => {
    const listed = obs.providers[provider]?.instances;
    return listed ? new Set(listed.map((i) => i.serverId)) : undefined;
  });
  const coexist = judgeCoexistence(
    o.pools,
    o.config.providers,
    obs.kasmAutoscalers,
    obs.demand?.zones ?? [],
    o.allowKasmAutoscaler,
  );
  const ownershipId = ownershipIdOf(o.config);
  const planned = plan(
    {
      pools: o.pools.filter((p) => !coexist.blocked.has(p.autoscale_config_name)),
      providers: obs.providers,
      ...(obs.demand ? { demand: obs.demand } : {}),
      ...(obs.demandError ? { demandError: obs.demandError } : {}),
      memory: o.memory,
      ...(o.careful ? { careful: o.careful } : {}),
      ...(ownershipId ? { ownershipId } : {}),
      knownPools: o.config.autoscale.map((a) => a.autoscale_config_name),
      orphans: {
        graceSec: o.config.reconcile?.orphan_grace ?? DEFAULT_ORPHAN_GRACE_SEC,
        ...(o.orphansOff ? { off: o.orphansOff } : {}),
      },
      kasmWritable: o.kasmWritable,
      ...(intents.length ? { intents } : {}),
    },
    o.now,
  );
  return { plan: withCoexistence(planned, o.pools, coexist), coexist, openIntents: intents };
}
