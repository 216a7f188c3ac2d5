/**
 * The Kasm emulator's view of the shared route table (common/route-table.ts): each entry is
 * an HTTP method ('*' for any), a path and its handler. A trailing slash and a query string
 * are ignored, `:name` params come back URI-decoded (a malformed escape fits no route), and
 * knowing that the path exists but not for this method lets the caller answer 405 where
 * Kasm does, instead of 404.
 */
import { routeTable, type RouteLookup } from '../common/route-table.js';

export interface Route<H> {
  readonly method: string;
  readonly path: string;
  readonly handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; route: Route<H>; params: Record<string, string> }
  /** The path is in the table, but not for this method. */
  | { kind: 'wrong-method' }
  | { kind: 'none' };

/** `/api/public/x/?a=1` → `/api/public/x`: the form both the table and a request are read in. */
const normal = (path: string): string => `/${path.split('?')[0].split('/').filter(Boolean).join('/')}`;

const tables = new WeakMap<object, (method: string, path: string) => RouteLookup<Route<unknown>>>();

/** The first entry of `routes` for this method and path (table order decides between overlaps). */
export function matchRoute<H>(routes: readonly Route<H>[], method: string, path: string): RouteMatch<H> {
  let find = tables.get(routes);
  if (!find) {
    find = routeTable(routes.map((r) => ({ ...r, path: normal(r.path), entry: r })));
    tables.set(routes, find);
  }
  const found = find(method, normal(path));
  if (!found.route) return found.allowed.length ? { kind: 'wrong-method' } : { kind: 'none' };
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(found.params)) {
    try {
      params[k] = decodeURIComponent(v);
    } catch {
      return { kind: 'none' };
    }
  }
  return { kind: 'found', route: (found.route as unknown as { entry: Route<H> }).entry, params };
}
