/**
 * The GCP emulator as a simulated world uses it (CloudSimulation, ../simulation.ts):
 * started on the world's clock, seeded from the config, its instances in the shared shape
 * (its zone; a SPOT provisioning model or the legacy preemptible flag marks spot capacity),
 * and Compute Engine's own faults: a zone's stockout and the preemption of a Spot VM.
 */
import type { GcpEmulator } from './index.js';
import { parseRef } from './refs.js';
import { machineTypeSpec } from './seed.js';
import { seedGcp } from './seed-from-config.js';
import { gcpAgentShape } from '../../clouds/agent-shapes.js';
import type { GcpProvider } from '../../clouds/gcp/schema.js';
import type { CloudSimulation, SimulatedInstance } from '../simulation.js';

/** The last segment of a resource URL (the API shows an instance's zone as one). */
const last = (ref: unknown) =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

type GcpInstanceJson = Record<string, unknown> & {
  project: string;
  scheduling?: { provisioningModel?: string; preemptible?: boolean };
};

function simulatedInstance(i: GcpInstanceJson): SimulatedInstance {
  const state = String(i.status);
  return {
    id: String(i.name),
    tags: (i.labels ?? {}) as Record<string, string>,
    zone: last(i.zone),
    spot: i.scheduling?.provisioningModel === 'SPOT' || i.scheduling?.preemptible === true,
    alive: state !== 'TERMINATED',
    running: state === 'RUNNING',
  };
}

export const gcpSimulation: CloudSimulation<GcpProvider, GcpEmulator> = {
  async start(o) {
    const { startGcpEmulator } = await import('./index.js');
    const emu = await startGcpEmulator({
      now: o.now,
      provisioningDelayMs: o.provisioningDelayMs,
      deleteDelayMs: o.deleteDelayMs,
      operationDelayMs: 0,
      autoTick: false,
    });
    return {
      emulator: emu,
      url: emu.url,
      onEvent: (event, listener) => emu.events.on(event, listener),
      refresh: () => emu.tick(),
      instances: () => emu.instances().map(simulatedInstance),
      seed: (providers) => seedGcp(emu, providers),
      agentShape: (p) =>
        gcpAgentShape(p, machineTypeSpec(emu.seed, parseRef(p.gcp_machine_type)?.name ?? p.gcp_machine_type)),
      outage: (p) =>
        emu.setFault({ kind: 'stockout', zone: p.gcp_zone, ...(p.spot ? { spotOnly: true } : {}) }),
      clearFaults: () => emu.clearFaults(),
      // An instance's name is unique in its project and zone; the preemption names all three.
      preempt: (i) => {
        const project = emu.instances().find((x) => x.name === i.id && last(x.zone) === i.zone)?.project;
        emu.preempt({ names: [i.id], zone: i.zone, project });
      },
      close: () => emu.close(),
    };
  },
  seedStarted: (emulator, providers) => seedGcp(emulator as GcpEmulator, providers),
};
