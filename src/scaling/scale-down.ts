/**
 * Which idle agents go, and why the others stay.
 *
 * Candidates: our own instances (ownership tags), state running, whose agent is enabled
 * and running in the pool's zone with NO session at all (any status, paused ones too),
 * idle (idle-since tag) for at least downscale_backoff; and agents a drain left disabled
 * (no session either): they come first, being out of service already. A chosen one is
 * drained (drain.ts), not just terminated.
 *
 * Order: mid-drain first, then (in a provider chain) agents on the last providers of the
 * chain, then longest idle (the least likely to be wanted soon), then the oldest
 * instance (it has run the longest on an older image/startup script; fresh ones are kept),
 * then the instance id (so the order is total and two runners agree).
 *
 * Each one goes only while free capacity of the registered agents (launched-but-not-yet
 * registered capacity is NOT counted: an instance that never registers must not have
 * been the reason to remove a good one) minus the agent stays at or above standby +
 * waiting for every resource the agent has, and the pool stays at or above
 * minimum_instances. Nothing goes within scale_down_delay_after_launch of the pool's last
 * launch, nor when the state file was found corrupt (a careful pass).
 */
import type { OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { KasmServer } from '../kasm/types.js';
import { RESOURCES, RESOURCE_WORD, agentCapacity, fmt, sub } from './capacity.js';
import { idleSinceOf } from '../clouds/ownership.js';
import type { Resources, TerminateAction } from './types.js';

export interface ScaleDownInput {
  pool: AutoscaleConfig;
  owned: OwnedInstance[];
  ctx: { byId: Map<string, KasmServer>; hasSession: (serverId: string) => boolean };
  /** Instances already being terminated this pass (cleanup). */
  excluded: Set<string>;
  /** Instances whose agent a drain left disabled (plan.ts). */
  draining?: Set<string>;
  freeRegistered: Resources;
  need: Resources;
  liveCount: number;
  /** ms epoch of the pool's last launch (state file or newest instance). */
  lastLaunch: number;
  careful?: string;
  now: Date;
  /** The provider an instance is on (a pool's chain spans several). */
  providerOf: (i: OwnedInstance) => string;
  /** Chain order: lower goes first (agents on the last provider of the chain); see chain.ts. */
  chainRank?: (i: OwnedInstance) => number;
}

const mins = (ms: number) => Math.floor(ms / 60_000);

export function planScaleDown(input: ScaleDownInput): { terminations: TerminateAction[]; notes: string[] } {
  const { pool, now } = input;
  const nowMs = now.getTime();
  const notes: string[] = [];
  const draining = input.draining ?? new Set<string>();
  const mid = (i: OwnedInstance) => (draining.has(i.id) ? 0 : 1);
  const rank = input.chainRank ?? (() => 0);
  const candidates = input.owned
    .filter((i) => i.state === 'running' && !input.excluded.has(i.id))
    .map((i) => ({ i, agent: input.ctx.byId.get(i.serverId), idle: idleSinceOf(i) ?? now })) // idle now, tag written this pass
    .filter((c): c is { i: OwnedInstance; agent: KasmServer; idle: Date } =>
      Boolean(
        c.agent &&
        (c.agent.enabled || draining.has(c.i.id)) &&
        c.agent.operational_status === 'running' &&
        !input.ctx.hasSession(c.i.serverId),
      ),
    )
    .filter((c) => (c.agent.zone_name ? c.agent.zone_name === pool.zone_name : true))
    .filter((c) => draining.has(c.i.id) || nowMs - c.idle.getTime() >= pool.downscale_backoff * 1000)
    .sort(
      (a, b) =>
        mid(a.i) - mid(b.i) ||
        rank(a.i) - rank(b.i) ||
        a.idle.getTime() - b.idle.getTime() ||
        a.i.createdAt.getTime() - b.i.createdAt.getTime() ||
        a.i.id.localeCompare(b.i.id),
    );
  if (candidates.length === 0) return { terminations: [], notes };
  if (input.careful)
    return { terminations: [], notes: [`${candidates.length} idle agent(s) kept: ${input.careful}`] };
  const sinceLaunch = nowMs - input.lastLaunch;
  if (sinceLaunch < pool.scale_down_delay_after_launch * 1000) {
    return {
      terminations: [],
      notes: [
        `${candidates.length} idle agent(s) kept: last launch ${mins(sinceLaunch)} min ago < scale_down_delay_after_launch ${pool.scale_down_delay_after_launch} s`,
      ],
    };
  }

  let free = { ...input.freeRegistered };
  let count = input.liveCount;
  const terminations: TerminateAction[] = [];
  let firstRefusal: string | undefined;
  for (const c of candidates) {
    const cap = agentCapacity(c.agent);
    const after = sub(free, cap);
    if (count - 1 < pool.minimum_instances) {
      firstRefusal ??= `removing one would leave ${count - 1} < minimum_instances ${pool.minimum_instances}`;
      continue;
    }
    const short = RESOURCES.find((r) => cap[r] > 0 && after[r] < input.need[r] - 1e-9);
    if (short) {
      firstRefusal ??= `removing one would leave free ${RESOURCE_WORD[short]} ${fmt(short, after[short])} < ${fmt(short, input.need[short])}`;
      continue;
    }
    const shown = RESOURCES.filter((r) => r === 'cores' || input.need[r] > 0)
      .map((r) => `free ${RESOURCE_WORD[r]} stay ${fmt(r, after[r])} ≥ ${fmt(r, input.need[r])}`)
      .join(', ');
    terminations.push({
      kind: 'terminate',
      pool: pool.autoscale_config_name,
      provider: input.providerOf(c.i),
      cause: 'idle',
      instance: c.i,
      drain: true,
      reason: `${draining.has(c.i.id) ? 'terminate (drain resumed)' : 'terminate'}: idle ${mins(nowMs - c.idle.getTime())} min, no sessions, ${shown}${input.chainRank ? ` (on ${input.providerOf(c.i)}: a chain empties its last providers first)` : ''}`,
    });
    free = after;
    count--;
  }
  const kept = candidates.length - terminations.length;
  if (kept > 0 && firstRefusal) notes.push(`${kept} idle agent(s) kept: ${firstRefusal}`);
  return { terminations, notes };
}
