/** The Virtual Network reads `doctor` checks a config's subnet and NSGs with, from the seed. */
import type { OciWorld } from '../world.js';
import type { Answer, OciCall } from './call.js';
import { getById } from './read-helpers.js';

export function getSubnet(w: OciWorld, { params }: OciCall): Answer {
  return getById(w.state.seed.subnets, params.subnetId, (x) => ({
    id: x.id,
    vcnId: x.vcnId ?? `ocid1.vcn.oc1.${w.regionKey}.emulated`,
    compartmentId: x.compartmentId ?? w.defaultCompartment(),
    availabilityDomain: x.availabilityDomain ?? null,
    cidrBlock: x.cidrBlock ?? '10.0.1.0/24',
    displayName: x.displayName ?? 'subnet',
    lifecycleState: 'AVAILABLE',
    routeTableId: `ocid1.routetable.oc1.${w.regionKey}.emulated`,
    virtualRouterIp: '10.0.1.1',
    virtualRouterMac: '00:00:17:00:00:01',
  }));
}

export function getNetworkSecurityGroup(w: OciWorld, { params }: OciCall): Answer {
  return getById(w.state.seed.networkSecurityGroups, params.networkSecurityGroupId, (x) => ({
    id: x.id,
    vcnId: x.vcnId ?? `ocid1.vcn.oc1.${w.regionKey}.emulated`,
    compartmentId: x.compartmentId ?? w.defaultCompartment(),
    displayName: x.displayName ?? 'nsg',
    lifecycleState: 'AVAILABLE',
    timeCreated: new Date(0).toISOString(),
  }));
}
