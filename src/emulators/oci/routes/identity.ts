/** The Identity reads `doctor` and `init` use: availability domains and a compartment, from the seed. */
import type { OciWorld } from '../world.js';
import type { Answer, OciCall } from './call.js';
import { getById, requireParam } from './read-helpers.js';

export function listAvailabilityDomains(w: OciWorld, { url }: OciCall): Answer {
  const compartmentId = requireParam(url, 'compartmentId');
  return {
    status: 200,
    body: w.state.seed.availabilityDomains.map((name, n) => ({
      name,
      id: `ocid1.availabilitydomain.oc1..ad${n + 1}`,
      compartmentId,
    })),
  };
}

export function getCompartment(w: OciWorld, { params }: OciCall): Answer {
  return getById(w.state.seed.compartments, params.compartmentId, (c) => ({
    id: c.id,
    compartmentId: 'ocid1.tenancy.oc1..emulated',
    name: c.name ?? 'kasm',
    description: c.name ?? 'kasm',
    lifecycleState: c.lifecycleState ?? 'ACTIVE',
    timeCreated: new Date(0).toISOString(),
  }));
}
