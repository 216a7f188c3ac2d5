/**
 * The data that flows through one reconcile pass: what observe() saw, what plan()
 * decided, what apply() did. Plain data only, so plan() stays a pure function and the
 * report can print any of it.
 */
import type { CloudName } from '../clouds/registry.js';
import type { AgentSize, OwnedInstance } from '../clouds/types.js';
import type { AutoscaleConfig } from '../config/types.js';
import type { DemandSnapshot } from '../kasm/types.js';
import type { ScalingState } from './memory.js';
import type { ScheduleInfo } from './schedule.js';

/** cores, MB of memory, GPUs: the three resources Kasm's standby settings speak of. */
export interface Resources {
  cores: number;
  memoryMb: number;
  gpus: number;
}

/** What observe() knows about one provider (a `vm_provider_config_name`). */
export interface ProviderSupply {
  name: string;
  kind: CloudName;
  maxInstances: number;
  /** Launch targets in order of preference (OCI ADs, GCP zone). */
  zones: string[];
  /** Every owned, not-terminated instance on the provider, all pools. Undefined: listing failed. */
  instances?: OwnedInstance[];
  /** Why the listing failed (one line) and its class. */
  error?: { kind: string; message: string };
  /** The shape / machine type size; undefined when it could not be read (or was not needed). */
  agentSize?: AgentSize;
  /** `spot: true`: an instance that vanishes under its agent was preempted (docs/spot.md). */
  spot?: boolean;
}

export interface PlanInput {
  /** The pools this pass scales (enabled, after --autoscale). */
  pools: AutoscaleConfig[];
  providers: Record<string, ProviderSupply>;
  /** Kasm's answers; undefined when Kasm could not be read (demandError says why). */
  demand?: DemandSnapshot;
  demandError?: string;
  /** Pool memory from the state file (empty when lost). */
  memory: ScalingState;
  /** Set when the state file was corrupt: no idle scale-down this pass (says why). */
  careful?: string;
  /** This installation's ownership id (TAG_OWNER); orphans are only instances carrying it. */
  ownershipId?: string;
  /** Every autoscale config name in the file (enabled or not): an instance of any other pool is an orphan. */
  knownPools?: string[];
  /** Orphan reaping: grace in seconds; `off` says why reaping is off this pass (e.g. --keep-orphans). */
  orphans?: { graceSec: number; off?: string };
  /** false: Kasm is read from a snapshot (--demand), so no agent can be drained or re-enabled. */
  kasmWritable?: boolean;
  /** Launches sent by earlier passes whose instances the cloud does not list yet (intents.ts). */
  intents?: LaunchIntent[];
}

/** 'unconfirmed': a launch an earlier pass sent without learning its outcome, sent again under its own key. */
export type LaunchCause = 'standby' | 'waiting' | 'minimum' | 'unconfirmed';
/**
 * Why an instance goes. idle / unhealthy / orphan: its agent is registered and leaves Kasm
 * by the drain protocol first; never_registered / orphan_agent_gone: no agent to drain;
 * deregistered: Kasm already has its agent delete_pending (a drain got that far).
 */
export type TerminateCause =
  'idle' | 'never_registered' | 'unhealthy' | 'orphan_agent_gone' | 'orphan' | 'deregistered';

/** A provider a launch may go to, with the zones to try there in order (backed-off zones left out). */
export interface LaunchTarget {
  provider: string;
  zones: string[];
}

/** Why a provider of a pool's chain was passed over this pass. */
export interface ChainMove {
  provider: string;
  why: string;
}

export interface LaunchAction {
  kind: 'launch';
  pool: string;
  /** The provider it goes to first (in a chain: the first one with room and a zone not in backoff). */
  provider: string;
  cause: LaunchCause;
  /** 32 hex; derived from (pool, minute, slot, owned count): see launch-ids.ts. */
  serverId: string;
  /** Base idempotency key; apply derives one per zone tried. */
  idempotencyKey: string;
  /** Zones to try, in order (backed-off zones left out). */
  zones: string[];
  /**
   * Later providers of the pool's chain: when every zone of `provider` answers capacity or
   * quota, apply tries these in order in the same pass, each only within Plan.spare.
   */
  fallbacks?: LaunchTarget[];
  reason: string;
}

export interface TerminateAction {
  kind: 'terminate';
  pool: string;
  provider: string;
  cause: TerminateCause;
  instance: OwnedInstance;
  /**
   * true: its agent is registered in Kasm; apply drains it first (disable, re-read its
   * sessions, delete_server without force) and terminates only when Kasm agreed.
   */
  drain: boolean;
  reason: string;
}

/** Undo a drain: re-enable our agent that a drain disabled, and forget the drain. */
export interface EnableAction {
  kind: 'enable';
  pool: string;
  provider: string;
  cause: 'drain_undone';
  instance: OwnedInstance;
  reason: string;
}

/** delete_server (without force) for our agent whose instance is gone (preempted: on a spot provider). */
export interface DeregisterAction {
  kind: 'deregister';
  pool: string;
  provider: string;
  cause: 'instance_gone' | 'preempted';
  serverId: string;
  reason: string;
}

export type Action = LaunchAction | TerminateAction | EnableAction | DeregisterAction;

export interface TagUpdate {
  pool: string;
  provider: string;
  instance: OwnedInstance;
  patch: Record<string, string | null>;
  reason: string;
}

