/**
 * Every route the OCI emulator answers, in one place: read this to know what it serves.
 * To add an operation, write its handler in the file of its resource and add a line here
 * (and, for a Compute/Identity/Network one, its name to OciOperation in ../faults.ts so
 * faults can be armed on it). Paths are matched after their prefix is taken off (/20160918,
 * /__emulator) and, under /20160918, without a trailing slash, as OCI reads them.
 */
import type { ComputeRoute } from './call.js';
import { getImage, listShapes } from './catalog.js';
import * as control from './control.js';
import type { ControlRoute } from './control.js';
import { getCompartment, listAvailabilityDomains } from './identity.js';
import { getInstance, listInstances, terminateInstance, updateInstance } from './instances.js';
import { launchInstance } from './launch.js';
import { getNetworkSecurityGroup, getSubnet } from './network.js';
import {
  deleteObject,
  getNamespace,
  getObject,
  headObject,
  putObject,
  type ObjectStorageRoute,
} from './object-storage.js';

/** Under /20160918: Compute, and the Identity and Virtual Network reads `doctor` and `init` make. */
export const COMPUTE_ROUTES: readonly ComputeRoute[] = [
  { method: 'GET', path: '/instances', operation: 'ListInstances', handler: listInstances },
  { method: 'POST', path: '/instances', operation: 'LaunchInstance', handler: launchInstance },
  { method: 'GET', path: '/instances/:instanceId', operation: 'GetInstance', handler: getInstance },
  { method: 'PUT', path: '/instances/:instanceId', operation: 'UpdateInstance', handler: updateInstance },
  {
    method: 'DELETE',
    path: '/instances/:instanceId',
    operation: 'TerminateInstance',
    handler: terminateInstance,
  },
  { method: 'GET', path: '/images/:imageId', operation: 'GetImage', handler: getImage },
  { method: 'GET', path: '/shapes', operation: 'ListShapes', handler: listShapes },
  { method: 'GET', path: '/subnets/:subnetId', operation: 'GetSubnet', handler: getSubnet },
  {
    method: 'GET',
    path: '/networkSecurityGroups/:networkSecurityGroupId',
    operation: 'GetNetworkSecurityGroup',
    handler: getNetworkSecurityGroup,
  },
  {
    method: 'GET',
    path: '/availabilityDomains',
    operation: 'ListAvailabilityDomains',
    handler: listAvailabilityDomains,
  },
  {
    method: 'GET',
    path: '/compartments/:compartmentId',
    operation: 'GetCompartment',
    handler: getCompartment,
  },
];

const OBJECT = '/n/:namespaceName/b/:bucketName/o/*objectName';

/** Object Storage, under /n (object names keep their slashes). */
export const OBJECT_STORAGE_ROUTES: readonly ObjectStorageRoute[] = [
  { method: 'GET', path: '/n', handler: getNamespace },
  { method: 'GET', path: OBJECT, handler: getObject },
  { method: 'HEAD', path: OBJECT, handler: headObject },
  { method: 'PUT', path: OBJECT, handler: putObject, unsignedBody: true },
  { method: 'DELETE', path: OBJECT, handler: deleteObject },
];

/** The emulator's own control API, under /__emulator (unsigned, not part of OCI). */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  { method: 'POST', path: '/faults', handler: control.addFault },
  { method: 'DELETE', path: '/faults', handler: control.clearFaults },
  { method: 'GET', path: '/faults', handler: control.listFaults },
  { method: 'POST', path: '/preempt', handler: control.preemptNow },
  { method: 'POST', path: '/keys', handler: control.registerKey },
  { method: 'POST', path: '/clock', handler: control.skewClock },
  { method: 'POST', path: '/seed', handler: control.seed },
  { method: 'POST', path: '/buckets', handler: control.createBucket },
  { method: 'GET', path: '/instances', handler: control.listInstances },
];
