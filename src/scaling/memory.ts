/**
 * Pool-level memory kept between one-shot passes (the state file's content) and the
 * pure rules that read and update it. Nothing here is needed for SAFETY: instance facts
 * (ownership, idle-since, registered) live on the instances' tags. Losing this memory
 * only forgets backoff windows (a capacity error is met once more), the never-registered
 * breaker's history, and missing/dead timers (they restart).
 */

export const BACKOFF_BASE_SEC = 300;
export const BACKOFF_MAX_SEC = 1800;
/** An AD/zone that has not failed for this long starts again from the base delay. */
export const BACKOFF_RESET_SEC = 3 * 3600;
/** The breaker looks at this many of the latest resolved launches ... */
export const BREAKER_WINDOW = 10;
/** ... resolved within this long. */
export const BREAKER_HORIZON_SEC = 24 * 3600;
/** With the breaker open, one trial launch is allowed this long after the last failure. */
export const BREAKER_TRIAL_AFTER_SEC = 3600;
/** Launch records kept per pool. */
const LAUNCH_RECORDS_KEPT = 30;
/** Launch→register times kept per pool (schedule pre-warm lead time, schedule.ts). */
export const REGISTER_TIMES_KEPT = 20;

export interface BackoffEntry {
  /** ISO time until which launches skip this provider + zone. */
  until: string;
  delaySec: number;
  failures: number;
  lastFailureAt: string;
  lastError?: string;
}

export interface LaunchRecord {
  serverId: string;
  at: string;
  outcome?: 'registered' | 'never_registered';
  resolvedAt?: string;
}

export interface PoolMemory {
  lastLaunchAt?: string;
  launches: LaunchRecord[];
  /** server_id → ISO time its agent was first seen missing/dead/deleting. */
  unhealthySince: Record<string, string>;
  lastPass?: { at: string; result: 'ok' | 'partial' | 'failed' };
  /**
   * Seconds from launch to the pass that first saw the agent registered, newest last (at
   * most REGISTER_TIMES_KEPT). Kept apart from `launches` (which forget after a day) so a
   * Monday-morning window still has Friday's times to pre-warm by.
   */
  registerSeconds?: number[];
  /**
   * server_id → provider, for a chain of spot and on-demand providers: a preempted GCP Spot VM
   * is deleted, and this says its agent was on a spot provider (chain.ts goneOn).
   */
  agentProviders?: Record<string, string>;
}

export interface ScalingState {
  version: 1;
  pools: Record<string, PoolMemory>;
  /** key `${provider}|${zone}` */
  backoff: Record<string, BackoffEntry>;
  lastSuccessAt?: string;
}

export function emptyState(): ScalingState {
  return { version: 1, pools: {}, backoff: {} };
}

export function emptyPoolMemory(): PoolMemory {
  return { launches: [], unhealthySince: {} };
}

export const backoffKey = (provider: string, zone: string) => `${provider}|${zone}`;

/** The backoff entry in force for provider + zone at `now`, if any. */
export function activeBackoff(
  state: ScalingState,
  provider: string,
  zone: string,
  now: Date,
): BackoffEntry | undefined {
  const e = state.backoff[backoffKey(provider, zone)];
  return e && Date.parse(e.until) > now.getTime() ? e : undefined;
}

/** A capacity or quota error in provider + zone: 5 min, doubling to 30 min; reset after 3 h quiet. */
export function withCapacityFailure(
  state: ScalingState,
  provider: string,
  zone: string,
  now: Date,
  message?: string,
): ScalingState {
  const key = backoffKey(provider, zone);
  const prev = state.backoff[key];
  const fresh = !prev || now.getTime() - Date.parse(prev.lastFailureAt) > BACKOFF_RESET_SEC * 1000;
  const delaySec = fresh ? BACKOFF_BASE_SEC : Math.min(prev.delaySec * 2, BACKOFF_MAX_SEC);
  const entry: BackoffEntry = {
    until: new Date(now.getTime() + delaySec * 1000).toISOString(),
    delaySec,
    failures: fresh ? 1 : prev.failures + 1,
    lastFailureAt: now.toISOString(),
    ...(message ? { lastError: message } : {}),
  };
  return { ...state, backoff: { ...state.backoff, [key]: entry } };
}

/** A launch succeeded in provider + zone: its backoff is forgotten. */
export function withZoneSuccess(state: ScalingState, provider: string, zone: string): ScalingState {
  const key = backoffKey(provider, zone);
  if (!(key in state.backoff)) return state;
  const backoff = { ...state.backoff };
  delete backoff[key];
  return { ...state, backoff };
}

