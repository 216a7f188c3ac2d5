import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  delay,
  dropConnection,
  listen,
  parseJsonBody,
  sendHtmlError,
  sendJson,
  sendText,
} from '../common/http.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import {
  acceptsStyle,
  authenticate,
  styleOfPrefix,
  type KasmAuthAccepts,
  type KasmAuthStyle,
} from './auth.js';
import { FaultBook, type KasmFault } from './faults.js';
import { kasmDate, newKasmId } from './format.js';
import {
  freeOn,
  indexSessions,
  isAvailable,
  WAITING,
  type EmuAgent,
  type EmuSession,
  type EmuState,
} from './model.js';
import { deleteServer, settleCheckIns, updateServer } from './agents.js';
import {
  autoscaleConfigRow,
  newAutoscaleConfig,
  type AddAutoscaleConfigInput,
  type EmuAutoscaleConfig,
} from './autoscale-configs.js';
import { checkProviderConfig, createdConfig, mergeUpdate } from './provider-configs.js';
import { maskConfig, serverRow, sessionRow, zoneIdFor, zoneRow } from './views.js';
import { own } from '../../core/own.js';

export type { KasmFault, KasmFaultKind } from './faults.js';
export type { EmuAgent, EmuSession, EmuState } from './model.js';
export type { AddAutoscaleConfigInput, EmuAutoscaleConfig } from './autoscale-configs.js';

/**
 * A local Kasm Workspaces API (Kasm 1.15's API, summarised in docs/kasm-api.md): the calls kasm-scale makes, Kasm's key
 * check and error forms, VM provider configs with masked secrets, Docker agents, sessions
 * and zones. Tests, `demo` and `kasm-scale emulator kasm` drive it through in-process
 * methods or the same methods as HTTP routes under /__emulator/ (no auth: loopback only).
 */

/** 'all', 'read-only' (every get_* call), or a list of call names / permission names. */
export type KasmKeyPermissions = 'all' | 'read-only' | string[];

export interface KasmApiKey {
  apiKey: string;
  apiKeySecret: string;
  permissions?: KasmKeyPermissions;
}

export interface KasmEmulatorOptions {
  port?: number;
  host?: string;
  /** Injectable clock (ms since the epoch) for every date Kasm answers. */
  now?: () => number;
  /** Persist state as JSON here (loaded at start when it exists). */
  stateFile?: string;
  apiKey: string;
  apiKeySecret: string;
  /** Permissions of the main key (default 'all'). */
  permissions?: KasmKeyPermissions;
  /** More keys, e.g. a read-only one. */
  keys?: KasmApiKey[];
  /** Zones that exist at start (default: one named "default"). */
  zones?: string[];
  /** false: provider create/update answer "Access Denied. Auto Scaling is not licensed". */
  licensed?: boolean;
  /** An agent that stopped checking in (stopCheckingIn) is `missing` after this long (default 120 s). */
  missingAfterMs?: number;
  /** Which API key style the server takes (see auth.ts): 'body' (default, Kasm ≤ 1.19), 'basic', or 'both'. */
  auth?: KasmAuthAccepts;
}

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

export interface AddSessionInput {
  kasm_id?: string;
  zone_name?: string;
  cores: number;
  /** bytes */
  memory: number;
  gpus?: number;
  operational_status?: string;
  server_id?: string | null;
  image?: string;
  user?: string;
}

export interface KasmEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The credentials of the main key. */
  apiKey: string;
  apiKeySecret: string;
  registerAgent(input: RegisterAgentInput): EmuAgent;
  setAgentStatus(serverId: string, status: string, opts?: { enabled?: boolean }): EmuAgent;
  removeAgent(serverId: string): boolean;
  /** The agent reports in now (its instance runs): last_reported moves on. */
  checkIn(serverId: string): boolean;
  /** Its instance is gone: no more check-ins; Kasm keeps the record (missing) unless delete_pending. */
  stopCheckingIn(serverId: string): boolean;
  addZone(name: string): void;
  addSession(input: AddSessionInput): EmuSession;
  setSessionStatus(kasmId: string, status: string): EmuSession;
  removeSession(kasmId: string): boolean;
  /** Adds one of Kasm's own autoscale configs (its VM provider config must be stored already). */
  addAutoscaleConfig(input: AddAutoscaleConfigInput): EmuAutoscaleConfig;
  /** Turns one of Kasm's own autoscale configs on or off. */
  setAutoscaleConfigEnabled(autoscaleConfigId: string, enabled: boolean): void;
  /** Places waiting sessions on agents of their zone with room, as Kasm does; returns how many. */
  assignWaitingSessions(): number;
  setFault(fault: KasmFault): void;
  clearFaults(): void;
  /** Counts of API calls by name (for benches and "no call was made" tests). */
  calls(): Record<string, number>;
  /** A deep copy of the state, secrets unmasked (tests only). */
  state(): EmuState;
}

