/**
 * LaunchInstance: the body checked against oci-core's models (validate.ts) and against what
 * was seeded, `opc-retry-token` idempotency (same token and body: the same instance; same
 * token, other body: 409), and the launch faults — out of host capacity per AD, quota,
 * never-finishing provisioning.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ociSpotRestProblem } from '../../../clouds/oci/spot.js';
import type { StoredInstance } from '../store.js';
import { ApiError, validateLaunch } from '../validate.js';
import type { OciWorld } from '../world.js';
import { notFound, type Answer, type OciCall } from './call.js';

const DAY_MS = 24 * 3600_000;

export function launchInstance(w: OciWorld, { req, raw, body }: OciCall): Answer {
  if (body === undefined) throw new ApiError(400, 'InvalidParameter', 'Request body is not valid JSON.');
  validateLaunch(body);
  const d = body as Record<string, any>;
  const t = w.now();
  const token = req.headers['opc-retry-token'];
  const bodyHash = createHash('sha256').update(raw).digest('hex');
  if (typeof token === 'string' && token) {
    const prior = w.state.retryTokens[token];
    if (prior && t - prior.at < DAY_MS) {
      if (prior.bodyHash !== bodyHash) {
        throw new ApiError(
          409,
          'InvalidatedRetryToken',
          'The retry token was already used for a request with a different body.',
        );
      }
      const existing = w.findInstance(prior.instanceId);
      if (existing) return { status: 200, body: w.view(existing), headers: { etag: w.etagOf(existing) } };
    }
  }
  checkReferences(w, d);
  const spot = ociSpotRestProblem(d);
  if (spot) throw new ApiError(400, 'InvalidParameter', spot);
  const fault = w.faults.take(['capacity', 'quota'], 'LaunchInstance', d.availabilityDomain, {
    preemptible: Boolean(d.preemptibleInstanceConfig),
  });
  if (fault?.kind === 'capacity') throw new ApiError(500, 'InternalError', 'Out of host capacity.');
  if (fault?.kind === 'quota') {
    const code = fault.code ?? 'LimitExceeded';
    throw new ApiError(
      400,
      code,
      code === 'QuotaExceeded'
        ? `Quota exceeded for ${d.shape} cores in compartment.`
        : `The following service limits were exceeded: standard-e4-core-count. Request a service limit increase from the service limits page in the Console.`,
    );
  }
  const never = w.faults.take(['never_provision'], 'LaunchInstance', d.availabilityDomain);
  const inst: StoredInstance = {
    id: `ocid1.instance.oc1.${w.regionKey}.${randomBytes(30).toString('hex')}`,
    seq: ++w.state.seq,
    details: d,
    freeformTags: { ...(d.freeformTags ?? {}) },
    definedTags: { ...(d.definedTags ?? {}) },
    displayName: d.displayName ?? `instance-${new Date(t).toISOString().replace(/\D/g, '').slice(0, 14)}`,
    createdAt: t,
    runningAt: never ? null : t + w.provisioningDelayMs,
    version: 1,
  };
  w.state.instances.push(inst);
  if (typeof token === 'string' && token)
    w.state.retryTokens[token] = { instanceId: inst.id, bodyHash, at: t };
  w.save();
  return { status: 200, body: w.view(inst), headers: { etag: w.etagOf(inst) } };
}

/** Only checked against what was seeded: an unseeded emulator accepts any OCID. */
function checkReferences(w: OciWorld, d: Record<string, any>): void {
  const s = w.state.seed;
  if (s.availabilityDomains.length && !s.availabilityDomains.includes(d.availabilityDomain)) {
    throw new ApiError(400, 'InvalidParameter', `Invalid availabilityDomain: ${d.availabilityDomain}`);
  }
  if (s.compartments.length && !s.compartments.some((c) => c.id === d.compartmentId)) throw notFound();
  const imageId = d.sourceDetails?.imageId ?? d.imageId;
  if (s.images.length && imageId && !s.images.some((i) => i.id === imageId))
    throw new ApiError(404, 'NotAuthorizedOrNotFound', `Image ${imageId} not found.`);
  const subnetId = d.createVnicDetails?.subnetId ?? d.subnetId;
  if (s.subnets.length && !s.subnets.some((x) => x.id === subnetId))
    throw new ApiError(404, 'NotAuthorizedOrNotFound', `Subnet ${subnetId} not found.`);
  for (const nsg of d.createVnicDetails?.nsgIds ?? []) {
    if (s.networkSecurityGroups.length && !s.networkSecurityGroups.some((x) => x.id === nsg))
      throw new ApiError(404, 'NotAuthorizedOrNotFound', `Network security group ${nsg} not found.`);
  }
  if (s.shapes.length) {
    const shape = s.shapes.find(
      (x) =>
        x.shape === d.shape &&
        (!x.availabilityDomains || x.availabilityDomains.includes(d.availabilityDomain)),
    );
    if (!shape)
      throw new ApiError(
        400,
        'InvalidParameter',
        `Shape ${d.shape} is not valid in ${d.availabilityDomain}.`,
      );
    if (shape.isFlexible && !d.shapeConfig?.ocpus)
      throw new ApiError(
        400,
        'InvalidParameter',
        `Shape ${d.shape} is a flexible shape: shapeConfig.ocpus is required.`,
      );
  }
}
