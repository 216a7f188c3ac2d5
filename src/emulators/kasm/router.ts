/**
 * A route table and its matcher, small enough to read at a glance: each entry is an HTTP
 * method ('*' for any), a path and its handler. A path segment written `:name` matches any
 * one segment and is handed back in `params`; every other segment must match exactly. A
 * trailing slash and a query string are ignored. Knowing that the path exists but not for
 * this method lets the caller answer 405 where the service does, instead of 404.
 */

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

const segmentsOf = (path: string): string[] => path.split('?')[0].split('/').filter(Boolean);

/** A segment's text, or undefined when its %-escapes are malformed (no route fits it). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Params of `pattern` read from `segments`, or undefined when the path does not fit it. */
function fit(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    if (!p.startsWith(':')) {
      if (p !== segments[i]) return undefined;
      continue;
    }
    const value = decoded(segments[i]);
    if (value === undefined) return undefined;
    params[p.slice(1)] = value;
  }
  return params;
}

/** The first entry of `routes` for this method and path (table order decides between overlaps). */
export function matchRoute<H>(routes: readonly Route<H>[], method: string, path: string): RouteMatch<H> {
  const segments = segmentsOf(path);
  let pathKnown = false;
  for (const route of routes) {
    const params = fit(segmentsOf(route.path), segments);
    if (!params) continue;
    if (route.method === '*' || route.method === method) return { kind: 'found', route, params };
    pathKnown = true;
  }
  return pathKnown ? { kind: 'wrong-method' } : { kind: 'none' };
}
