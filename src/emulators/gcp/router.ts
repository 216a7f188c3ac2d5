/**
 * The GCP emulator's view of the shared route table (common/route-table.ts): Compute paths
 * written as Google's reference writes them, `zones/{zone}/instances/{instance}`, matched
 * as given (an escaped `/` is left to the caller), a miss is simply no route (Google answers
 * an unknown path and a wrong method alike).
 */
import { routeTable as sharedTable, type RouteEntry } from '../common/route-table.js';

export type Route = RouteEntry;

export type PathParams = Record<string, string>;

export interface RouteMatch<R extends Route> {
  route: R;
  /** The captured segments. */
  params: PathParams;
}

export type RouteFinder<R extends Route> = (method: string, path: string) => RouteMatch<R> | undefined;

export function routeTable<R extends Route>(routes: readonly R[]): RouteFinder<R> {
  const find = sharedTable(routes);
  return (method, path) => {
    const found = find(method, path);
    return found.route ? { route: found.route, params: found.params } : undefined;
  };
}
