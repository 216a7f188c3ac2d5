/**
 * What `simulate`, `demo` and `emulator --for` need from a cloud: start its emulator (a
 * fake cloud, src/emulators/<cloud>/) on an injected clock, make it accept what the
 * config's providers will ask for, and tell the size of the agents it would run. Loaded
 * lazily from the emulator registry (registry.ts): no emulator code in a reconcile pass.
 */
import type { AgentShape } from '../clouds/agent-shapes.js';

export interface SimulationStart {
  now: () => number;
  provisioningDelayMs: number;
  deleteDelayMs: number;
}

/** An emulator of one cloud, started for a simulated world. */
export interface SimulatedCloud<P> {
  /** The emulator itself (World exposes it to scenarios and tests). */
  readonly emulator: unknown;
  readonly url: string;
  /** 'running' / 'terminated' events with the instance's id and tags. */
  onEvent(
    event: 'running' | 'terminated',
    listener: (ev: { id: string; tags?: Record<string, string> }) => void,
  ): void;
  /** Lets lifecycles catch up with the clock. */
  refresh(): void;
  /** Instances of ours (isOwned on their tags) not yet terminated. */
  aliveOwned(isOwned: (tags: Record<string, string> | undefined) => boolean): number;
  /** Makes it accept these providers; returns notes on what it assumed. */
  seed(providers: P[]): string[];
  /** The size an agent of this provider registers with. */
  agentShape(p: P): AgentShape;
  close(): Promise<void>;
}

export interface CloudSimulation<P> {
  start(o: SimulationStart): Promise<SimulatedCloud<P>>;
  /** Seeds an emulator started by `kasm-scale emulator <cloud> --for CONFIG`. */
  seedStarted(emulator: unknown, providers: P[]): string[];
}
