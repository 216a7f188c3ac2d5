/**
 * What the OCI Compute API accepts in a LaunchInstance / UpdateInstance body. The field
 * lists come from oci-core 2.139's model classes (launch-instance-details.d.ts and the
 * nested *-details.d.ts). The SDK passes unknown and snake_case keys straight to the wire,
 * so the emulator is where a translation mistake in `config render` must show up: it
 * answers 400 InvalidParameter as the real service does.
 */
import { own } from '../../util/own.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string) => new ApiError(400, 'InvalidParameter', message);

type Spec = { fields: Record<string, FieldSpec> };
type FieldSpec = 'any' | 'string' | 'number' | 'boolean' | 'map' | 'tagmap' | 'stringArray' | Spec | { arrayOf: Spec } | { oneOf: Record<string, Spec>; by: string };

const S = (fields: Record<string, FieldSpec>): Spec => ({ fields });

const shapeConfig = S({
  ocpus: 'number', vcpus: 'number', memoryInGBs: 'number', baselineOcpuUtilization: 'string',
  nvmes: 'number', resourceManagement: 'string', localVolumeSizeInGBs: 'number',
});

const imageSource = S({
  sourceType: 'string', bootVolumeSizeInGBs: 'number', imageId: 'string', kmsKeyId: 'string',
  bootVolumeVpusPerGB: 'number', instanceSourceImageFilterDetails: 'any',
});
const bootVolumeSource = S({ sourceType: 'string', bootVolumeId: 'string' });

const vnic = S({
  assignIpv6Ip: 'boolean', assignPublicIp: 'boolean', assignPrivateDnsRecord: 'boolean', definedTags: 'tagmap',
  displayName: 'string', freeformTags: 'map', securityAttributes: 'tagmap', hostnameLabel: 'string',
  ipv6AddressIpv6SubnetCidrPairDetails: 'any', subnetCidr: 'string', nsgIds: 'stringArray', privateIp: 'string',
  privateIpId: 'string', skipSourceDestCheck: 'boolean', subnetId: 'string', vlanId: 'string',
});

const agentConfig = S({
  isMonitoringDisabled: 'boolean', isManagementDisabled: 'boolean', areAllPluginsDisabled: 'boolean',
  pluginsConfig: { arrayOf: S({ name: 'string', desiredState: 'string' }) },
});

const launchOptions = S({
  bootVolumeType: 'string', firmware: 'string', networkType: 'string', remoteDataVolumeType: 'string',
  isPvEncryptionInTransitEnabled: 'boolean', isConsistentVolumeNamingEnabled: 'boolean',
});

export const LAUNCH_SPEC: Spec = S({
  availabilityDomain: 'string', capacityReservationId: 'string', compartmentId: 'string', createVnicDetails: vnic,
  dedicatedVmHostId: 'string', definedTags: 'tagmap', securityAttributes: 'tagmap', displayName: 'string',
  extendedMetadata: 'any', faultDomain: 'string', clusterPlacementGroupId: 'string', freeformTags: 'map',
  computeClusterId: 'string', hostnameLabel: 'string', imageId: 'string', ipxeScript: 'string',
  launchOptions, instanceOptions: S({ areLegacyImdsEndpointsDisabled: 'boolean' }),
  availabilityConfig: S({ isLiveMigrationPreferred: 'boolean', recoveryAction: 'string' }),
  preemptibleInstanceConfig: S({ preemptionAction: 'any' }), metadata: 'map', agentConfig, shape: 'string',
  shapeConfig, sourceDetails: { by: 'sourceType', oneOf: { image: imageSource, bootVolume: bootVolumeSource } },
  subnetId: 'string', launchVolumeAttachments: 'any', isPvEncryptionInTransitEnabled: 'boolean',
  platformConfig: 'any', placementConstraintDetails: 'any', isAIEnterpriseEnabled: 'boolean',
  instanceConfigurationId: 'string', licensingConfigs: 'any',
});

