/**
 * Kasm API shapes kasm-scale reads (Kasm 1.15's API, summarised in docs/kasm-api.md). Parsing is lenient: unknown keys
 * are ignored and missing optional keys are not fatal, so every field the scaler does not
 * strictly need is optional here.
 */

export type ServerStatus =
  'running' | 'starting' | 'missing' | 'dead' | 'delete_pending' | 'destroying' | string;

/** A row of `get_servers`; Docker agents are the rows with `server_type: "host"`. */
export interface KasmServer {
  server_id: string;
  server_type?: string;
  hostname?: string;
  instance_id?: string | null;
  provider?: string | null;
  operational_status: ServerStatus;
  enabled: boolean;
  cores: number;
  /** bytes */
  memory: number;
  gpus: number;
  cores_override?: number | null;
  /** bytes */
  memory_override?: number | null;
  gpus_override?: number | null;
  zone_id?: string | null;
  zone_name?: string | null;
  server_pool_id?: string | null;
  is_autoscaled?: boolean;
  autoscale_config?: { autoscale_config_id?: string; autoscale_config_name?: string } | null;
  kasms?: Array<{ kasm_id: string; start_date?: string; keepalive_date?: string; user?: unknown }>;
  last_reported?: string | null;
  [k: string]: unknown;
}

export type SessionStatus =
  | 'running'
  | 'starting'
  | 'requested'
  | 'provisioning'
  | 'assigned'
  | 'stopped'
  | 'paused'
  | 'saving'
  | 'stopping'
  | 'pausing'
  | 'deleting'
  | 'destroying'
  | 'delete_pending'
  | 'admin_delete_pending'
  | 'user_delete_pending'
  | string;

/** A row of `get_kasms`. */
export interface KasmSession {
  kasm_id: string;
  /** The agent; null while unassigned. */
  server_id: string | null;
  cores: number;
  /** bytes */
  memory: number;
  gpus: number;
  operational_status: SessionStatus;
  start_date?: string;
  keepalive_date?: string;
  server?: { hostname?: string; port?: number; provider?: string; zone_name?: string } | null;
  /** Some answers carry the zone directly; the scaler also accepts it here for waiting sessions. */
  zone_name?: string | null;
  [k: string]: unknown;
}

export interface KasmZone {
  zone_id: string;
  zone_name: string;
  upstream_auth_address?: string;
  proxy_hostname?: string;
  [k: string]: unknown;
}

/** Demand: Kasm's three answers, as the API gives them or as a `--demand` snapshot file. */
export interface DemandSnapshot {
  servers: KasmServer[];
  kasms: KasmSession[];
  zones: KasmZone[];
}

/** A VM provider config as Kasm stores it (secrets masked as "**********"). */
export interface KasmVmProviderConfig {
  vm_provider_name: string;
  vm_provider_config_id: string;
  vm_provider_config_name: string;
  [k: string]: unknown;
}

/**
 * A row of `get_autoscale_configs` (Kasm 1.15): Kasm's own autoscaler. The provider config
 * it launches with is under a per-cloud key (`oci_vm_config_id`, `gcp_vm_config_id`, ...);
 * parsing copies it to `vm_provider_config_id`.
 */
export interface KasmAutoscaleConfig {
  autoscale_config_id: string;
  autoscale_config_name: string;
  /** "Docker Agent" or a server pool type. */
  autoscale_type: string;
  enabled: boolean;
  zone_id: string | null;
  vm_provider_config_id: string | null;
  [k: string]: unknown;
}

export interface KasmClient {
  getServers(): Promise<KasmServer[]>;
  getKasms(): Promise<KasmSession[]>;
  getZones(): Promise<KasmZone[]>;
  getVmProviderConfigs(): Promise<KasmVmProviderConfig[]>;
  /** Needs the Autoscale View permission. */
  getAutoscaleConfigs(): Promise<KasmAutoscaleConfig[]>;
  createVmProviderConfig(config: Record<string, unknown>): Promise<KasmVmProviderConfig>;
  updateVmProviderConfig(id: string, config: Record<string, unknown>): Promise<KasmVmProviderConfig>;
}

/** What `update_server` may change on a Docker agent; a key left out (or null) is unchanged in Kasm. */
export interface AgentUpdate {
  enabled?: boolean;
  cores_override?: number;
  /** bytes */
  memory_override?: number;
  gpus_override?: number;
}

/** The agent calls the drain protocol makes (Agents Modify, Servers Delete). */
export interface KasmAgentsApi {
  getKasms(): Promise<KasmSession[]>;
  /** `update_server` with `server_type: "host"` (Kasm refuses a host update without it). */
  updateAgent(serverId: string, update: AgentUpdate): Promise<void>;
  /**
   * `delete_server` WITHOUT `force`: Kasm refuses while any session is on the agent, which
   * makes it the atomic last check. Refusals and "does not exist" are answers, not errors.
   */
  deleteAgent(serverId: string): Promise<DeleteAgentAnswer>;
}

export type DeleteAgentAnswer =
  | { outcome: 'deleted' }
  | { outcome: 'has_sessions'; sessions: number; message: string }
  | { outcome: 'not_found'; message: string };
