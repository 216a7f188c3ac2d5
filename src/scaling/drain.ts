/**
 * The drain protocol: how a registered agent leaves before its instance is terminated,
 * so Kasm never places a session on an agent that is about to vanish.
 *
 * 1. Record `drain=disabling` on the instance, then `update_server enabled:false`
 *    (server_type "host"): Kasm places no new session on it.
 * 2. Re-read the sessions (one read per pass, after every disable of the pass): any on it →
 *    re-enable, forget the drain, keep it.
 * 3. Record `drain=deleting`, then `delete_server` WITHOUT force: Kasm refuses while any
 *    session is on it (the atomic last check) → re-enable, forget, keep, say why.
 *    Otherwise Kasm marks the agent delete_pending.
 * 4. Terminate the instance.
 *
 * Each record is written BEFORE its step, so a pass killed anywhere leaves a state the
 * next pass reads (plan.ts): a disabled agent of ours carries a drain tag and is either
 * drained to the end or re-enabled; a delete_pending agent's instance is terminated.
 * Never `force`. Failures are results (data), never exceptions.
 */
import { CloudError, type CloudAdapter } from '../clouds/types.js';
import type { KasmAgentsApi } from '../kasm/types.js';
import { CLEAR_DRAIN, TAG_DRAIN, TAG_DRAIN_AT, unixSeconds } from '../clouds/ownership.js';
import type { DeregisterAction, EnableAction, TerminateAction } from './types.js';

export type DrainStepName = 'recorded' | 'disabled' | 'rechecked' | 'deleted' | 'terminated' | 're-enabled';

export interface DrainOutcome {
  status: 'done' | 'kept' | 'failed';
  steps: DrainStepName[];
  /** kept: why (one line). */
  note?: string;
  error?: unknown;
  requestId?: string;
}

export async function terminateInstance(
  adapter: CloudAdapter,
  a: { instance: TerminateAction['instance'] },
): Promise<{ requestId?: string }> {
  try {
    return await adapter.terminate(a.instance);
  } catch (err) {
    // Already gone is what we wanted.
    if (err instanceof CloudError && err.kind === 'not_found')
      return err.requestId ? { requestId: err.requestId } : {};
    throw err;
  }
}

/**
 * Step 1: record, then disable. A pass runs this for every agent it drains before the one
 * session read of step 2 (apply.ts), so that read comes after every disable.
 */
export async function beginDrain(
  a: TerminateAction,
  adapter: CloudAdapter,
  kasm: KasmAgentsApi,
  now: Date,
): Promise<{ steps: DrainStepName[]; failed?: DrainOutcome }> {
  const steps: DrainStepName[] = [];
  try {
    await adapter.updateTags(a.instance, { [TAG_DRAIN]: 'disabling', [TAG_DRAIN_AT]: unixSeconds(now) });
    steps.push('recorded');
    await kasm.updateAgent(a.instance.serverId, { enabled: false });
    steps.push('disabled');
    return { steps };
  } catch (error) {
    return { steps, failed: { status: 'failed', steps, error } };
  }
}

/** Steps 2–4, given the sessions on the agent as read after every disable of this pass. */
export async function finishDrain(
  a: TerminateAction,
  adapter: CloudAdapter,
  kasm: KasmAgentsApi,
  begun: DrainStepName[],
  sessionsOn: number,
): Promise<DrainOutcome> {
  const id = a.instance.serverId;
  const steps = [...begun];
  const undo = async (why: string): Promise<DrainOutcome> => {
    await kasm.updateAgent(id, { enabled: true });
    await adapter.updateTags(a.instance, { ...CLEAR_DRAIN });
    steps.push('re-enabled');
    return { status: 'kept', steps, note: `kept: ${why}; agent re-enabled` };
  };
  try {
    steps.push('rechecked');
    if (sessionsOn > 0)
      return await undo(`${sessionsOn} session(s) appeared on it while it was being disabled`);
    await adapter.updateTags(a.instance, { [TAG_DRAIN]: 'deleting' });
    const answer = await kasm.deleteAgent(id);
    if (answer.outcome === 'has_sessions')
      return await undo(`Kasm refused to delete the agent ("${answer.message}")`);
    steps.push('deleted');
    const res = await terminateInstance(adapter, a);
    steps.push('terminated');
    return { status: 'done', steps, ...(res.requestId ? { requestId: res.requestId } : {}) };
  } catch (error) {
    return { status: 'failed', steps, error };
  }
}

/** Step 2's read: sessions per agent, from one get_kasms. */
export async function sessionsPerAgent(kasm: KasmAgentsApi): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const k of await kasm.getKasms())
    if (k.server_id) counts.set(k.server_id, (counts.get(k.server_id) ?? 0) + 1);
  return counts;
}

/** Undo a drain a killed pass left: enable first (capacity back), then forget the record. */
export async function reEnable(
  a: EnableAction,
  adapter: CloudAdapter,
  kasm: KasmAgentsApi,
): Promise<DrainOutcome> {
  try {
    await kasm.updateAgent(a.instance.serverId, { enabled: true });
    await adapter.updateTags(a.instance, { ...CLEAR_DRAIN });
    return { status: 'done', steps: ['re-enabled'] };
  } catch (error) {
    return { status: 'failed', steps: [], error };
  }
}

/** delete_server without force for an agent whose instance is gone. */
export async function deregister(a: DeregisterAction, kasm: KasmAgentsApi): Promise<DrainOutcome> {
  try {
    const answer = await kasm.deleteAgent(a.serverId);
    if (answer.outcome === 'has_sessions')
      return {
        status: 'kept',
        steps: [],
        note: `kept: Kasm refused to delete the agent ("${answer.message}")`,
      };
    return { status: 'done', steps: ['deleted'] };
  } catch (error) {
    return { status: 'failed', steps: [], error };
  }
}
