/**
 * The route table the emulators dispatch with: a list of `{ method, path }` entries (each
 * emulator adds its own fields — the handler, an operation name for fault injection — and
 * gets its own entry type back), matched in order. A path pattern is literal segments,
 * `:name` for one segment, and a last `*name` for the rest of the path, slashes included
 * (an Object Storage object name). Thirty lines of our own rather than a router library:
 * the emulators need exactly this, and each answers "no such route" in its own service's
 * words, which a library's 404/405 would not.
 */

export interface RouteEntry {
  /** Upper case, as Node gives `req.method`. */
  readonly method: string;
  /** `/instances/:instanceId`, `/n/:namespaceName/b/:bucketName/o/*objectName`. */
  readonly path: string;
}

export type RouteLookup<R> =
  /** `params` as they stand in the path, percent-escapes kept: when to decode is the emulator's call. */
  | { route: R; params: Record<string, string> }
  /**
   * No route: `allowed` lists the methods the path does take (empty when the path is
   * unknown), `params` are the path's as the first of those reads them (a service may look
   * the resource up before it refuses the method).
   */
  | { route: undefined; allowed: string[]; params: Record<string, string> };

/** Compiles `routes` once; the returned function finds the first entry for a method and path. */
export function routeTable<R extends RouteEntry>(
  routes: readonly R[],
): (method: string, path: string) => RouteLookup<R> {
  const compiled = routes.map((route) => ({ route, pattern: compile(route.path) }));
  return (method, path) => {
    const allowed: string[] = [];
    let params: Record<string, string> | undefined;
    for (const { route, pattern } of compiled) {
      const m = pattern.exec(path);
      if (!m) continue;
      if (route.method === method) return { route, params: { ...m.groups } };
      allowed.push(route.method);
      params ??= { ...m.groups };
    }
    return { route: undefined, allowed, params: params ?? {} };
  };
}

function compile(path: string): RegExp {
  const segments = path.split('/').map((seg, n, all) => {
    if (seg.startsWith(':')) return `(?<${seg.slice(1)}>[^/]+)`;
    if (seg.startsWith('*') && n === all.length - 1) return `(?<${seg.slice(1)}>.+)`;
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}
