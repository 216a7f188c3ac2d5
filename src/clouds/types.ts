/**
 * The one interface both cloud adapters implement (nomad-autoscaler's "target plugin"
 * shape): reconcile, doctor and demo only ever talk to a CloudAdapter. Each adapter lives
 * in its own folder (oci/, gcp/) with its retry policy and error classification beside it,
 * and imports its SDK lazily.
 */
import type { CloudName } from './names.js';

/** Our normalised lifecycle; `cloudState` keeps the cloud's own word. */
export type InstanceState =
  'provisioning' | 'running' | 'stopping' | 'stopped' | 'terminating' | 'terminated' | 'other';

/** An instance that carries our ownership tags/labels (see ownership.ts). Nothing else is ever listed. */
export interface OwnedInstance {
  /** OCI instance OCID; GCP instance name (unique per zone+project). */
  id: string;
  name: string;
  state: InstanceState;
  cloudState: string;
  /** OCI availability domain, or GCP zone. */
  zone: string;
  createdAt: Date;
  /** The autoscale config (pool) it was launched for, as written in our config. */
  autoscaleConfigName: string;
  /** The Kasm server_id it was launched with (32 hex); the agent registers under it. */
  serverId: string;
  /** When the agent was last seen idle with no session, recorded on the instance (undefined: not idle). */
  idleSince?: Date;
  /** The instance's freeform tags / labels as the cloud reports them. */
  tags: Record<string, string>;
}

export interface LaunchRequest {
  autoscaleConfigName: string;
  /** 32 lowercase hex; becomes `{server_id}` in the startup script and our server-id tag. */
  serverId: string;
  /** OCI availability domain or GCP zone to launch in. */
  zone: string;
  /**
   * Idempotency: OCI sends it as `opc-retry-token`, GCP derives the `requestId` UUID from
   * it. The same key twice never makes a second instance.
   */
  idempotencyKey: string;
  /** Values for the startup script's `{token}` placeholders (kasm.md), except server_id. */
  scriptTokens: Record<string, string>;
  /** This installation's ownership id, tagged on the instance (see ownership.ts TAG_OWNER). */
  ownerId?: string;
}

export interface LaunchResult {
  instance: OwnedInstance;
  /** The cloud's request id, for support tickets. */
  requestId?: string;
}

/** Size of one agent as the cloud describes the shape / machine type. */
export interface AgentSize {
  cores: number;
  memoryMb: number;
  gpus: number;
}

export interface CloudAdapter {
  readonly kind: CloudName;
  /** `vm_provider_config_name` of the provider it serves. */
  readonly providerName: string;
  /** Where launches may go, in order of preference: OCI `oci_availability_domains`, GCP `[gcp_zone]`. */
  zones(): string[];
  /** Every instance we own on this provider, all pools, not yet TERMINATED (pages through). */
  listOwned(): Promise<OwnedInstance[]>;
  launch(req: LaunchRequest): Promise<LaunchResult>;
  /** Refuses (throws CloudError kind 'invalid') an instance without our ownership tags. */
  terminate(instance: OwnedInstance): Promise<{ requestId?: string }>;
  /** Sets (string) or removes (null) our own tags; other tags are kept as they are. */
  updateTags(instance: OwnedInstance, patch: Record<string, string | null>): Promise<void>;
  /** The size of the configured shape (flex config) / machine type (+ accelerators). */
  agentSize(): Promise<AgentSize>;
  /** Releases sockets; adapters are cheap to create per pass. */
  close?(): Promise<void>;
}

export type CloudErrorKind =
  | 'capacity' // OCI "Out of host capacity"; GCP *_RESOURCE_POOL_EXHAUSTED*
  | 'quota' // OCI LimitExceeded/QuotaExceeded; GCP *QUOTA*
  | 'throttled' // 429 (after our bounded retries)
  | 'transient' // 5xx, network (after our bounded retries)
  | 'auth' // OCI NotAuthenticated, 401/403: never retried
  | 'not_found'
  | 'invalid' // 400 and friends: the request itself is wrong
  | 'unknown';

/** A classified cloud failure. `message` is one line and never contains a secret. */
export class CloudError extends Error {
  readonly kind: CloudErrorKind;
  readonly cloud: CloudName;
  readonly status?: number;
  /** OCI serviceCode / GCP reason. */
  readonly code?: string;
  /** opc-request-id / GCP operation or request id: quote it in support tickets. */
  readonly requestId?: string;
  /** The AD / zone the call was about, when it was about one. */
  readonly zone?: string;
  constructor(init: {
    kind: CloudErrorKind;
    cloud: CloudName;
    message: string;
    status?: number;
    code?: string;
    requestId?: string;
    zone?: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'CloudError';
    this.kind = init.kind;
    this.cloud = init.cloud;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.zone = init.zone;
  }
}

/** Options every adapter takes; all optional so production code passes nothing. */
export interface AdapterOptions {
  /** Our retry policy for throttled (429) and transient (5xx, network) failures. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Injected in tests so retries never wait on a real clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Random source for jitter (tests pin it). */
  random?: () => number;
  /**
   * The autoscale config names served by this provider. Tags/labels hold poolLabel(name)
   * (a slug + hash); with the names the adapter reports `autoscaleConfigName` as written
   * in the config, otherwise the label itself.
   */
  poolNames?: string[];
  /**
   * Reuse the SDK clients of a provider across adapters in this process instead of making
   * new ones per pass (google-gax hashes its protos for every new client: ~200 ms of CPU
   * each). For simulations that run hundreds of passes; the caller ends them with
   * closeSharedClients(). A one-shot CLI pass leaves this off and closes what it opened.
   */
  shareClients?: boolean;
}
