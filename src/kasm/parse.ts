import type {
  KasmAutoscaleConfig,
  KasmServer,
  KasmSession,
  KasmVmProviderConfig,
  KasmZone,
} from './types.js';

/**
 * Lenient reading of Kasm's answers: unknown keys pass through untouched, numbers that
 * come as strings become numbers, missing optional keys get neutral values. Only the
 * list itself is required (an answer without it is not the answer we asked for).
 */

export function num(v: unknown, dflt = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return dflt;
}

function optNum(v: unknown): number | null {
  return v === undefined || v === null || v === '' ? null : num(v);
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'string') return v.toLowerCase() === 'true' || v === '1';
  return Boolean(v);
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function optStr(v: unknown): string | null {
  return v === undefined || v === null || v === '' ? null : String(v);
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A whole agent row: the typed keys read as the compact form reads them, the rest kept as sent. */
export function parseServer(raw: unknown): KasmServer {
  const r = obj(raw);
  const kasms = Array.isArray(r.kasms)
    ? (r.kasms as unknown[]).map((k) => ({ ...obj(k), kasm_id: str(obj(k).kasm_id) }))
    : [];
  return { ...r, ...compactServer(r), kasms };
}

/** A whole session row: the typed keys read as the compact form reads them, the rest kept as sent. */
export function parseSession(raw: unknown): KasmSession {
  const r = obj(raw);
  const server = r.server && typeof r.server === 'object' ? (r.server as KasmSession['server']) : null;
  return { ...r, ...compactSession(r), server };
}

export function parseZone(raw: unknown): KasmZone {
  const r = obj(raw);
  return { ...r, zone_id: str(r.zone_id), zone_name: str(r.zone_name) };
}

export function parseProviderConfig(raw: unknown): KasmVmProviderConfig {
  const r = obj(raw);
  return {
    ...r,
    vm_provider_name: str(r.vm_provider_name),
    vm_provider_config_id: str(r.vm_provider_config_id),
    vm_provider_config_name: str(r.vm_provider_config_name),
  };
}

/** The provider config id of a Kasm autoscale config: `vm_provider_config_id`, else the first non-empty `<cloud>_vm_config_id`. */
function providerConfigIdOf(r: Record<string, unknown>): string | null {
  const direct = optStr(r.vm_provider_config_id);
  if (direct) return direct;
  for (const [k, v] of Object.entries(r)) if (k.endsWith('_vm_config_id') && optStr(v)) return String(v);
  return null;
}

export function parseAutoscaleConfig(raw: unknown): KasmAutoscaleConfig {
  const r = obj(raw);
  return {
    ...r,
    autoscale_config_id: str(r.autoscale_config_id),
    autoscale_config_name: str(r.autoscale_config_name),
    autoscale_type: str(r.autoscale_type),
    enabled: bool(r.enabled, false),
    zone_id: optStr(r.zone_id),
    vm_provider_config_id: providerConfigIdOf(r),
  };
}

/** Docker agents are the `get_servers` rows with `server_type: "host"`. */
export function dockerAgents(servers: KasmServer[]): KasmServer[] {
  return servers.filter((s) => s.server_type === 'host');
}

/**
 * The compact forms a reconcile pass keeps: the same values as parseServer/parseSession for
 * every key the types name, and nothing else — Kasm's rows carry images, users and settings
 * the planner never reads (20,000 sessions are ~16 MB of JSON). An agent's session list
 * keeps only the ids (the planner asks whether there is any).
 */
const SERVER_KEYS = [
  'server_type',
  'hostname',
  'instance_id',
  'provider',
  'server_pool_id',
  'is_autoscaled',
  'autoscale_config',
  'last_reported',
] as const;
const SESSION_KEYS = ['start_date', 'keepalive_date'] as const;

export function compactServer(raw: unknown): KasmServer {
  const r = obj(raw);
  const s: KasmServer = {
    server_id: str(r.server_id),
    operational_status: str(r.operational_status),
    enabled: bool(r.enabled, true),
    cores: num(r.cores),
    memory: num(r.memory),
    gpus: num(r.gpus),
    cores_override: optNum(r.cores_override),
    memory_override: optNum(r.memory_override),
    gpus_override: optNum(r.gpus_override),
    zone_id: optStr(r.zone_id),
    zone_name: optStr(r.zone_name),
    kasms: Array.isArray(r.kasms)
      ? (r.kasms as unknown[]).map((k) => ({ kasm_id: str(obj(k).kasm_id) }))
      : [],
  };
  for (const k of SERVER_KEYS) if (k in r) s[k] = r[k] as never;
  return s;
}

export function compactSession(raw: unknown): KasmSession {
  const r = obj(raw);
  const server =
    r.server && typeof r.server === 'object' ? (r.server as NonNullable<KasmSession['server']>) : null;
  const s: KasmSession = {
    kasm_id: str(r.kasm_id),
    server_id: optStr(r.server_id),
    cores: num(r.cores),
    memory: num(r.memory),
    gpus: num(r.gpus),
    operational_status: str(r.operational_status),
    // Only what the planner reads of the agent: its zone, for sessions that carry none.
    server: server ? (server.zone_name === undefined ? {} : { zone_name: server.zone_name }) : null,
    zone_name: optStr(r.zone_name) ?? optStr(server?.zone_name),
  };
  for (const k of SESSION_KEYS) if (k in r) s[k] = r[k] as never;
  return s;
}

/** Kasm's dates: `2024-03-05 22:18:50.063048`, UTC without a zone. */
export function parseKasmDate(v: unknown): Date | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return undefined;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const t = Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
  return Number.isFinite(t) ? new Date(t) : undefined;
}
