/**
 * Every Compute Engine v1 route the emulator serves, by resource. Paths are relative to
 * `/compute/v1/projects/{project}/`, as in Google's discovery document. A method on a path
 * that no route lists answers 404, as Compute Engine does.
 */
import type { ComputeRoute } from './compute-route.js';
import { imageRoutes } from './images.js';
import { instanceRoutes } from './instances.js';
import { locationRoutes } from './locations.js';
import { networkRoutes } from './networks.js';
import { operationRoutes } from './operations.js';
import { projectRoutes } from './projects.js';
import { zonalTypeRoutes } from './zonal-types.js';

export const COMPUTE_ROUTES: readonly ComputeRoute[] = [
  ...projectRoutes,
  ...locationRoutes,
  ...instanceRoutes,
  ...operationRoutes,
  ...zonalTypeRoutes,
  ...imageRoutes,
  ...networkRoutes,
];
