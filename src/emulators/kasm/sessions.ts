/**
 * Sessions ("kasms"): Kasm's `get_kasms`, and the control methods a test uses to make the
 * demand reconcile sees — sessions asked for, placed by Kasm's rule, changing status, gone.
 */
import { agentOf, defaultZone, ensureZone, sessionOf, type KasmCall, type KasmContext } from './context.js';
import { kasmDate, newKasmId } from './format.js';
import { freeOn, isAvailable, WAITING, type EmuSession } from './model.js';
import { sessionRow } from './views.js';

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

export const getKasms: KasmCall = ({ state, now }) => {
  const agents = new Map(state.agents.map((a) => [a.server_id, a]));
  return [
    200,
    { kasms: state.sessions.map((s) => sessionRow(state, s, agents)), current_time: kasmDate(now()) },
  ];
};

export function addSession({ state, now, save }: KasmContext, input: AddSessionInput): EmuSession {
  const agent = input.server_id ? agentOf(state, input.server_id) : undefined;
  const zone = input.zone_name ?? agent?.zone_name ?? defaultZone(state);
  ensureZone(state, zone);
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
}

export function setSessionStatus(
  { state, now, save }: KasmContext,
  kasmId: string,
  status: string,
): EmuSession {
  const s = sessionOf(state, kasmId);
  s.operational_status = status;
  s.keepalive_ms = now();
  save();
  return { ...s };
}

export function removeSession({ state, save }: KasmContext, kasmId: string): boolean {
  const before = state.sessions.length;
  state.sessions = state.sessions.filter((s) => s.kasm_id !== kasmId);
  save();
  return state.sessions.length < before;
}

/** Places waiting sessions, oldest first, as Kasm does; returns how many were placed. */
export function assignWaitingSessions({ state, now, save, settle }: KasmContext): number {
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
}
