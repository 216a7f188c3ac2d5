/**
 * What every handler of the Kasm emulator works on: the state, the clock, and the two
 * things a change must do (save the state file; let silent agents turn missing first).
 * One context per started emulator; handlers are plain functions of it, so each resource
 * file holds its calls and the route tables only point at them.
 */
import { newKasmId } from './format.js';
import type { EmuAgent, EmuSession, EmuState, EmuZone } from './model.js';

export interface KasmContext {
  /** Kept as one object for the emulator's life: handlers replace its lists, never it. */
  readonly state: EmuState;
  now(): number;
  /** Writes the state file, when there is one. */
  save(): void;
  /** Applies the check-in rule at now() (agents.ts) before anything reads the agents. */
  settle(): void;
  /** false: provider config create/update are refused as on an unlicensed Kasm. */
  readonly licensed: boolean;
}

/** A Kasm API call's answer: HTTP status and JSON body (errors are usually 200 + error_message). */
export type ApiAnswer = [number, unknown];

/** One Kasm API call: the request's JSON body (credentials checked already) in, its answer out. */
export type KasmCall = (ctx: KasmContext, body: Record<string, unknown>) => ApiAnswer;

const newZone = (name: string): EmuZone => ({
  zone_id: newKasmId(),
  zone_name: name,
  upstream_auth_address: 'kasm.emulator.local',
  proxy_hostname: 'kasm.emulator.local',
  proxy_port: 443,
});

export function emptyState(zones: string[]): EmuState {
  return { zones: zones.map(newZone), agents: [], sessions: [], vmProviderConfigs: [] };
}

/** Kasm creates no zone by itself; the emulator adds one when a test names a new one. */
export function ensureZone(state: EmuState, name: string): void {
  if (!state.zones.some((z) => z.zone_name === name)) state.zones.push(newZone(name));
}

export const defaultZone = (state: EmuState): string => state.zones[0]?.zone_name ?? 'default';

export function agentOf(state: EmuState, id: string): EmuAgent {
  const a = state.agents.find((x) => x.server_id === id);
  if (!a) throw new Error(`no agent with server_id ${id}`);
  return a;
}

export function sessionOf(state: EmuState, id: string): EmuSession {
  const s = state.sessions.find((x) => x.kasm_id === id);
  if (!s) throw new Error(`no session with kasm_id ${id}`);
  return s;
}
