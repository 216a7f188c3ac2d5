/** machineTypes.get, acceleratorTypes.get, diskTypes.get: the zonal catalogues, read from the seed. */
import { own } from '../../../core/own.js';
import { notFound } from '../google-errors.js';
import { machineTypeSpec, type GcpSeed } from '../seed.js';
import { API_BASE } from '../world.js';
import { zoneOf, type ComputeRoute } from './compute-route.js';

export const zonalTypeRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: 'zones/{zone}/machineTypes/{machineType}',
    api: 'machineTypes.get',
    handler: (c) => machineTypeJson(c.env.seed, c.project, zoneOf(c), c.params.machineType),
  },
  {
    method: 'GET',
    path: 'zones/{zone}/acceleratorTypes/{acceleratorType}',
    api: 'acceleratorTypes.get',
    handler: (c) => acceleratorTypeJson(c.env.seed, c.project, zoneOf(c), c.params.acceleratorType),
  },
  {
    method: 'GET',
    path: 'zones/{zone}/diskTypes/{diskType}',
    api: 'diskTypes.get',
    handler: (c) => diskTypeJson(c.env.seed, c.project, zoneOf(c), c.params.diskType),
  },
];

/** machineTypes.get's answer; `accelerators` only on types with built-in GPUs, as Compute Engine answers. */
export function machineTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  const spec = machineTypeSpec(seed, name);
  if (!spec) throw notFound(`projects/${project}/zones/${zone}/machineTypes/${name}`);
  return {
    kind: 'compute#machineType',
    id: String(9000 + name.length),
    name,
    description: `${spec.guestCpus} vCPUs, ${spec.memoryMb / 1024} GB RAM`,
    guestCpus: spec.guestCpus,
    memoryMb: spec.memoryMb,
    maximumPersistentDisks: 128,
    maximumPersistentDisksSizeGb: '263168',
    zone,
    isSharedCpu: /^(e2-(micro|small|medium)|f1-|g1-)/.test(name),
    ...(spec.accelerators ? { accelerators: spec.accelerators } : {}),
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/machineTypes/${name}`,
  };
}

function acceleratorTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  const t = own(seed.acceleratorTypes, name);
  if (!t) throw notFound(`projects/${project}/zones/${zone}/acceleratorTypes/${name}`);
  return {
    kind: 'compute#acceleratorType',
    name,
    description: t.description,
    maximumCardsPerInstance: t.maximumCardsPerInstance,
    zone: `${API_BASE}projects/${project}/zones/${zone}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/acceleratorTypes/${name}`,
  };
}

function diskTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  if (!seed.diskTypes.includes(name)) throw notFound(`projects/${project}/zones/${zone}/diskTypes/${name}`);
  return {
    kind: 'compute#diskType',
    name,
    validDiskSize: '10GB-65536GB',
    defaultDiskSizeGb: '10',
    zone: `${API_BASE}projects/${project}/zones/${zone}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/diskTypes/${name}`,
  };
}
