/**
 * The OCI emulator as a simulated world uses it (CloudSimulation, ../simulation.ts):
 * started on the world's clock, seeded from the config, its instances in the shared shape
 * (an availability domain is the zone; preemptibleInstanceConfig marks spot capacity), and
 * OCI's own faults: "Out of host capacity" per AD and the preemption of an instance.
 */
import type { OciEmulator } from './index.js';
import { seedOci } from './seed-from-config.js';
import { ociAgentShape } from '../../clouds/agent-shapes.js';
import type { OciProvider } from '../../clouds/oci/schema.js';
import type { CloudSimulation, SimulatedInstance } from '../simulation.js';

function simulatedInstance(i: Record<string, any>): SimulatedInstance {
  const state = String(i.lifecycleState);
  return {
    id: String(i.id),
    tags: (i.freeformTags ?? {}) as Record<string, string>,
    zone: String(i.availabilityDomain),
    spot: Boolean(i.preemptibleInstanceConfig),
    alive: state !== 'TERMINATED',
    running: state === 'RUNNING',
  };
}

export const ociSimulation: CloudSimulation<OciProvider, OciEmulator> = {
  async start(o) {
    const { startOciEmulator } = await import('./index.js');
    const emu = await startOciEmulator({
      now: o.now,
      provisioningDelayMs: o.provisioningDelayMs,
      terminatingDelayMs: o.deleteDelayMs,
    });
    return {
      emulator: emu,
      url: emu.url,
      onEvent: (event, listener) => emu.events.on(event, listener),
      refresh: () => emu.refresh(),
      instances: () => emu.instances.map(simulatedInstance),
      seed: (providers) => (seedOci(emu, providers), []),
      agentShape: ociAgentShape,
      outage: (p) => {
        for (const ad of p.oci_availability_domains)
          emu.setFault({
            kind: 'capacity',
            availabilityDomain: ad,
            ...(p.spot ? { preemptibleOnly: true } : {}),
          });
      },
      clearFaults: () => emu.clearFaults(),
      preempt: (i) => void emu.preempt({ ids: [i.id] }),
      close: () => emu.close(),
    };
  },
  seedStarted: (emulator, providers) => (seedOci(emulator as OciEmulator, providers), []),
};
