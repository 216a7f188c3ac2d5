/** zones.get and regions.get, read from the seed. */
import { notFound } from '../google-errors.js';
import { regionOfZone, type GcpSeed } from '../seed.js';
import { API_BASE } from '../world.js';
import type { ComputeRoute } from './compute-route.js';

export const locationRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: 'zones/{zone}',
    api: 'zones.get',
    handler: (c) => zoneJson(c.env.seed, c.project, c.params.zone),
  },
  {
    method: 'GET',
    path: 'regions/{region}',
    api: 'regions.get',
    handler: (c) => regionJson(c.env.seed, c.project, c.params.region),
  },
];

function zoneJson(seed: GcpSeed, project: string, zone: string): unknown {
  const region = regionOfZone(seed, zone);
  if (!region) throw notFound(`projects/${project}/zones/${zone}`);
  return {
    kind: 'compute#zone',
    id: String(2000 + zone.length),
    name: zone,
    status: 'UP',
    region: `${API_BASE}projects/${project}/regions/${region}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}`,
    availableCpuPlatforms: ['Intel Broadwell', 'AMD Milan'],
  };
}

function regionJson(seed: GcpSeed, project: string, region: string): unknown {
  const zones = seed.regions[region];
  if (!zones) throw notFound(`projects/${project}/regions/${region}`);
  return {
    kind: 'compute#region',
    name: region,
    status: 'UP',
    zones: zones.map((z) => `${API_BASE}projects/${project}/zones/${z}`),
    selfLink: `${API_BASE}projects/${project}/regions/${region}`,
  };
}
