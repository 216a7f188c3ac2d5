/**
 * How big one agent of a pool is, and which waiting sessions can ever fit on one.
 *
 * Each resource (cores, memory, GPUs) is resolved on its own, in Kasm's order:
 * 1. the pool's override (agent_*_override; 0 means "no override", as in Kasm's form),
 * 2. what the pool's registered agents report (Kasm's own override-or-actual figure),
 * 3. the shape / machine type as the cloud describes it (a type without GPUs has 0).
 * A pool with two overrides set still needs the shape for the third resource, so the
 * cloud is asked whenever any resource has no override (needsCloudSize).
 */
import type { AgentSize } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmSession } from '../kasm/types.js';
import { RESOURCES, RESOURCE_WORD, add, fmt, sessionSize, zero, type ResourceName } from './capacity.js';
import type { Resources } from './types.js';

/** The pool's overrides, where set (0 = no override). */
export function overrideSize(pool: AutoscaleConfig): Partial<Resources> {
  const o: Partial<Resources> = {};
  if (pool.agent_cores_override > 0) o.cores = pool.agent_cores_override;
  if (pool.agent_memory_override_gb > 0) o.memoryMb = pool.agent_memory_override_gb * 1024;
  if (pool.agent_gpus_override > 0) o.gpus = pool.agent_gpus_override;
  return o;
}

/** True when some resource of the pool has no override: observe() then reads the shape / machine type. */
export function needsCloudSize(pool: AutoscaleConfig): boolean {
  const o = overrideSize(pool);
  return RESOURCES.some((r) => o[r] === undefined);
}

/**
 * The size a new agent of the pool will have, per resource: override, else the first
 * registered agent (sorted by the caller), else the cloud. Undefined when some resource is
 * known from none of them (then plan() launches only for minimum_instances and says why).
 */
export function resolveAgentSize(
  pool: AutoscaleConfig,
  registered: Resources[],
  cloud: AgentSize | undefined,
): Resources | undefined {
  const o = overrideSize(pool);
  const seen = registered[0];
  const pick = (r: ResourceName): number | undefined => o[r] ?? seen?.[r] ?? cloud?.[r];
  const cores = pick('cores');
  const memoryMb = pick('memoryMb');
  const gpus = pick('gpus');
  if (cores === undefined || memoryMb === undefined || gpus === undefined) return undefined;
  return { cores, memoryMb, gpus };
}

/** The first resource in which a session asks for more than one agent offers (undefined: it fits). */
export function tooBigIn(need: Resources, size: Resources): ResourceName | undefined {
  return RESOURCES.find((r) => need[r] > size[r] + 1e-9);
}

export interface WaitingSplit {
  /** What the sessions that can fit on an agent ask for, summed: this drives launches. */
  fits: Resources;
  fitCount: number;
  /** Sessions no agent of this pool can ever hold: reported, never a reason to launch. */
  oversized: { count: number; note?: string };
}

/**
 * Splits the pool's waiting sessions into those an agent can hold and those it never can.
 * With the agent size unknown every session counts as fitting (plan() then says the size is
 * unknown instead of guessing). One note per pass, however many sessions are too big.
 */
export function splitWaiting(waiting: KasmSession[], size: Resources | undefined): WaitingSplit {
  let fits = zero();
  let fitCount = 0;
  let count = 0;
  let first: { need: Resources; r: ResourceName } | undefined;
  for (const k of waiting) {
    const need = sessionSize(k);
    const r = size ? tooBigIn(need, size) : undefined;
    if (r === undefined) {
      fits = add(fits, need);
      fitCount++;
      continue;
    }
    count++;
    first ??= { need, r };
  }
  if (!count || !first || !size) return { fits, fitCount, oversized: { count } };
  const word = RESOURCE_WORD[first.r];
  const note =
    `${count} waiting session(s) need more than one agent of this pool has ` +
    `(e.g. ${word} ${fmt(first.r, first.need[first.r])} > ${fmt(first.r, size[first.r])}): no agent this pool launches can hold them, so they drive no launches; ` +
    `use a bigger shape / machine type or agent_*_override, or smaller workspace sizes`;
  return { fits, fitCount, oversized: { count, note } };
}