/** Figures the report shows per pool. */
export interface PoolFigures {
  agents: { total: number; running: number; owned: number; static: number; unhealthy: number };
  sessions: { active: number; waiting: number; other: number };
  /** Free capacity of enabled, running agents in the zone (what Kasm can place on now). */
  freeRegistered: Resources;
  /** Capacity of our launched instances that have not registered yet. */
  pending: Resources;
  /**
   * Free capacity of our agents that a drain left disabled: NOT free to Kasm; plan() counts
   * it only together with an action that re-enables (or finishes draining) each of them.
   */
  draining: Resources;
  /** freeRegistered + pending. */
  free: Resources;
  standby: Resources;
  /** Demand of sessions waiting for an agent. */
  waiting: Resources;
  /** Waiting sessions larger than one agent in some resource: left out of `waiting`. */
  oversizedSessions?: number;
  /** The size a new agent of this pool will have (undefined: unknown). */
  agentSize?: Resources;
  /** Owned instances of this pool by our normalised state. */
  instances: Record<string, number>;
  /** Owned, not-terminated instances on the provider, all pools (what max_instances counts). */
  providerInstances: number;
  maxInstances: number;
  /** Per provider of the pool's chain, in chain order: this pool's instances there, and what max_instances counts. */
  chain?: Array<{
    provider: string;
    instances: number;
    /** The pool's instances on this provider the cloud bills (cost/running.ts prices them by it). */
    billed: number;
    providerInstances: number;
    maxInstances: number;
  }>;
}

/** A per-pool record the state file keeps (see memory.ts). */
export interface LaunchOutcome {
  serverId: string;
  outcome: 'registered' | 'never_registered';
}

export interface PoolPlan {
  pool: string;
  /** The preferred provider (the first of the chain). */
  provider: string;
  /** The pool's providers in order of preference (one for a single provider). */
  providers: string[];
  /** Providers of the chain passed over this pass, and why (backoff, full). */
  chainMoves?: ChainMove[];
  zone: string;
  /** Set when the pool could not be planned at all (e.g. its cloud could not be listed). */
  error?: { kind: string; message: string };
  figures?: PoolFigures;
  actions: Action[];
  tagUpdates: TagUpdate[];
  /** Why something did not happen, in words a person reads. */
  notes: string[];
  /** Launch outcomes learnt this pass (for the never-registered breaker). */
  outcomes: LaunchOutcome[];
  /**
   * The newest launch this pass saw (state file record or an owned instance's creation),
   * kept in memory so scale_down_delay_after_launch still counts from it after that
   * instance is gone (e.g. terminated as never registered).
   */
  lastLaunchSeenAt?: string;
  /** Our agents missing/dead/deleting now → since when (ISO); undefined: not known this pass. */
  unhealthySince?: Record<string, string>;
  /**
   * Spot providers: our agents whose instance was preempted, first noticed this pass, and
   * the sessions Kasm still listed on them (lost with the instance).
   */
  preempted?: { agents: string[]; sessionsLost: number };
  /** A chain of spot and on-demand providers: each agent's provider, for the next pass (chain.ts goneOn). */
  agentProviders?: Record<string, string>;
  /** The pool's schedule at `now`: the window in force, the next change, a pre-warm (schedule.ts). */
  schedule?: ScheduleInfo;
}

/** An instance we own (our ownership id) whose pool is no longer in the file. */
export interface OrphanInstance {
  provider: string;
  instance: OwnedInstance;
  /** The pool label on the instance (the name is not known any more). */
  poolLabel: string;
  /** ISO time it was first seen as an orphan. */
  since: string;
  /** Its agent's status in Kasm (undefined: no agent, or Kasm not read). */
  agentStatus?: string;
  sessions: number;
}

export interface OrphanPlan {
  instances: OrphanInstance[];
  actions: Action[];
  tagUpdates: TagUpdate[];
  notes: string[];
}

export interface Plan {
  now: string;
  /** Orphans found on the providers this pass listed, and what is done with them. */
  orphans: OrphanPlan;
  /** false: Kasm unreadable or implausible; nothing is terminated (kasmReason says why). */
  kasmUsable: boolean;
  kasmReason?: string;
  pools: PoolPlan[];
  notes: string[];
  /**
   * Launches each provider can still take once this plan's are counted: what a launch
   * falling through its chain at apply time may use, so max_instances holds.
   */
  spare?: Record<string, number>;
}

export type { DemandSnapshot };

/** kept: a drain found a session (or Kasm refused to delete the agent) and undid itself. */
export type ActionStatus = 'planned' | 'done' | 'failed' | 'kept';

export interface ActionResult {
  action: Action;
  status: ActionStatus;
  /** Error class: a CloudError kind, or 'auth_stopped' (not tried after an auth error), 'unknown'. */
  error?: { class: string; message: string };
  requestId?: string;
  /** The zone a launch landed in, and the instance it made. */
  zone?: string;
  instanceId?: string;
  /** Zones that answered capacity/quota before it landed (or failed). */
  zonesTried?: string[];
  /** A launch that fell through its provider chain: the provider it landed on ... */
  provider?: string;
  /** ... and why the chain moved ("oci-spot: capacity in AD-1, backoff until …; launched on oci-ondemand"). */
  chainMoved?: string;
  /** Drain steps carried out (drain.ts), in order. */
  steps?: string[];
  /** Why a drain kept the agent. */
  note?: string;
}

/** A launch sent but not yet seen as an instance, kept so the next pass resends the same idempotency key (intents.ts). */
export interface LaunchIntent {
  pool: string;
  provider: string;
  serverId: string;
  idempotencyKey: string;
  zones: string[];
  /** The later providers of its chain it may have fallen through to (apply.ts). */
  fallbacks?: LaunchTarget[];
  /** ISO time of the pass that first planned it. */
  at: string;
}
