/**
 * What Kasm's API cannot do and a test must: agents appear, change status, check in or fall
 * silent. Tests, `demo` and `simulate` call these in process or as /__emulator/ routes.
 */
import { agentOf, defaultZone, ensureZone, type KasmContext } from './context.js';
import { newKasmId } from './format.js';
import type { EmuAgent } from './model.js';

export interface RegisterAgentInput {
  server_id: string;
  hostname?: string;
  zone_name?: string;
  cores: number;
  /** bytes */
  memory: number;
  gpus?: number;
  instance_id?: string | null;
  provider?: string | null;
  operational_status?: string;
  enabled?: boolean;
  cores_override?: number;
  memory_override?: number;
  gpus_override?: number;
  server_type?: string;
  is_autoscaled?: boolean;
  autoscale_config_name?: string;
  server_pool_id?: string | null;
  [k: string]: unknown;
}

// Keys the emulator does not model pass through to get_servers (tests of lenient parsing).
const MODELLED = new Set([
  'server_id',
  'server_type',
  'hostname',
  'instance_id',
  'provider',
  'operational_status',
  'enabled',
  'cores',
  'memory',
  'gpus',
  'cores_override',
  'memory_override',
  'gpus_override',
  'zone_name',
  'server_pool_id',
  'is_autoscaled',
  'autoscale_config_name',
]);

/** A new agent, or the same server_id registering again (its created date kept). */
export function registerAgent({ state, now, save }: KasmContext, input: RegisterAgentInput): EmuAgent {
  if (!input?.server_id) throw new Error('registerAgent needs server_id');
  const zone = input.zone_name ?? defaultZone(state);
  ensureZone(state, zone);
  const t = now();
  const existing = state.agents.find((a) => a.server_id === input.server_id);
  const extra = Object.fromEntries(Object.entries(input).filter(([k]) => !MODELLED.has(k)));
  const agent: EmuAgent = {
    ...extra,
    server_id: input.server_id,
    server_type: input.server_type ?? 'host',
    hostname: input.hostname ?? `agent-${input.server_id.slice(0, 8)}`,
    instance_id: input.instance_id ?? null,
    provider: input.provider ?? null,
    operational_status: input.operational_status ?? 'running',
    enabled: input.enabled ?? true,
    cores: Number(input.cores),
    memory: Number(input.memory),
    gpus: Number(input.gpus ?? 0),
    cores_override: Number(input.cores_override ?? 0),
    memory_override: Number(input.memory_override ?? 0),
    gpus_override: Number(input.gpus_override ?? 0),
    zone_name: zone,
    server_pool_id: input.server_pool_id ?? null,
    is_autoscaled: input.is_autoscaled ?? Boolean(input.autoscale_config_name),
    autoscale_config: input.autoscale_config_name
      ? { autoscale_config_id: newKasmId(), autoscale_config_name: input.autoscale_config_name }
      : null,
    created_ms: existing?.created_ms ?? t,
    last_reported_ms: t,
  };
  if (existing) Object.assign(existing, agent);
  else state.agents.push(agent);
  save();
  return { ...agent };
}

export function setAgentStatus(
  { state, now, save }: KasmContext,
  serverId: string,
  status: string,
  o: { enabled?: boolean } = {},
): EmuAgent {
  const a = agentOf(state, serverId);
  a.operational_status = status;
  if (o.enabled !== undefined) a.enabled = o.enabled;
  a.last_reported_ms = now();
  save();
  return { ...a };
}

export function removeAgent({ state, save }: KasmContext, serverId: string): boolean {
  const before = state.agents.length;
  state.agents = state.agents.filter((a) => a.server_id !== serverId);
  // Sessions die with their agent.
  state.sessions = state.sessions.filter((s) => s.server_id !== serverId);
  save();
  return state.agents.length < before;
}

export function checkIn({ state, now, save }: KasmContext, serverId: string): boolean {
  const a = state.agents.find((x) => x.server_id === serverId);
  if (!a || a.silent_since_ms !== undefined) return false;
  a.last_reported_ms = now();
  save();
  return true;
}

export function stopCheckingIn({ state, now, save, settle }: KasmContext, serverId: string): boolean {
  const a = state.agents.find((x) => x.server_id === serverId);
  if (!a || a.silent_since_ms !== undefined) return false;
  a.silent_since_ms = now();
  save();
  settle();
  return true;
}
