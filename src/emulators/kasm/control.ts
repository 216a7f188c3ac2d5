/**
 * The emulator's control methods: what tests, `demo` and `simulate` do to the world Kasm
 * reports (agents, sessions, zones, autoscale configs, faults). The same methods answer in
 * process and as /__emulator/<method> routes (control-routes.ts).
 */
import {
  checkIn,
  registerAgent,
  removeAgent,
  setAgentStatus,
  stopCheckingIn,
  type RegisterAgentInput,
} from './agent-control.js';
import {
  addAutoscaleConfig,
  setAutoscaleConfigEnabled,
  type AddAutoscaleConfigInput,
  type EmuAutoscaleConfig,
} from './autoscale-configs.js';
import type { KasmContext } from './context.js';
import type { FaultBook, KasmFault } from './faults.js';
import type { EmuAgent, EmuSession, EmuState } from './model.js';
import {
  addSession,
  assignWaitingSessions,
  removeSession,
  setSessionStatus,
  type AddSessionInput,
} from './sessions.js';
import { addZone } from './zones.js';

export interface KasmControl {
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

export function createControl(
  ctx: KasmContext,
  faults: FaultBook,
  callCounts: Record<string, number>,
): KasmControl {
  return {
    registerAgent: (input) => registerAgent(ctx, input),
    setAgentStatus: (serverId, status, opts) => setAgentStatus(ctx, serverId, status, opts),
    removeAgent: (serverId) => removeAgent(ctx, serverId),
    checkIn: (serverId) => checkIn(ctx, serverId),
    stopCheckingIn: (serverId) => stopCheckingIn(ctx, serverId),
    addZone: (name) => addZone(ctx, name),
    addSession: (input) => addSession(ctx, input),
    setSessionStatus: (kasmId, status) => setSessionStatus(ctx, kasmId, status),
    removeSession: (kasmId) => removeSession(ctx, kasmId),
    addAutoscaleConfig: (input) => addAutoscaleConfig(ctx, input),
    setAutoscaleConfigEnabled: (id, enabled) => setAutoscaleConfigEnabled(ctx, id, enabled),
    assignWaitingSessions: () => assignWaitingSessions(ctx),
    setFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    calls: () => ({ ...callCounts }),
    state: () => {
      ctx.settle();
      return JSON.parse(JSON.stringify(ctx.state)) as EmuState;
    },
  };
}
