/**
 * Makes the GCP emulator accept what a config will ask for: every GCP provider's service
 * account, project, zone, machine type, image, network, subnetwork and accelerator types.
 */
import type { GcpEmulator } from './index.js';
import { machineTypeSpec } from './seed.js';
import { parseRef } from './refs.js';
import { GCP_UNKNOWN_MACHINE } from '../../clouds/agent-shapes.js';
import type { GcpProvider } from '../../clouds/gcp/schema.js';

export function seedGcp(emu: GcpEmulator, providers: GcpProvider[]): string[] {
  const notes: string[] = [];
  const seed = emu.seed;
  for (const p of providers) {
    if (p.gcp_credentials)
      emu.registerServiceAccount(p.gcp_credentials as unknown as Record<string, unknown>);
    if (!seed.projects.includes(p.gcp_project)) seed.projects.push(p.gcp_project);
    const zones = seed.regions[p.gcp_region] ?? (seed.regions[p.gcp_region] = []);
    if (!zones.includes(p.gcp_zone)) zones.push(p.gcp_zone);
    const mt = parseRef(p.gcp_machine_type)?.name ?? p.gcp_machine_type;
    if (!machineTypeSpec(seed, mt)) {
      seed.machineTypes[mt] = { ...GCP_UNKNOWN_MACHINE };
      notes.push(
        `machine type ${mt} is not in the emulator's table: taken as ${GCP_UNKNOWN_MACHINE.guestCpus} vCPUs / ${GCP_UNKNOWN_MACHINE.memoryMb / 1024} GB`,
      );
    }
    const img = parseRef(p.gcp_image);
    if (img?.name) {
      const project = img.project ?? p.gcp_project;
      const known = seed.images.some(
        (i) => i.project === project && (img.family ? i.family === img.name : i.name === img.name),
      );
      if (!known)
        seed.images.push(
          img.family
            ? { project, name: `${img.name}-sim`, family: img.name, diskSizeGb: 10 }
            : { project, name: img.name, diskSizeGb: 10 },
        );
    }
    const net = parseRef(p.gcp_network)?.name;
    if (net && !seed.networks.includes(net)) seed.networks.push(net);
    const sub = parseRef(p.gcp_subnetwork);
    if (
      sub?.name &&
      !seed.subnetworks.some((s) => s.region === (sub.region ?? p.gcp_region) && s.name === sub.name)
    ) {
      seed.subnetworks.push({
        region: sub.region ?? p.gcp_region,
        name: sub.name,
        network: net ?? 'default',
      });
    }
    for (const a of p.gcp_guest_accelerators) {
      const name = parseRef(a.acceleratorType)?.name ?? a.acceleratorType;
      if (!Object.hasOwn(seed.acceleratorTypes, name))
        seed.acceleratorTypes[name] = { description: name, maximumCardsPerInstance: 16 };
    }
  }
  return notes;
}
