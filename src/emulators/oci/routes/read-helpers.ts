/**
 * What the read handlers share: OCI's cursor paging (`limit`, `page`, `opc-next-page`),
 * required query parameters, and a GET of a seeded object by OCID.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../validate.js';
import type { OciWorld } from '../world.js';
import { notFound, type Answer } from './call.js';

/** A list answer, one page of it: the token is the offset, opaque to clients. */
export function pageOf<T>(w: OciWorld, items: T[], url: URL): Answer {
  const limitParam = url.searchParams.get('limit');
  let limit = w.pageSize;
  if (limitParam !== null) {
    const n = Number(limitParam);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new ApiError(400, 'InvalidParameter', 'limit must be an integer between 1 and 1000.');
    limit = Math.min(n, w.pageSize);
  }
  const pageParam = url.searchParams.get('page');
  let start = 0;
  if (pageParam) {
    const decoded = Number(Buffer.from(pageParam, 'base64url').toString('utf8').replace(/^p:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0)
      throw new ApiError(400, 'InvalidParameter', 'Invalid page token.');
    start = decoded;
  }
  const page = items.slice(start, start + limit);
  const next =
    start + limit < items.length ? Buffer.from(`p:${start + limit}`).toString('base64url') : undefined;
  return { status: 200, body: page, headers: next ? { 'opc-next-page': next } : {} };
}

export function requireParam(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (!v) throw new ApiError(400, 'MissingParameter', `Missing required parameter ${name}.`);
  return v;
}

/** GET of a seeded object: 404 NotAuthorizedOrNotFound when it was not seeded. */
export function getById<T extends { id: string }>(list: T[], id: string, shape: (x: T) => unknown): Answer {
  const x = list.find((y) => y.id === id);
  if (!x) throw notFound();
  return {
    status: 200,
    body: shape(x),
    headers: { etag: `"${createHash('sha256').update(id).digest('hex').slice(0, 16)}"` },
  };
}
