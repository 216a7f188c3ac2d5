/**
 * Orphans: instances carrying OUR ownership id whose pool (autoscale config) is no longer
 * in the file, e.g. renamed or removed. They keep counting against their provider's
 * max_instances (plan.ts counts every listed instance). After orphan_grace (counted from
 * the orphan-since tag the first pass writes) they are drained and terminated like any
 * idle agent, never with a session on them. An instance without our ownership id (another
 * kasm-scale installation, or one launched before ids existed) is never an orphan here.
 * Pure, like plan().
 */
import type { KasmServer } from '../kasm/types.js';
import {
  CLEAR_DRAIN,
  TAG_ORPHAN_SINCE,
  drainStepOf,
  poolLabel,
  readMarks,
  unixSeconds,
} from '../clouds/ownership.js';
import type { Action, OrphanInstance, OrphanPlan, PlanInput, TagUpdate } from './types.js';

export const DEFAULT_ORPHAN_GRACE_SEC = 3600;

const DELETING = new Set(['delete_pending', 'destroying']);
const LIVE = new Set(['provisioning', 'running']);

export interface OrphanDemand {
  byId: Map<string, KasmServer>;
  hasSession(serverId: string): boolean;
  sessions(serverId: string): number;
}

const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min`;

/** ctx undefined: Kasm could not be read (orphans are listed, nothing is done to them). */
export function planOrphans(input: PlanInput, ctx: OrphanDemand | undefined, now: Date): OrphanPlan {
  const out: OrphanPlan = { instances: [], actions: [], tagUpdates: [], notes: [] };
  const owner = input.ownershipId;
  if (!owner || !input.knownPools) return out;
  const known = new Set(input.knownPools.map(poolLabel));
  const graceSec = input.orphans?.graceSec ?? DEFAULT_ORPHAN_GRACE_SEC;
  const off = input.orphans?.off;
  let kept = 0;
  for (const [providerName, prov] of Object.entries(input.providers)) {
    for (const inst of prov.instances ?? []) {
      const marks = readMarks(inst.tags);
      const label = marks.pool;
      if (inst.state === 'terminated' || marks.owner !== owner || !label || known.has(label)) continue;
      const pool = `(orphan) ${label}`;
      const since = marks.orphanSince ?? now;
      const agent = ctx?.byId.get(inst.serverId);
      const sessions = ctx ? ctx.sessions(inst.serverId) : 0;
      const info: OrphanInstance = {
        provider: providerName,
        instance: inst,
        poolLabel: label,
        since: since.toISOString(),
        sessions,
        ...(agent ? { agentStatus: String(agent.operational_status) } : {}),
      };
      out.instances.push(info);
      const tags: TagUpdate[] = [];
      if (!inst.tags?.[TAG_ORPHAN_SINCE])
        tags.push({
          pool,
          provider: providerName,
          instance: inst,
          patch: { [TAG_ORPHAN_SINCE]: unixSeconds(now) },
          reason: `orphan: pool ${label} is not in the config file`,
        });
      const actions: Action[] = [];
      const drainLeft = Boolean(
        agent && drainStepOf(inst) && !agent.enabled && agent.operational_status === 'running',
      );
      const keep = (why: string) => {
        kept++;
        if (drainLeft)
          actions.push({
            kind: 'enable',
            pool,
            provider: providerName,
            cause: 'drain_undone',
            instance: inst,
            reason: `re-enable: a drain left this orphan's agent disabled and ${why}`,
          });
        else if (agent?.enabled && drainStepOf(inst))
          tags.push({
            pool,
            provider: providerName,
            instance: inst,
            patch: { ...CLEAR_DRAIN },
            reason: 'drain record of an enabled agent that stays',
          });
      };
      const age = now.getTime() - since.getTime();
      if (!ctx) {
        // Kasm unreadable: nothing is known about its sessions; touch nothing.
      } else if (off) keep(off);
      else if (age < graceSec * 1000)
        keep(`orphan_grace ${graceSec} s has not passed (orphan for ${minutes(age)})`);
      else if (!LIVE.has(inst.state)) {
        // stopping / terminating: already on its way.
      } else if (ctx.hasSession(inst.serverId)) keep(`${sessions} session(s) are on it`);
      else {
        const base = `terminate orphan: pool ${label} is not in the config file (orphan for ${minutes(age)} ≥ orphan_grace ${graceSec} s), no sessions`;
        if (!agent)
          actions.push({
            kind: 'terminate',
            pool,
            provider: providerName,
            cause: 'orphan',
            instance: inst,
            drain: false,
            reason: `${base}, no agent in Kasm`,
          });
        else if (DELETING.has(String(agent.operational_status)))
          actions.push({
            kind: 'terminate',
            pool,
            provider: providerName,
            cause: 'deregistered',
            instance: inst,
            drain: false,
            reason: `${base}, agent already ${agent.operational_status}`,
          });
        else
          actions.push({
            kind: 'terminate',
            pool,
            provider: providerName,
            cause: 'orphan',
            instance: inst,
            drain: true,
            reason: base,
          });
      }
      out.actions.push(...actions);
      // A terminated instance needs no tag.
      if (!actions.some((a) => a.kind === 'terminate')) out.tagUpdates.push(...tags);
    }
  }
  if (kept > 0)
    out.notes.push(`${kept} orphan instance(s) kept: ${off ?? 'within orphan_grace, or sessions on them'}`);
  return out;
}
