/**
 * The route table every emulator dispatches with: a list of `{ method, path }` entries (each
 * emulator adds its own fields — the handler, an operation name for fault injection, a
 * permission — and gets its own entry type back), matched in order. A path pattern is
 * literal segments, one-segment params written `:name` or `{name}` (the way Google's and
 * OCI's API references write paths, so a route can be checked against them by eye), and a
 * last `*name` for the rest of the path, slashes included (an Object Storage object name).
 * Method `*` serves every method.
 *
 * Forty lines of our own rather than a router library: the emulators need exactly this, the
 * path is matched as given (whether an escaped `/` separates is each API's call, so decoding
 * is the caller's), and each answers "no such route" in its own service's words, which a
 * library's 404/405 would not.
 */

export interface RouteEntry {
  /** Upper case, as Node gives `req.method`; `*` for any. */
  readonly method: string;
  /** `/instances/:instanceId`, `zones/{zone}/instances`, `/n/:namespaceName/b/:bucketName/o/*objectName`. */
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

/**
 * Compiles `routes` once (two entries for one method and pattern are a mistake, refused
 * here); the returned function finds the first entry for a method and path.
 */
export function routeTable<R extends RouteEntry>(
  routes: readonly R[],
): (method: string, path: string) => RouteLookup<R> {
  const seen = new Set<string>();
  const compiled = routes.map((route) => {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    return { route, pattern: compile(route.path) };
  });
  return (method, path) => {
    const allowed: string[] = [];
    let params: Record<string, string> | undefined;
    for (const { route, pattern } of compiled) {
      const m = pattern.exec(path);
      if (!m) continue;
      if (route.method === method || route.method === '*') return { route, params: { ...m.groups } };
      allowed.push(route.method);
      params ??= { ...m.groups };
    }
    return { route: undefined, allowed, params: params ?? {} };
  };
}

function compile(path: string): RegExp {
  const segments = path.split('/').map((seg, n, all) => {
    const param = /^(?::(\w+)|\{(\w+)\})$/.exec(seg);
    if (param) return `(?<${param[1] ?? param[2]}>[^/]+)`;
    if (seg.startsWith('*') && n === all.length - 1) return `(?<${seg.slice(1)}>.+)`;
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}
