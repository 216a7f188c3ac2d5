/** networks.get and subnetworks.get, read from the seed. */
import { notFound } from '../google-errors.js';
import type { GcpSeed } from '../seed.js';
import { API_BASE } from '../world.js';
import type { ComputeRoute } from './compute-route.js';

export const networkRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: 'global/networks/{network}',
    api: 'networks.get',
    handler: (c) => networkJson(c.env.seed, c.project, c.params.network),
  },
  {
    method: 'GET',
    path: 'regions/{region}/subnetworks/{subnetwork}',
    api: 'subnetworks.get',
    handler: (c) => subnetworkJson(c.env.seed, c.project, c.params.region, c.params.subnetwork),
  },
];

function networkJson(seed: GcpSeed, project: string, name: string): unknown {
  if (!seed.networks.includes(name)) throw notFound(`projects/${project}/global/networks/${name}`);
  return {
    kind: 'compute#network',
    name,
    autoCreateSubnetworks: name === 'default',
    subnetworks: seed.subnetworks
      .filter((s) => s.network === name)
      .map((s) => `${API_BASE}projects/${project}/regions/${s.region}/subnetworks/${s.name}`),
    selfLink: `${API_BASE}projects/${project}/global/networks/${name}`,
  };
}

function subnetworkJson(seed: GcpSeed, project: string, region: string, name: string): unknown {
  const s = seed.subnetworks.find((x) => x.region === region && x.name === name);
  if (!s) throw notFound(`projects/${project}/regions/${region}/subnetworks/${name}`);
  return {
    kind: 'compute#subnetwork',
    name,
    region: `${API_BASE}projects/${project}/regions/${region}`,
    network: `${API_BASE}projects/${project}/global/networks/${s.network}`,
    ipCidrRange: s.ipCidrRange ?? '10.128.0.0/20',
    selfLink: `${API_BASE}projects/${project}/regions/${region}/subnetworks/${name}`,
  };
}
