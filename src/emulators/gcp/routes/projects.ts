/** projects.get: the project itself (the path is the project's root). */
import { defaultComputeAccount, projectNumber } from '../project.js';
import { API_BASE } from '../world.js';
import type { ComputeRoute } from './compute-route.js';

export const projectRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: '',
    api: 'projects.get',
    handler: (c) => ({
      kind: 'compute#project',
      id: projectNumber(c.project),
      name: c.project,
      selfLink: `${API_BASE}projects/${c.project}`,
      defaultServiceAccount: defaultComputeAccount(c.project),
      commonInstanceMetadata: { items: [] },
    }),
  },
];
