/**
 * The Compute catalog reads: GetImage and ListShapes, answered from the seed with the
 * fields OCI always fills in (the SDK's models make them required).
 */
import { ApiError } from '../validate.js';
import type { OciWorld } from '../world.js';
import { notFound, type Answer, type OciCall } from './call.js';
import { getById, pageOf, requireParam } from './read-helpers.js';

export function getImage(w: OciWorld, { params }: OciCall): Answer {
  return getById(w.state.seed.images, params.imageId, (i) => ({
    id: i.id,
    displayName: i.displayName ?? 'Canonical-Ubuntu-22.04-2024.01.01-0',
    compartmentId: i.compartmentId ?? w.defaultCompartment(),
    operatingSystem: i.operatingSystem ?? 'Canonical Ubuntu',
    operatingSystemVersion: i.operatingSystemVersion ?? '22.04',
    lifecycleState: i.lifecycleState ?? 'AVAILABLE',
    createImageAllowed: true,
    timeCreated: new Date(0).toISOString(),
  }));
}

export function listShapes(w: OciWorld, { url }: OciCall): Answer {
  const seed = w.state.seed;
  const compartmentId = requireParam(url, 'compartmentId');
  if (seed.compartments.length && !seed.compartments.some((c) => c.id === compartmentId)) throw notFound();
  const ad = url.searchParams.get('availabilityDomain');
  const imageId = url.searchParams.get('imageId');
  if (ad && seed.availabilityDomains.length && !seed.availabilityDomains.includes(ad)) {
    throw new ApiError(400, 'InvalidParameter', `Invalid availabilityDomain: ${ad}`);
  }
  const items = seed.shapes
    .filter((s) => !ad || !s.availabilityDomains || s.availabilityDomains.includes(ad))
    .filter((s) => !imageId || !s.imageIds || s.imageIds.includes(imageId))
    .map((s) => ({
      shape: s.shape,
      ocpus: s.ocpus,
      memoryInGBs: s.memoryInGBs,
      // As OCI answers: every shape states its GPU count (0 when it has none); only GPU shapes describe them.
      gpus: s.gpus ?? 0,
      ...((s.gpus ?? 0) > 0 ? { gpuDescription: s.gpuDescription ?? 'NVIDIA GPU' } : {}),
      isFlexible: Boolean(s.isFlexible),
      processorDescription: s.processorDescription ?? '2.55 GHz AMD EPYC',
      ...(s.ocpuOptions ? { ocpuOptions: s.ocpuOptions } : {}),
      ...(s.memoryOptions ? { memoryOptions: s.memoryOptions } : {}),
    }));
  return pageOf(w, items, url);
}
