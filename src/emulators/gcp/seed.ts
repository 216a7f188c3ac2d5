/**
 * The read-only world the emulator knows: projects, regions/zones, machine types,
 * accelerator types, disk types, images, networks and subnetworks. `doctor` checks
 * references against these; launches are validated against them. Tests and demos pass
 * their own (merged over the defaults) or edit `emulator.seed` in place.
 */
import { own } from '../../core/own.js';

export interface MachineTypeSeed {
  guestCpus: number;
  memoryMb: number;
  /** Built-in GPUs (g2/a2/a3 families). */
  accelerators?: { guestAcceleratorType: string; guestAcceleratorCount: number }[];
}

export interface ImageSeed {
  project: string;
  name: string;
  family?: string;
  diskSizeGb?: number;
}

export interface GcpSeed {
  projects: string[];
  /** region → its zones */
  regions: Record<string, string[]>;
  machineTypes: Record<string, MachineTypeSeed>;
  acceleratorTypes: Record<string, { description: string; maximumCardsPerInstance: number }>;
  diskTypes: string[];
  images: ImageSeed[];
  /** Network names; every project has them. */
  networks: string[];
  subnetworks: { region: string; name: string; network: string; ipCidrRange?: string }[];
}

export function defaultSeed(): GcpSeed {
  const regions: Record<string, string[]> = {
    'us-central1': ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'],
    'us-east1': ['us-east1-b', 'us-east1-c', 'us-east1-d'],
    'europe-west1': ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
    'europe-west4': ['europe-west4-a', 'europe-west4-b', 'europe-west4-c'],
  };
  return {
    projects: ['kasm-demo'],
    regions,
    machineTypes: {
      'e2-small': { guestCpus: 2, memoryMb: 2048 },
      'e2-medium': { guestCpus: 2, memoryMb: 4096 },
      'e2-standard-2': { guestCpus: 2, memoryMb: 8192 },
      'e2-standard-4': { guestCpus: 4, memoryMb: 16384 },
      'e2-standard-8': { guestCpus: 8, memoryMb: 32768 },
      'e2-standard-16': { guestCpus: 16, memoryMb: 65536 },
      'n1-standard-4': { guestCpus: 4, memoryMb: 15360 },
      'n1-standard-8': { guestCpus: 8, memoryMb: 30720 },
      'n2-standard-4': { guestCpus: 4, memoryMb: 16384 },
      'n2-standard-8': { guestCpus: 8, memoryMb: 32768 },
      'n2-standard-16': { guestCpus: 16, memoryMb: 65536 },
      'g2-standard-4': {
        guestCpus: 4,
        memoryMb: 16384,
        accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
      },
      'g2-standard-8': {
        guestCpus: 8,
        memoryMb: 32768,
        accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
      },
      'a2-highgpu-1g': {
        guestCpus: 12,
        memoryMb: 87040,
        accelerators: [{ guestAcceleratorType: 'nvidia-tesla-a100', guestAcceleratorCount: 1 }],
      },
    },
    acceleratorTypes: {
      'nvidia-tesla-t4': { description: 'NVIDIA T4', maximumCardsPerInstance: 4 },
      'nvidia-tesla-v100': { description: 'NVIDIA V100', maximumCardsPerInstance: 8 },
      'nvidia-tesla-p4': { description: 'NVIDIA P4', maximumCardsPerInstance: 4 },
      'nvidia-l4': { description: 'NVIDIA L4', maximumCardsPerInstance: 8 },
      'nvidia-tesla-a100': { description: 'NVIDIA A100 40GB', maximumCardsPerInstance: 16 },
    },
    diskTypes: ['pd-standard', 'pd-balanced', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced'],
    images: [
      { project: 'debian-cloud', name: 'debian-12-bookworm-v20250610', family: 'debian-12', diskSizeGb: 10 },
      {
        project: 'ubuntu-os-cloud',
        name: 'ubuntu-2204-jammy-v20250610',
        family: 'ubuntu-2204-lts',
        diskSizeGb: 10,
      },
      {
        project: 'ubuntu-os-cloud',
        name: 'ubuntu-2404-noble-amd64-v20250610',
        family: 'ubuntu-2404-lts-amd64',
        diskSizeGb: 10,
      },
      {
        project: 'windows-cloud',
        name: 'windows-server-2022-dc-v20250610',
        family: 'windows-2022',
        diskSizeGb: 50,
      },
    ],
    networks: ['default'],
    subnetworks: Object.keys(regions).map((region, i) => ({
      region,
      name: 'default',
      network: 'default',
      ipCidrRange: `10.${128 + i}.0.0/20`,
    })),
  };
}

/** Defaults with the caller's parts laid over them (lists replace, maps merge). */
export function mergeSeed(base: GcpSeed, over: Partial<GcpSeed> | undefined): GcpSeed {
  if (!over) return base;
  return {
    projects: over.projects ?? base.projects,
    regions: { ...base.regions, ...over.regions },
    machineTypes: { ...base.machineTypes, ...over.machineTypes },
    acceleratorTypes: { ...base.acceleratorTypes, ...over.acceleratorTypes },
    diskTypes: over.diskTypes ?? base.diskTypes,
    images: over.images ?? base.images,
    networks: over.networks ?? base.networks,
    subnetworks: over.subnetworks ?? base.subnetworks,
  };
}

export function regionOfZone(seed: GcpSeed, zone: string): string | undefined {
  for (const [region, zones] of Object.entries(seed.regions)) if (zones.includes(zone)) return region;
  return undefined;
}

/** `custom-4-16384`, `e2-custom-2-8192`, `n2-custom-8-32768` (memory in MB). */
export function machineTypeSpec(seed: GcpSeed, name: string): MachineTypeSeed | undefined {
  const known = own(seed.machineTypes, name);
  if (known) return known;
  const m = /^(?:[a-z0-9]+-)?custom-(\d+)-(\d+)(?:-ext)?$/.exec(name);
  if (m) return { guestCpus: Number(m[1]), memoryMb: Number(m[2]) };
  return undefined;
}
