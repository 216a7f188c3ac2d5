/**
 * What `simulate`, `demo` and `emulator --for` need from a cloud: start its emulator (a
 * fake cloud, src/emulators/<cloud>/) on an injected clock, make it accept what the
 * config's providers will ask for, tell the size of the agents it would run, list its
 * instances in a shape every cloud shares, and inject the faults a trace asks for (no
 * capacity, preemption). Loaded lazily from the emulator registry (registry.ts): no
 * emulator code in a reconcile pass, and simulate never names a cloud.
 */
import type { AgentShape } from '../clouds/agent-shapes.js';

export interface SimulationStart {
  now: () => number;
  provisioningDelayMs: number;
  deleteDelayMs: number;
}

/** One instance as the emulator's API shows it, in the words every cloud shares. */
export interface SimulatedInstance {
  /** What the cloud calls it by (OCI: its OCID; GCP: its name); preempt() takes it back. */
  id: string;
  /** Its freeform tags / labels (ownership, pool, server id). */
  tags: Record<string, string>;
  /** Where it runs, as the provider's `zones` name it (an OCI availability domain, a GCP zone). */
  zone: string;
  /** Launched on spot / preemptible capacity. */
  spot: boolean;
  /** Not terminated: billed. */
  alive: boolean;
  /** Booted and running: what a preemption can take. */
  running: boolean;
}

/** An emulator of one cloud, started for a simulated world. */
export interface SimulatedCloud<P, E = unknown> {
  /** The emulator itself (World exposes it under the cloud's name to scenarios and tests). */
  readonly emulator: E;
  readonly url: string;
  /** 'running' / 'terminated' events with the instance's id and tags. */
  onEvent(
    event: 'running' | 'terminated',
    listener: (ev: { id: string; tags?: Record<string, string> }) => void,
  ): void;
  /** Lets lifecycles catch up with the clock. */
  refresh(): void;
  /** Every instance it holds, terminated ones included, in its API's order. */
  instances(): SimulatedInstance[];
  /** Makes it accept these providers; returns notes on what it assumed. */
  seed(providers: P[]): string[];
  /** The size an agent of this provider registers with. */
  agentShape(p: P): AgentShape;
  /**
   * Arms "no capacity" for every launch of this provider (all its zones); a spot provider
   * loses spot capacity only, so on-demand launches in the same place still succeed.
   */
  outage(p: P): void;
  /** Disarms every fault it holds. */
  clearFaults(): void;
  /** The cloud takes a running spot instance away now; absent when the emulator cannot. */
  preempt?(i: Pick<SimulatedInstance, 'id' | 'zone'>): void;
  close(): Promise<void>;
}

export interface CloudSimulation<P, E = unknown> {
  start(o: SimulationStart): Promise<SimulatedCloud<P, E>>;
  /** Seeds an emulator started by `kasm-scale emulator <cloud> --for CONFIG`. */
  seedStarted(emulator: unknown, providers: P[]): string[];
}