const PERMISSION_OF: Record<string, string> = {
  get_servers: 'servers_view',
  get_agents: 'servers_view',
  get_kasms: 'sessions_view',
  get_zones: 'zones_view',
  get_vm_provider_configs: 'vm_providers_view',
  create_vm_provider_config: 'vm_providers_create',
  update_vm_provider_config: 'vm_providers_modify',
  get_autoscale_configs: 'autoscale_view',
  update_server: 'agents_modify',
  delete_server: 'servers_delete',
};

function allowed(perms: KasmKeyPermissions | undefined, call: string): boolean {
  if (perms === undefined || perms === 'all') return true;
  if (perms === 'read-only') return call.startsWith('get_');
  return perms.includes(call) || perms.includes(own(PERMISSION_OF, call) ?? '');
}

function emptyState(zones: string[]): EmuState {
  return {
    zones: zones.map((z) => ({
      zone_id: newKasmId(),
      zone_name: z,
      upstream_auth_address: 'kasm.emulator.local',
      proxy_hostname: 'kasm.emulator.local',
      proxy_port: 443,
    })),
    agents: [],
    sessions: [],
    vmProviderConfigs: [],
  };
}

export async function startKasmEmulator(opts: KasmEmulatorOptions): Promise<KasmEmulator> {
  const now = opts.now ?? Date.now;
  const keys: KasmApiKey[] = [
    { apiKey: opts.apiKey, apiKeySecret: opts.apiKeySecret, permissions: opts.permissions ?? 'all' },
    ...(opts.keys ?? []),
  ];
  const state: EmuState = loadStateFile<EmuState>(opts.stateFile) ?? emptyState(opts.zones ?? ['default']);
  const faults = new FaultBook();
  const callCounts: Record<string, number> = {};
  const save = () => saveStateFile(opts.stateFile, state);
  const missingAfterMs = opts.missingAfterMs ?? 120_000;
  const settle = () => {
    if (settleCheckIns(state, now(), missingAfterMs)) save();
  };

  const ensureZone = (name: string) => {
    if (!state.zones.some((z) => z.zone_name === name)) {
      state.zones.push({
        zone_id: newKasmId(),
        zone_name: name,
        upstream_auth_address: 'kasm.emulator.local',
        proxy_hostname: 'kasm.emulator.local',
        proxy_port: 443,
      });
    }
  };
  const defaultZone = () => state.zones[0]?.zone_name ?? 'default';
  const agentOf = (id: string) => {
    const a = state.agents.find((x) => x.server_id === id);
    if (!a) throw new Error(`no agent with server_id ${id}`);
    return a;
  };
  const sessionOf = (id: string) => {
    const s = state.sessions.find((x) => x.kasm_id === id);
    if (!s) throw new Error(`no session with kasm_id ${id}`);
    return s;
  };

  const control = {
    registerAgent(input: RegisterAgentInput): EmuAgent {
      if (!input?.server_id) throw new Error('registerAgent needs server_id');
      const zone = input.zone_name ?? defaultZone();
      ensureZone(zone);
      const t = now();
      const existing = state.agents.find((a) => a.server_id === input.server_id);
      // Keys the emulator does not model pass through to get_servers (tests of lenient parsing).
      const known = new Set([
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
      const extra = Object.fromEntries(Object.entries(input).filter(([k]) => !known.has(k)));
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
    },
    setAgentStatus(serverId: string, status: string, o: { enabled?: boolean } = {}): EmuAgent {
      const a = agentOf(serverId);
      a.operational_status = status;
      if (o.enabled !== undefined) a.enabled = o.enabled;
      a.last_reported_ms = now();
      save();
      return { ...a };
    },
    removeAgent(serverId: string): boolean {
      const before = state.agents.length;
      state.agents = state.agents.filter((a) => a.server_id !== serverId);
      // Sessions die with their agent.
      state.sessions = state.sessions.filter((s) => s.server_id !== serverId);
      save();
      return state.agents.length < before;
    },
    checkIn(serverId: string): boolean {
      const a = state.agents.find((x) => x.server_id === serverId);
      if (!a || a.silent_since_ms !== undefined) return false;
      a.last_reported_ms = now();
      save();
      return true;
    },
    stopCheckingIn(serverId: string): boolean {
      const a = state.agents.find((x) => x.server_id === serverId);
      if (!a || a.silent_since_ms !== undefined) return false;
      a.silent_since_ms = now();
      save();
      settle();
      return true;
    },
    addZone(name: string): void {
      ensureZone(name);
      save();
    },
    addSession(input: AddSessionInput): EmuSession {
      const agent = input.server_id ? agentOf(input.server_id) : undefined;
      const zone = input.zone_name ?? agent?.zone_name ?? defaultZone();
      ensureZone(zone);
      const t = now();
      const s: EmuSession = {
        kasm_id: input.kasm_id ?? newKasmId(),
        server_id: input.server_id ?? null,
        zone_name: zone,
        cores: Number(input.cores),
        memory: Number(input.memory),
        gpus: Number(input.gpus ?? 0),
        operational_status: input.operational_status ?? (input.server_id ? 'running' : 'requested'),
        start_ms: t,
        keepalive_ms: t,
        image_name: input.image ?? 'kasmweb/chrome:1.15.0',
        user: input.user ?? 'user@kasm.local',
      };
      state.sessions.push(s);
      save();
      return { ...s };
    },
    setSessionStatus(kasmId: string, status: string): EmuSession {
      const s = sessionOf(kasmId);
      s.operational_status = status;
      s.keepalive_ms = now();
      save();
      return { ...s };
    },
    removeSession(kasmId: string): boolean {
      const before = state.sessions.length;
      state.sessions = state.sessions.filter((s) => s.kasm_id !== kasmId);
      save();
      return state.sessions.length < before;
    },
    addAutoscaleConfig(input: AddAutoscaleConfigInput): EmuAutoscaleConfig {
      ensureZone(String(input?.zone_name ?? ''));
      const row = newAutoscaleConfig(state, input);
      (state.autoscaleConfigs ??= []).push(row);
      save();
      return { ...row };
    },
    setAutoscaleConfigEnabled(autoscaleConfigId: string, enabled: boolean): void {
      const c = (state.autoscaleConfigs ?? []).find((x) => x.autoscale_config_id === autoscaleConfigId);
      if (!c) throw new Error(`no autoscale config ${autoscaleConfigId}`);
      c.enabled = enabled;
      save();
    },
    assignWaitingSessions(): number {
      settle();
      let placed = 0;
      const waiting = state.sessions
        .filter((s) => !s.server_id && WAITING.has(s.operational_status))
        .sort((a, b) => a.start_ms - b.start_ms);
      for (const s of waiting) {
        // Kasm places a session on the least-loaded agent of its zone that has room.
        const candidates = state.agents
          .filter((a) => a.server_type === 'host' && a.zone_name === s.zone_name && isAvailable(a))
          .map((a) => ({ a, free: freeOn(state, a) }))
          .filter(({ free }) => free.cores >= s.cores && free.memory >= s.memory && free.gpus >= s.gpus)
          .sort((x, y) => y.free.cores - x.free.cores);
        const pick = candidates[0];
        if (!pick) continue;
        s.server_id = pick.a.server_id;
        s.operational_status = 'running';
        s.keepalive_ms = now();
        placed++;
      }
      if (placed) save();
      return placed;
    },
    setFault(f: KasmFault): void {
      faults.add(f);
    },
    clearFaults(): void {
      faults.clear();
    },
    calls: () => ({ ...callCounts }),
    state: () => {
      settle();
      return JSON.parse(JSON.stringify(state)) as EmuState;
    },
  };

  /** The Kasm API calls: each returns [status, body]. */
  const api: Record<string, (body: Record<string, unknown>) => [number, unknown]> = {
    get_servers: () => {
      const index = indexSessions(state);
      return [200, { servers: state.agents.map((a) => serverRow(state, a, index)) }];
    },
    get_agents: () => [
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
    ],
    get_kasms: () => {
      const agents = new Map(state.agents.map((a) => [a.server_id, a]));
      return [
        200,
        { kasms: state.sessions.map((s) => sessionRow(state, s, agents)), current_time: kasmDate(now()) },
      ];
    },
    get_zones: () => {
      const index = indexSessions(state);
      return [200, { zones: state.zones.map((z) => zoneRow(state, z, index)) }];
    },
    get_vm_provider_configs: () => [200, { vm_provider_configs: state.vmProviderConfigs.map(maskConfig) }],
    get_autoscale_configs: () => [
      200,
      { autoscale_configs: (state.autoscaleConfigs ?? []).map((c) => autoscaleConfigRow(state, c)) },
    ],
    create_vm_provider_config: (body) => {
      if (opts.licensed === false)
        return [200, { error_message: 'Access Denied. Auto Scaling is not licensed' }];
      const target = body.target_vm_provider_config;
      if (!target || typeof target !== 'object' || Array.isArray(target))
        return [200, { error_message: 'Missing target_vm_provider_config' }];
      const t = target as Record<string, unknown>;
      const problem = checkProviderConfig(t, true);
      if (problem) return [200, { error_message: problem }];
      const stored = createdConfig(t, newKasmId());
      state.vmProviderConfigs.push(stored);
      save();
      return [200, { vm_provider_config: maskConfig(stored) }];
    },
    update_vm_provider_config: (body) => {
      if (opts.licensed === false)
        return [200, { error_message: 'Access Denied. Auto Scaling is not licensed' }];
      const target = body.target_vm_provider_config;
      if (!target || typeof target !== 'object' || Array.isArray(target))
        return [200, { error_message: 'Missing target_vm_provider_config' }];
      const t = target as Record<string, unknown>;
      const id = t.vm_provider_config_id ?? body.vm_provider_config_id;
      const i = state.vmProviderConfigs.findIndex((c) => c.vm_provider_config_id === id);
      if (i < 0) return [200, { error_message: 'Unable to find VM Provider Config' }];
      const problem = checkProviderConfig(t, false);
      if (problem) return [200, { error_message: problem }];
      const merged = mergeUpdate(state.vmProviderConfigs[i], t) as EmuState['vmProviderConfigs'][number];
      state.vmProviderConfigs[i] = merged;
      save();
      return [200, { vm_provider_config: maskConfig(merged) }];
    },
    update_server: (body) => {
      const answer = updateServer(state, body, (a) => serverRow(state, a));
      save();
      return answer;
    },
    delete_server: (body) => {
      const answer = deleteServer(state, body);
      save();
      return answer;
    },
  };

  async function handleApi(
    httpReq: IncomingMessage,
    res: ServerResponse,
    call: string,
    body: Buffer,
    style: KasmAuthStyle,
    authorization: string | undefined,
  ): Promise<void> {
    callCounts[call] = (callCounts[call] ?? 0) + 1;
    const { latencyMs, failure } = faults.take(call);
    if (latencyMs > 0) await delay(latencyMs);
    if (failure) {
      switch (failure.kind) {
        case 'drop':
          return dropConnection(res);
        case 'html500':
          return sendHtmlError(res, failure.status ?? 500);
        case 'error_message':
          return sendJson(res, 200, { error_message: failure.message ?? 'Injected failure' });
        case 'status': {
          const status = failure.status ?? 500;
          if (status === 401) return sendJson(res, 401, { error_message: failure.message ?? 'Unauthorized' });
          if (status === 403)
            return sendJson(res, 403, { error_message: failure.message ?? 'Access Denied' });
          if (status === 429)
            return sendJson(
              res,
              429,
              { error_message: failure.message ?? 'Too Many Requests' },
              { 'retry-after': '1' },
            );
          if (failure.message) return sendJson(res, status, { error_message: failure.message });
          return sendText(res, status, `${status} error`);
        }
        case 'latency':
          // take() folds latency into latencyMs and never returns it as the failure.
          break;
      }
    }
    const doc = parseJsonBody(body);
    if (doc === undefined || typeof doc !== 'object' || doc === null || Array.isArray(doc))
      return sendJson(res, 400, { error_message: 'Invalid JSON body' });
    const reqBody = doc as Record<string, unknown>;
    // Kasm's key check: no credentials 400, wrong key or secret 403, lacking permission 401.
    const verdict = authenticate(style, authorization, reqBody, keys);
    if (!verdict.ok) return sendJson(res, verdict.status, { error_message: verdict.message });
    const key = verdict.key;
    if (!allowed(key.permissions, call)) return sendJson(res, 401, { error_message: 'Unauthorized' });
    // A caller that went away while the answer was delayed (a killed pass) never reached
    // Kasm: the call is not carried out, so crash tests land exactly between two steps.
    if (res.destroyed || httpReq.socket?.destroyed) return;
    settle();
    const [status, answer] = api[call](reqBody);
    sendJson(res, status, answer);
  }

  async function handleControl(res: ServerResponse, method: string, body: Buffer): Promise<void> {
    const doc = parseJsonBody(body);
    if (doc === undefined) return sendJson(res, 400, { error: 'body is not JSON' });
    const a = (doc ?? {}) as Record<string, unknown>;
    try {
      let result: unknown;
      switch (method) {
        case 'registerAgent':
          result = control.registerAgent(a as unknown as RegisterAgentInput);
          break;
        case 'setAgentStatus':
          result = control.setAgentStatus(String(a.server_id), String(a.operational_status ?? a.status), {
            enabled: a.enabled as boolean | undefined,
          });
          break;
        case 'removeAgent':
          result = { removed: control.removeAgent(String(a.server_id)) };
          break;
        case 'checkIn':
          result = { ok: control.checkIn(String(a.server_id)) };
          break;
        case 'stopCheckingIn':
          result = { ok: control.stopCheckingIn(String(a.server_id)) };
          break;
        case 'addZone':
          control.addZone(String(a.zone_name));
          result = { ok: true };
          break;
        case 'addSession':
          result = control.addSession(a as unknown as AddSessionInput);
          break;
        case 'setSessionStatus':
          result = control.setSessionStatus(String(a.kasm_id), String(a.operational_status ?? a.status));
          break;
        case 'removeSession':
          result = { removed: control.removeSession(String(a.kasm_id)) };
          break;
        case 'addAutoscaleConfig':
          result = control.addAutoscaleConfig(a as unknown as AddAutoscaleConfigInput);
          break;
        case 'setAutoscaleConfigEnabled':
          control.setAutoscaleConfigEnabled(String(a.autoscale_config_id), Boolean(a.enabled));
          result = { ok: true };
          break;
        case 'assignWaitingSessions':
          result = { assigned: control.assignWaitingSessions() };
          break;
        case 'setFault':
          control.setFault(a as unknown as KasmFault);
          result = { ok: true };
          break;
        case 'clearFaults':
          control.clearFaults();
          result = { ok: true };
          break;
        case 'calls':
          result = control.calls();
          break;
        case 'state':
          result = control.state();
          break;
        default:
          return sendJson(res, 404, { error: `unknown control method ${method}` });
      }
      sendJson(res, 200, result ?? { ok: true });
    } catch (err) {
      sendJson(res, 400, { error: (err as Error).message });
    }
  }

  const started = await listen(
    async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      const path = (req.url ?? '/').split('?')[0];
      const ctl = /^\/__emulator\/([A-Za-z]+)\/?$/.exec(path);
      if (ctl) return handleControl(res, ctl[1], body);
      const m = /^\/api\/(?:(public|admin)\/)?([a-z_]+)\/?$/.exec(path);
      const style = styleOfPrefix(m?.[1]);
      if (m && Object.hasOwn(api, m[2]) && acceptsStyle(opts.auth ?? 'body', style)) {
        if (req.method !== 'POST') return sendText(res, 405, '405 Method Not Allowed');
        return handleApi(req, res, m[2], body, style, req.headers.authorization);
      }
      sendText(res, 404, '404 Not Found\n\nThe path was not found.');
    },
    { port: opts.port, host: opts.host },
  );

  return {
    url: started.url,
    port: started.port,
    close: started.close,
    apiKey: opts.apiKey,
    apiKeySecret: opts.apiKeySecret,
    ...control,
  };
}
