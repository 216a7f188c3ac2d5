/**
 * Kasm 1.15's agent admin calls and the agent's check-in lifecycle (Kasm 1.15's API, summarised in docs/kasm-api.md):
 *
 * - `update_server` changes a Docker agent's `enabled` and overrides; it needs
 *   `server_type: "host"` (without it Kasm answers 401 "Unauthorized Action"); keys sent
 *   as null or left out are unchanged; an unknown server is 200 "Server (id) Does not Exist".
 * - `delete_server` refuses while any session is on the agent unless `force` is true (an
 *   atomic "only if empty" check), otherwise marks the agent `delete_pending`; a `force`
 *   that is not a boolean is refused.
 * - An agent checks in while its instance runs. When the instance is gone it stops; after
 *   `missingAfterMs` without a check-in Kasm shows it `missing` and keeps the record for
 *   ever, unless it was `delete_pending`: then the record goes.
 * - `get_servers` lists every server; `get_agents` (newer Kasm, unverified) the Docker agents.
 */
import type { ApiAnswer, KasmCall } from './context.js';
import { indexSessions, type EmuAgent, type EmuState } from './model.js';
import { serverRow, zoneIdFor } from './views.js';

const OVERRIDES = ['cores_override', 'memory_override', 'gpus_override'] as const;

const targetOf = (body: Record<string, unknown>): Record<string, unknown> | undefined => {
  const t = body.target_server;
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : undefined;
};

const notFound = (id: unknown): ApiAnswer => [
  200,
  { error_message: `Server (${String(id)}) Does not Exist` },
];

export const getServers: KasmCall = ({ state }) => {
  const index = indexSessions(state);
  return [200, { servers: state.agents.map((a) => serverRow(state, a, index)) }];
};

export const getAgents: KasmCall = ({ state }) => [
  200,
  {
    agents: state.agents
      .filter((a) => a.server_type === 'host')
      .map((a) => ({
        agent_id: a.server_id,
        server_id: a.server_id,
        hostname: a.hostname,
        status: a.operational_status,
        zone_id: zoneIdFor(state, a.zone_name),
        enabled: a.enabled,
        cores: a.cores,
        memory: a.memory,
        gpus: a.gpus,
        cores_override: a.cores_override,
        memory_override: a.memory_override,
        gpus_override: a.gpus_override,
      })),
  },
];

export const updateServer: KasmCall = (ctx, body) => {
  const answer = applyServerUpdate(ctx.state, body);
  ctx.save();
  return answer;
};

export const deleteServer: KasmCall = (ctx, body) => {
  const answer = applyServerDelete(ctx.state, body);
  ctx.save();
  return answer;
};

function applyServerUpdate(state: EmuState, body: Record<string, unknown>): ApiAnswer {
  const t = targetOf(body);
  if (!t) return [200, { error_message: 'Missing target_server' }];
  const agent = state.agents.find((a) => a.server_id === t.server_id);
  // Kasm checks the permission for the server type it is told; no type, no permission.
  if (t.server_type !== 'host' && t.server_type !== agent?.server_type)
    return [401, { error_message: 'Unauthorized Action' }];
  if (!agent) return notFound(t.server_id);
  if (t.enabled !== undefined && t.enabled !== null) {
    if (typeof t.enabled !== 'boolean') return [200, { error_message: 'Invalid value for enabled' }];
    agent.enabled = t.enabled;
  }
  for (const k of OVERRIDES) {
    const v = t[k];
    if (v === undefined || v === null) continue;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      return [200, { error_message: `Invalid value for ${k}` }];
    agent[k] = n;
  }
  return [200, { server: serverRow(state, agent) }];
}

function applyServerDelete(state: EmuState, body: Record<string, unknown>): ApiAnswer {
  const t = targetOf(body);
  if (!t) return [200, { error_message: 'Missing target_server' }];
  if (body.force !== undefined && typeof body.force !== 'boolean')
    return [200, { error_message: "Invalid value for 'force': expected true or false" }];
  const agent = state.agents.find((a) => a.server_id === t.server_id);
  if (!agent) return notFound(t.server_id);
  const sessions = state.sessions.filter((s) => s.server_id === agent.server_id);
  if (sessions.length > 0 && body.force !== true)
    return [
      200,
      { error_message: `Server contains (${sessions.length}) kasms and 'force' option not set to True` },
    ];
  if (sessions.length > 0) state.sessions = state.sessions.filter((s) => s.server_id !== agent.server_id);
  agent.operational_status = 'delete_pending';
  return [200, {}];
}

/**
 * Applies the check-in rule at `now`: silent agents turn `missing`; silent
 * `delete_pending` ones are removed (with any session left on them). True when changed.
 */
export function settleCheckIns(state: EmuState, now: number, missingAfterMs: number): boolean {
  let changed = false;
  const silent = (a: EmuAgent) =>
    typeof a.silent_since_ms === 'number' && now - a.last_reported_ms >= missingAfterMs;
  const gone = new Set(
    state.agents
      .filter(
        (a) =>
          silent(a) && (a.operational_status === 'delete_pending' || a.operational_status === 'destroying'),
      )
      .map((a) => a.server_id),
  );
  if (gone.size) {
    state.agents = state.agents.filter((a) => !gone.has(a.server_id));
    state.sessions = state.sessions.filter((s) => !s.server_id || !gone.has(s.server_id));
    changed = true;
  }
  for (const a of state.agents) {
    if (silent(a) && (a.operational_status === 'running' || a.operational_status === 'starting')) {
      a.operational_status = 'missing';
      changed = true;
    }
  }
  return changed;
}
