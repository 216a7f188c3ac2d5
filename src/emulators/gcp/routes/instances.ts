/** instances.*: list, aggregatedList, insert, get, delete, setLabels (the world does the work). */
import { matches } from '../filter.js';
import { API_BASE } from '../world.js';
import { requestIdOf, zoneOf, type ComputeCall, type ComputeRoute } from './compute-route.js';
import { listQuery, nextPage } from './list-page.js';

const INSTANCE = 'zones/{zone}/instances/{instance}';

export const instanceRoutes: ComputeRoute[] = [
  { method: 'GET', path: 'zones/{zone}/instances', api: 'instances.list', handler: listInstances },
  {
    method: 'GET',
    path: 'aggregated/instances',
    api: 'instances.aggregatedList',
    handler: aggregatedInstances,
  },
  {
    method: 'POST',
    path: 'zones/{zone}/instances',
    api: 'instances.insert',
    write: { permission: 'compute.instances.create' },
    handler: (c) =>
      c.env.world.operationJson(c.env.world.insert(c.project, zoneOf(c), c.body, requestIdOf(c), c.user)),
  },
  {
    method: 'GET',
    path: INSTANCE,
    api: 'instances.get',
    handler: (c) =>
      c.env.world.instanceJson(c.env.world.getInstance(c.project, zoneOf(c), c.params.instance)),
  },
  {
    method: 'DELETE',
    path: INSTANCE,
    api: 'instances.delete',
    write: { permission: 'compute.instances.delete' },
    handler: (c) =>
      c.env.world.operationJson(
        c.env.world.delete(c.project, zoneOf(c), c.params.instance, requestIdOf(c), c.user),
      ),
  },
  {
    method: 'POST',
    path: `${INSTANCE}/setLabels`,
    api: 'instances.setLabels',
    write: { permission: 'compute.instances.setLabels' },
    handler: (c) =>
      c.env.world.operationJson(
        c.env.world.setLabels(c.project, zoneOf(c), c.params.instance, c.body, requestIdOf(c), c.user),
      ),
  },
];

function listInstances(c: ComputeCall): unknown {
  const { world } = c.env;
  const zone = zoneOf(c);
  const { filter, size, after } = listQuery(c);
  // Keyset paging on the name: an instance added or removed between pages never shifts others.
  const all = world
    .listInstances(c.project, zone)
    .map((i) => world.instanceJson(i))
    .filter((j) => matches(filter, j))
    .filter((j) => after === undefined || String(j.name) > after);
  const items = all.slice(0, size);
  return {
    kind: 'compute#instanceList',
    id: `projects/${c.project}/zones/${zone}/instances`,
    items,
    selfLink: `${API_BASE}projects/${c.project}/zones/${zone}/instances`,
    ...nextPage(all.length > items.length, () => String(items[items.length - 1].name)),
  };
}

/** instances.aggregatedList: every zone, grouped under `zones/<zone>`; keyset paging on zone/name. */
function aggregatedInstances(c: ComputeCall): unknown {
  const { world } = c.env;
  const { filter, size, after } = listQuery(c);
  const all = world
    .allInstances()
    .filter((i) => i.project === c.project)
    .map((i) => ({ k: `${i.zone}/${i.name}`, zone: i.zone, json: world.instanceJson(i) }))
    .filter((x) => matches(filter, x.json) && (after === undefined || x.k > after))
    .sort((a, b) => (a.k < b.k ? -1 : 1));
  const page = all.slice(0, size);
  const items: Record<string, { instances: unknown[] }> = {};
  for (const x of page) (items[`zones/${x.zone}`] ??= { instances: [] }).instances.push(x.json);
  return {
    kind: 'compute#instanceAggregatedList',
    id: `projects/${c.project}/aggregated/instances`,
    items,
    selfLink: `${API_BASE}projects/${c.project}/aggregated/instances`,
    ...nextPage(all.length > page.length, () => page[page.length - 1].k),
  };
}
