import { CLOUD_LIST } from '../../clouds/registry.js';
import { kasmDate, MASK } from './format.js';
import {
  capacityOf,
  CONSUMING,
  freeOn,
  indexSessions,
  isAvailable,
  usedOn,
  type EmuAgent,
  type EmuSession,
  type EmuState,
  type EmuZone,
  type SessionIndex,
} from './model.js';

/** How Kasm's answers look: rows built from the state at read time. */

function calc(used: number, max: number) {
  return { percentage: max > 0 ? Math.round((used / max) * 100) : 0, used, max };
}

export function zoneIdFor(state: EmuState, zoneName: string): string | null {
  return state.zones.find((z) => z.zone_name === zoneName)?.zone_id ?? null;
}

/** A `get_servers` row. */
export function serverRow(state: EmuState, a: EmuAgent, index: SessionIndex = indexSessions(state)) {
  const cap = capacityOf(a);
  const used = usedOn(state, a.server_id, index);
  const { created_ms, last_reported_ms, silent_since_ms: _silent, ...rest } = a;
  return {
    ...rest,
    zone_id: zoneIdFor(state, a.zone_name),
    created: kasmDate(created_ms),
    last_reported: kasmDate(last_reported_ms),
    core_calculations: calc(used.cores, cap.cores),
    memory_calculations: calc(used.memory, cap.memory),
    gpu_calculations: calc(used.gpus, cap.gpus),
    kasms: (index.get(a.server_id) ?? []).map((s) => ({
      kasm_id: s.kasm_id,
      start_date: kasmDate(s.start_ms),
      keepalive_date: kasmDate(s.keepalive_ms),
      user: { username: s.user },
    })),
  };
}

/** A `get_kasms` row. `server` is filled once the session has an agent. */
export function sessionRow(state: EmuState, s: EmuSession, agents?: Map<string, EmuAgent>) {
  const agent = !s.server_id
    ? undefined
    : agents
      ? agents.get(s.server_id)
      : state.agents.find((a) => a.server_id === s.server_id);
  return {
    kasm_id: s.kasm_id,
    server_id: s.server_id,
    cores: s.cores,
    memory: s.memory,
    gpus: s.gpus,
    operational_status: s.operational_status,
    start_date: kasmDate(s.start_ms),
    keepalive_date: kasmDate(s.keepalive_ms),
    zone_name: s.zone_name,
    image: {
      image_id: 'emulated0image0000000000000000000'.slice(0, 32),
      name: s.image_name,
      friendly_name: s.image_name,
    },
    user: { username: s.user },
    server: agent
      ? { hostname: agent.hostname, port: 443, provider: agent.provider, zone_name: agent.zone_name }
      : null,
  };
}

/** A `get_zones` row, with what is free on its enabled running agents. */
export function zoneRow(state: EmuState, z: EmuZone, index: SessionIndex = indexSessions(state)) {
  let cores = 0;
  let memory = 0;
  let gpus = 0;
  for (const a of state.agents) {
    if (a.server_type !== 'host' || a.zone_name !== z.zone_name || !isAvailable(a)) continue;
    const free = freeOn(state, a, index);
    cores += Math.max(0, free.cores);
    memory += Math.max(0, free.memory);
    gpus += Math.max(0, free.gpus);
  }
  return { ...z, available_cores: cores, available_memory: memory, available_gpus: gpus };
}

/**
 * Keys Kasm never answers in clear: each cloud's submit fields of the secret type, under
 * Kasm's own names (which can differ from the config file's: the file's
 * `oci_private_key_passphrase` has no Kasm field at all), plus any of the cloud's secret
 * keys that Kasm's form shares. Read from the cloud registry, so a cloud added there is
 * masked here without a second list to keep.
 */
export const SECRET_KEYS: readonly string[] = [
  ...new Set(
    CLOUD_LIST.flatMap((c) =>
      c.submitFields.filter((f) => f.type === 'secret' || c.secretKeys.includes(f.key)).map((f) => f.key),
    ),
  ),
];

export function maskConfig(c: Record<string, unknown>): Record<string, unknown> {
  const out = { ...c };
  for (const k of SECRET_KEYS) if (out[k] !== undefined && out[k] !== null && out[k] !== '') out[k] = MASK;
  return out;
}

export { CONSUMING };