export const UPDATE_SPEC: Spec = S({
  capacityReservationId: 'string', definedTags: 'tagmap', securityAttributes: 'tagmap', displayName: 'string',
  freeformTags: 'map', agentConfig: 'any', metadata: 'map', extendedMetadata: 'any', shape: 'string',
  shapeConfig: 'any', sourceDetails: 'any', updateOperationConstraint: 'string', instanceOptions: 'any',
  faultDomain: 'string', launchOptions: 'any', availabilityConfig: 'any', timeMaintenanceRebootDue: 'string',
  dedicatedVmHostId: 'string', platformConfig: 'any', clusterPlacementGroupId: 'string', licensingConfigs: 'any',
});

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkField(path: string, spec: FieldSpec, v: unknown): void {
  if (v === null || v === undefined) return;
  switch (spec) {
    case 'any':
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof v !== spec) throw invalid(`${path} must be a ${spec}`);
      return;
    case 'map':
      // Keys inside a map (metadata, freeformTags) are the user's own: any spelling goes.
      if (!isObj(v)) throw invalid(`${path} must be an object`);
      for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw invalid(`${path}.${k} must be a string`);
      return;
    case 'tagmap':
      if (!isObj(v)) throw invalid(`${path} must be an object`);
      for (const [k, x] of Object.entries(v)) if (!isObj(x)) throw invalid(`${path}.${k} must be an object`);
      return;
    case 'stringArray':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`${path} must be an array of strings`);
      return;
  }
  if ('arrayOf' in spec) {
    if (!Array.isArray(v)) throw invalid(`${path} must be an array`);
    v.forEach((x, i) => checkObject(`${path}[${i}]`, spec.arrayOf, x));
    return;
  }
  if ('oneOf' in spec) {
    if (!isObj(v)) throw invalid(`${path} must be an object`);
    const kind = v[spec.by];
    const sub = typeof kind === 'string' ? spec.oneOf[kind] : undefined;
    if (!sub) throw invalid(`${path}.${spec.by} must be one of ${Object.keys(spec.oneOf).join(', ')}`);
    checkObject(path, sub, v);
    return;
  }
  checkObject(path, spec, v);
}

function checkObject(path: string, spec: Spec, v: unknown): void {
  if (!isObj(v)) throw invalid(`${path} must be an object`);
  for (const [k, x] of Object.entries(v)) {
    const f = own(spec.fields, k);
    if (!f) {
      const hint = k.includes('_') ? ' (the REST API uses camelCase)' : '';
      throw invalid(`Unknown field ${path}.${k}${hint}`);
    }
    checkField(`${path}.${k}`, f, x);
  }
}

/** Throws ApiError 400 on a body the real LaunchInstance would refuse. */
export function validateLaunch(body: unknown): asserts body is Record<string, unknown> {
  checkObject('launchInstanceDetails', LAUNCH_SPEC, body);
  const b = body as Record<string, any>;
  for (const req of ['availabilityDomain', 'compartmentId', 'shape'] as const) {
    if (typeof b[req] !== 'string' || b[req] === '') throw new ApiError(400, 'MissingParameter', `Missing required parameter ${req}.`);
  }
  if (!b.sourceDetails && !b.imageId) throw new ApiError(400, 'MissingParameter', 'Missing required parameter sourceDetails.');
  if (!b.createVnicDetails?.subnetId && !b.subnetId) throw new ApiError(400, 'MissingParameter', 'Missing required parameter createVnicDetails.subnetId.');
  const userData = b.metadata?.user_data;
  if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData)) throw invalid('metadata.user_data must be base64');
  const size = Buffer.byteLength(JSON.stringify({ ...b.metadata, ...b.extendedMetadata }));
  if (size > 32_000) throw invalid('metadata and extendedMetadata together must be under 32,000 bytes');
}

export function validateUpdate(body: unknown): asserts body is Record<string, unknown> {
  checkObject('updateInstanceDetails', UPDATE_SPEC, body);
}
