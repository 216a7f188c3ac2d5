/** zoneOperations.*: get, list, and wait (which blocks, as Google's does). */
import { matches } from '../filter.js';
import { waitForOperation } from '../operation-wait.js';
import { API_BASE } from '../world.js';
import { zoneOf, type ComputeCall, type ComputeRoute } from './compute-route.js';
import { listQuery, nextPage } from './list-page.js';

const OPERATION = 'zones/{zone}/operations/{operation}';

export const operationRoutes: ComputeRoute[] = [
  {
    method: 'GET',
    path: OPERATION,
    api: 'zoneOperations.get',
    handler: (c) =>
      c.env.world.operationJson(c.env.world.getOperation(c.project, zoneOf(c), c.params.operation)),
  },
  { method: 'GET', path: 'zones/{zone}/operations', api: 'zoneOperations.list', handler: listOperations },
  // Blocks until DONE or about 2 minutes of the emulator's clock, as Google's wait does.
  {
    method: 'POST',
    path: `${OPERATION}/wait`,
    api: 'zoneOperations.wait',
    handler: async (c) => {
      const { world, now, closing } = c.env;
      const read = () => world.getOperation(c.project, zoneOf(c), c.params.operation);
      return world.operationJson(
        await waitForOperation(world, read, { now, abandoned: () => closing() || c.gone() }),
      );
    },
  },
];

/** zoneOperations.list: filter and keyset paging on the name, as instances.list. */
function listOperations(c: ComputeCall): unknown {
  const { world } = c.env;
  const zone = zoneOf(c);
  const { filter, size, after } = listQuery(c);
  const all = world
    .listOperations(c.project, zone)
    .map((o) => world.operationJson(o))
    .filter((j) => matches(filter, j))
    .sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1))
    .filter((j) => after === undefined || String(j.name) > after);
  const items = all.slice(0, size);
  return {
    kind: 'compute#operationList',
    id: `projects/${c.project}/zones/${zone}/operations`,
    items,
    selfLink: `${API_BASE}projects/${c.project}/zones/${zone}/operations`,
    ...nextPage(all.length > items.length, () => String(items[items.length - 1].name)),
  };
}
