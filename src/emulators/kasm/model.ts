/**
 * The Kasm emulator's state: zones, Docker agents, sessions and VM provider configs, kept
 * as plain JSON-able objects so `--state FILE` can save and reload them. Everything Kasm
 * computes (core_calculations, available_cores, ...) is computed on read, never stored.
 */

export interface EmuZone {
  zone_id: string;
  zone_name: string;
  upstream_auth_address: string;
  proxy_hostname: string;
  proxy_port: number;
}

export interface EmuAgent {
  server_id: string;
  server_type: string;
  hostname: string;
  instance_id: string | null;
  provider: string | null;
  operational_status: string;
  enabled: boolean;
  cores: number;
  /** bytes */
  memory: number;
  gpus: number;
  cores_override: number;
  /** bytes */
  memory_override: number;
  gpus_override: number;
  zone_name: string;
  server_pool_id: string | null;
  is_autoscaled: boolean;
  autoscale_config: { autoscale_config_id: string; autoscale_config_name: string } | null;
  created_ms: number;
  last_reported_ms: number;
  /** Set when the agent's instance is gone: it checks in no more (see agents.ts). */
  silent_since_ms?: number;
  [k: string]: unknown;
}

export interface EmuSession {
  kasm_id: string;
  server_id: string | null;
  zone_name: string;
  cores: number;
  /** bytes */
  memory: number;
  gpus: number;
  operational_status: string;
  start_ms: number;
  keepalive_ms: number;
  image_name: string;
  user: string;
}

export interface EmuState {
  zones: EmuZone[];
  agents: EmuAgent[];
  sessions: EmuSession[];
  vmProviderConfigs: Array<Record<string, unknown> & { vm_provider_config_id: string }>;
  /** Kasm's own autoscale configs (absent in state files written before they were modelled). */
  autoscaleConfigs?: Array<Record<string, unknown> & { autoscale_config_id: string; zone_name: string }>;
}

/** Sessions in these states consume their agent's resources (Kasm 1.15's API, summarised in docs/kasm-api.md). */
export const CONSUMING = new Set(['running', 'starting']);
/** Sessions in these states, without an agent, are waiting for one. */
export const WAITING = new Set(['requested', 'provisioning', 'assigned']);

/** Kasm's rule: the override when non-zero, else the actual value. */
export function capacityOf(a: EmuAgent): { cores: number; memory: number; gpus: number } {
  return {
    cores: a.cores_override ? a.cores_override : a.cores,
    memory: a.memory_override ? a.memory_override : a.memory,
    gpus: a.gpus_override ? a.gpus_override : a.gpus,
  };
}

/**
 * Sessions by agent, built once per answer: a view over every agent reads each agent's
 * sessions from here instead of scanning all sessions per agent (O(agents × sessions)).
 */
export type SessionIndex = Map<string, EmuSession[]>;

export function indexSessions(state: EmuState): SessionIndex {
  const byServer: SessionIndex = new Map();
  for (const s of state.sessions) {
    if (!s.server_id) continue;
    const list = byServer.get(s.server_id);
    if (list) list.push(s);
    else byServer.set(s.server_id, [s]);
  }
  return byServer;
}

export function usedOn(
  state: EmuState,
  serverId: string,
  index?: SessionIndex,
): { cores: number; memory: number; gpus: number } {
  const used = { cores: 0, memory: 0, gpus: 0 };
  for (const s of index ? (index.get(serverId) ?? []) : state.sessions) {
    if (s.server_id !== serverId || !CONSUMING.has(s.operational_status)) continue;
    used.cores += s.cores;
    used.memory += s.memory;
    used.gpus += s.gpus;
  }
  return used;
}

export function freeOn(
  state: EmuState,
  a: EmuAgent,
  index?: SessionIndex,
): { cores: number; memory: number; gpus: number } {
  const cap = capacityOf(a);
  const used = usedOn(state, a.server_id, index);
  return { cores: cap.cores - used.cores, memory: cap.memory - used.memory, gpus: cap.gpus - used.gpus };
}

/** An agent Kasm would place a session on. */
export function isAvailable(a: EmuAgent): boolean {
  return a.enabled && a.operational_status === 'running';
}
