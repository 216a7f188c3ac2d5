/**
 * A route table small enough to read at a glance: each route is a method and a path
 * pattern, plus whatever its emulator keeps beside them (its handler, the API method name
 * it logs, the permission a write needs). Patterns are written the way Google's (and OCI's)
 * API references write paths, `zones/{zone}/instances/{instance}`, so a route can be
 * checked against the reference by eye: `{name}` is one non-empty path segment, anything
 * else must match literally. Method `*` serves every method.
 *
 * The table matches the path it is given; decoding it (or not) is the caller's choice,
 * because the APIs disagree on whether an escaped `/` is a separator.
 */

export interface Route {
  /** Upper-case HTTP method, or `*` for any. */
  method: string;
  /** Segments separated by `/`; `{name}` captures one segment as params.name. */
  path: string;
}

export type PathParams = Record<string, string>;

export interface RouteMatch<R extends Route> {
  route: R;
  /** The captured segments, in the pattern's order. */
  params: PathParams;
}

export type RouteFinder<R extends Route> = (method: string, path: string) => RouteMatch<R> | undefined;

/** Compiles the table once; two routes for the same method and pattern are a mistake, refused here. */
export function routeTable<R extends Route>(routes: readonly R[]): RouteFinder<R> {
  const seen = new Set<string>();
  const compiled = routes.map((route) => {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    return { route, segments: route.path.split('/').map(compileSegment) };
  });
  return (method, path) => {
    const parts = path.split('/');
    for (const { route, segments } of compiled) {
      if (route.method !== '*' && route.method !== method) continue;
      const params = matchSegments(segments, parts);
      if (params) return { route, params };
    }
    return undefined;
  };
}

interface Segment {
  /** Set for `{name}`: the param this segment fills. */
  param?: string;
  literal: string;
}

function matchSegments(segments: Segment[], parts: string[]): PathParams | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: PathParams = {};
  for (const [i, s] of segments.entries()) {
    if (s.param === undefined ? s.literal !== parts[i] : parts[i] === '') return undefined;
    if (s.param !== undefined) params[s.param] = parts[i];
  }
  return params;
}

function compileSegment(segment: string): Segment {
  const m = /^\{(\w+)\}$/.exec(segment);
  return m ? { param: m[1], literal: segment } : { literal: segment };
}
