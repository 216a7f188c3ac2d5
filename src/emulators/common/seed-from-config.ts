/**
 * Makes the emulators accept what a config will ask for: every OCI provider's API key
 * (the public half derived from oci_private_key, registered under the config's own
 * tenancy/user/fingerprint), its ADs, compartment, image, subnet, NSGs and shape; every
 * GCP provider's service account, project, zone, machine type, image, network,
 * subnetwork and accelerator types. Returns each provider's agent size.
 */
import type { GcpProvider, KasmScaleConfig, OciProvider } from '../../config/types.js';
import type { GcpEmulator } from '../gcp/index.js';
import type { OciEmulator, OciSeed, SeedShape } from '../oci/index.js';
import { machineTypeSpec } from '../gcp/seed.js';
import { parseRef } from '../gcp/refs.js';
import { inspectKey } from '../../keys/inspect.js';
import {
  GCP_UNKNOWN_MACHINE,
  gcpAgentShape,
  isFlexShape,
  ociAgentShape,
  ociShapeSpec,
  type AgentShape,
} from './sizes.js';

const uniq = <T>(xs: T[]) => [...new Set(xs)];

export function seedOci(emu: OciEmulator, providers: OciProvider[]): void {
  const seed: Required<OciSeed> & { shapes: SeedShape[] } = {
    availabilityDomains: [],
    compartments: [],
    images: [],
    subnets: [],
    networkSecurityGroups: [],
    shapes: [],
  };
  for (const p of providers) {
    // The emulator keeps only the public half; the private key never leaves this process.
    const pub = inspectKey(p.oci_private_key ?? '', p.oci_private_key_passphrase).publicKeyPem;
    emu.registerApiKey(
      { tenancy: p.oci_tenancy_ocid, user: p.oci_user_ocid, fingerprint: p.oci_fingerprint },
      pub,
    );
    seed.availabilityDomains.push(...p.oci_availability_domains);
    seed.compartments.push({ id: p.oci_compartment_ocid, name: 'kasm' });
    seed.images.push({ id: p.oci_image_ocid });
    seed.subnets.push({ id: p.oci_subnet_ocid });
    seed.networkSecurityGroups.push(...p.oci_nsg_ocids.map((id) => ({ id })));
    const s = ociShapeSpec(p);
    const flex = isFlexShape(p.oci_shape);
    seed.shapes.push({
      shape: p.oci_shape,
      ocpus: flex ? 1 : s.ocpus,
      memoryInGBs: flex ? 16 : s.memoryGb,
      gpus: s.gpus,
      isFlexible: flex,
      ...(flex
        ? {
            ocpuOptions: { min: 1, max: 128 },
            memoryOptions: {
              minInGBs: 1,
              maxInGBs: 2048,
              defaultPerOcpuInGBs: 16,
              minPerOcpuInGBs: 1,
              maxPerOcpuInGBs: 64,
            },
          }
        : {}),
    } satisfies SeedShape);
  }
  emu.seed({
    availabilityDomains: uniq(seed.availabilityDomains),
    compartments: seed.compartments.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    images: seed.images.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    subnets: seed.subnets.filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i),
    networkSecurityGroups: seed.networkSecurityGroups.filter(
      (c, i, all) => all.findIndex((x) => x.id === c.id) === i,
    ),
    shapes: seed.shapes.filter((c, i, all) => all.findIndex((x) => x.shape === c.shape) === i),
  });
}

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

/** The size each provider's agents register with (by vm_provider_config_name). */
export function agentShapes(config: KasmScaleConfig, gcp?: GcpEmulator): Map<string, AgentShape> {
  const out = new Map<string, AgentShape>();
  for (const p of config.providers) {
    if (p.vm_provider_name === 'oci') out.set(p.vm_provider_config_name, ociAgentShape(p));
    else
      out.set(
        p.vm_provider_config_name,
        gcpAgentShape(
          p,
          gcp
            ? machineTypeSpec(gcp.seed, parseRef(p.gcp_machine_type)?.name ?? p.gcp_machine_type)
            : undefined,
        ),
      );
  }
  return out;
}
