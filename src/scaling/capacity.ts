/**
 * Kasm's capacity arithmetic, in one place. An agent offers its override when the override
 * is non-zero, else its actual cores / memory / GPUs (Kasm's own rule). Kasm reports memory
 * in bytes; standby_memory_mb is in MB and agent_memory_override_gb in GB: everything here
 * is converted to MB.
 */
import type { KasmServer, KasmSession } from '../kasm/types.js';
import type { Resources } from './types.js';

export const MB = 1024 * 1024;
export const RESOURCES = ['cores', 'memoryMb', 'gpus'] as const;
export type ResourceName = (typeof RESOURCES)[number];
/** Words used in reasons: `free cores 2 < standby 8`. */
export const RESOURCE_WORD: Record<ResourceName, string> = {
  cores: 'cores',
  memoryMb: 'memory MB',
  gpus: 'GPUs',
};

export const zero = (): Resources => ({ cores: 0, memoryMb: 0, gpus: 0 });
export const add = (a: Resources, b: Resources): Resources => ({
  cores: a.cores + b.cores,
  memoryMb: a.memoryMb + b.memoryMb,
  gpus: a.gpus + b.gpus,
});
export const sub = (a: Resources, b: Resources): Resources => ({
  cores: a.cores - b.cores,
  memoryMb: a.memoryMb - b.memoryMb,
  gpus: a.gpus - b.gpus,
});
export const scale = (a: Resources, n: number): Resources => ({
  cores: a.cores * n,
  memoryMb: a.memoryMb * n,
  gpus: a.gpus * n,
});
export const clampZero = (a: Resources): Resources => ({
  cores: Math.max(0, a.cores),
  memoryMb: Math.max(0, a.memoryMb),
  gpus: Math.max(0, a.gpus),
});

const num = (v: unknown): number => {
  const n = typeof v === 'string' ? Number(v) : (v as number);
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
};

/** What one agent offers (Kasm: override when non-zero, else actual). */
export function agentCapacity(s: KasmServer): Resources {
  const cores = num(s.cores_override) || num(s.cores);
  const memBytes = num(s.memory_override) || num(s.memory);
  const gpus = num(s.gpus_override) || num(s.gpus);
  return { cores, memoryMb: memBytes / MB, gpus };
}

/** Sessions that consume their agent's resources. */
export const ACTIVE_SESSION = new Set(['running', 'starting']);
/** Sessions waiting for an agent: demand not yet placed. */
export const WAITING_SESSION = new Set(['requested', 'provisioning', 'assigned']);

export function sessionSize(k: KasmSession): Resources {
  return { cores: num(k.cores), memoryMb: num(k.memory) / MB, gpus: num(k.gpus) };
}

export function isWaiting(k: KasmSession): boolean {
  return WAITING_SESSION.has(String(k.operational_status)) && !k.server_id;
}

/** Docker agents are `server_type: "host"`; snapshots that leave the key out are taken as agents. */
export function isDockerAgent(s: KasmServer): boolean {
  return s.server_type === undefined || s.server_type === null || s.server_type === 'host';
}

/** Human numbers: cores and GPUs as they are, memory in MB rounded. */
export function fmt(r: ResourceName, v: number): string {
  if (r === 'memoryMb') return String(Math.round(v));
  return String(Math.round(v * 100) / 100);
}
