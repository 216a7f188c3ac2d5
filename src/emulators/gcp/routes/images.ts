/**
 * images.get, images.getFromFamily, imageFamilyViews.get. Public image projects
 * (debian-cloud, ...) answer these to every caller: ../compute-api.ts lets any route whose
 * api starts with `images.` or `imageFamilyViews.` through to them.
 */
import { notFound } from '../google-errors.js';
import type { GcpSeed } from '../seed.js';
import { findImage } from '../validate.js';
import { API_BASE } from '../world.js';
import { zoneOf, type ComputeRoute } from './compute-route.js';

export const imageRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: 'zones/{zone}/imageFamilyViews/{family}',
    api: 'imageFamilyViews.get',
    handler: (c) => (
      zoneOf(c),
      { image: imageJson(c.env.seed, c.project, `global/images/family/${c.params.family}`) }
    ),
  },
  {
    method: 'GET',
    path: 'global/images/family/{family}',
    api: 'images.getFromFamily',
    handler: (c) => imageJson(c.env.seed, c.project, `global/images/family/${c.params.family}`),
  },
  {
    method: 'GET',
    path: 'global/images/{image}',
    api: 'images.get',
    handler: (c) => imageJson(c.env.seed, c.project, `global/images/${c.params.image}`),
  },
];

function imageJson(seed: GcpSeed, project: string, ref: string): unknown {
  const img = findImage(seed, project, `projects/${project}/${ref}`);
  if (!img) throw notFound(`projects/${project}/${ref}`);
  return {
    kind: 'compute#image',
    id: String(7000 + img.name.length),
    name: img.name,
    family: img.family,
    status: 'READY',
    diskSizeGb: String(img.diskSizeGb ?? 10),
    architecture: 'X86_64',
    selfLink: `${API_BASE}projects/${img.project}/global/images/${img.name}`,
  };
}