export interface BreakerStatus {
  open: boolean;
  failed: number;
  resolved: number;
  /** When open: the time a single trial launch becomes allowed. */
  trialAt?: Date;
}

/**
 * "More than half of the pool's recent launches never registered": a broken startup
 * script must not become a create/delete loop. Needs at least two resolved launches.
 */
export function breakerStatus(mem: PoolMemory | undefined, now: Date): BreakerStatus {
  const horizon = now.getTime() - BREAKER_HORIZON_SEC * 1000;
  const resolved = (mem?.launches ?? [])
    .filter((l) => l.outcome && l.resolvedAt && Date.parse(l.resolvedAt) >= horizon)
    .sort((a, b) => Date.parse(a.resolvedAt!) - Date.parse(b.resolvedAt!))
    .slice(-BREAKER_WINDOW);
  const failed = resolved.filter((l) => l.outcome === 'never_registered');
  const open = resolved.length >= 2 && failed.length * 2 > resolved.length;
  if (!open) return { open, failed: failed.length, resolved: resolved.length };
  const lastFailure = Math.max(...failed.map((l) => Date.parse(l.resolvedAt!)));
  return {
    open,
    failed: failed.length,
    resolved: resolved.length,
    trialAt: new Date(lastFailure + BREAKER_TRIAL_AFTER_SEC * 1000),
  };
}

/** Outcomes, unhealthy timers and successful launches of one pass folded into a pool's memory. */
export function nextPoolMemory(
  prev: PoolMemory | undefined,
  pass: {
    now: Date;
    outcomes: Array<{ serverId: string; outcome: 'registered' | 'never_registered' }>;
    launched: string[];
    /** PoolPlan.lastLaunchSeenAt: the newest launch seen, remembered even once its instance is gone. */
    lastLaunchSeenAt?: string;
    /** The complete map of agents unhealthy now (server id → since); undefined: keep the old one. */
    unhealthySince?: Record<string, string>;
    /** PoolPlan.agentProviders; undefined: keep the old one (Kasm was not read this pass). */
    agentProviders?: Record<string, string>;
    result?: 'ok' | 'partial' | 'failed';
  },
): PoolMemory {
  const nowIso = pass.now.toISOString();
  const launches = (prev?.launches ?? []).map((l) => ({ ...l }));
  const registerSeconds = [...(prev?.registerSeconds ?? [])];
  for (const o of pass.outcomes) {
    const rec = launches.find((l) => l.serverId === o.serverId);
    if (rec && !rec.outcome && o.outcome === 'registered') {
      const sec = Math.round((pass.now.getTime() - Date.parse(rec.at)) / 1000);
      if (Number.isFinite(sec) && sec >= 0) registerSeconds.push(sec);
    }
    if (rec && !rec.outcome) Object.assign(rec, { outcome: o.outcome, resolvedAt: nowIso });
    else if (!rec && o.outcome === 'never_registered')
      launches.push({ serverId: o.serverId, at: nowIso, outcome: o.outcome, resolvedAt: nowIso });
  }
  for (const id of pass.launched)
    if (!launches.some((l) => l.serverId === id)) launches.push({ serverId: id, at: nowIso });
  const horizon = pass.now.getTime() - BREAKER_HORIZON_SEC * 1000;
  const kept = launches
    .filter((l) => Date.parse(l.resolvedAt ?? l.at) >= horizon)
    .slice(-LAUNCH_RECORDS_KEPT);
  const unhealthySince = pass.unhealthySince ?? prev?.unhealthySince ?? {};
  const agentProviders = pass.unhealthySince ? pass.agentProviders : prev?.agentProviders;
  const lastLaunchAt = pass.launched.length ? nowIso : latestIso(prev?.lastLaunchAt, pass.lastLaunchSeenAt);
  return {
    ...(lastLaunchAt ? { lastLaunchAt } : {}),
    launches: kept,
    unhealthySince,
    ...(registerSeconds.length ? { registerSeconds: registerSeconds.slice(-REGISTER_TIMES_KEPT) } : {}),
    ...(agentProviders ? { agentProviders } : {}),
    ...(pass.result
      ? { lastPass: { at: nowIso, result: pass.result } }
      : prev?.lastPass
        ? { lastPass: prev.lastPass }
        : {}),
  };
}

function latestIso(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
