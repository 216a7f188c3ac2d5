/**
 * The paging every list call shares: `maxResults` (capped by the emulator's page size) and a
 * keyset `pageToken` holding the last key answered, so an item added or removed between two
 * pages never shifts the others.
 */
import { invalidField } from '../google-errors.js';
import { parseFilter } from '../filter.js';
import type { ComputeCall } from './compute-route.js';

export interface ListQuery {
  filter: ReturnType<typeof parseFilter>;
  size: number;
  /** The last key of the previous page (undefined: first page). */
  after: string | undefined;
}

/** A list call's filter, page size and keyset position. */
export function listQuery(c: ComputeCall): ListQuery {
  const filter = parseFilter(c.query.get('filter') ?? '');
  const maxResults = c.query.has('maxResults') ? Number(c.query.get('maxResults')) : c.env.pageSize;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 500)
    throw invalidField('maxResults', c.query.get('maxResults'), 'Must be between 0 and 500.');
  const size = Math.min(maxResults === 0 ? 500 : maxResults, c.env.pageSize);
  return { filter, size, after: readToken(c.query.get('pageToken')) };
}

/** `{nextPageToken}` when more items follow the page, else nothing (spread into the answer). */
export function nextPage(more: boolean, lastKey: () => string): { nextPageToken?: string } {
  return more
    ? { nextPageToken: Buffer.from(JSON.stringify({ after: lastKey() })).toString('base64url') }
    : {};
}

function readToken(token: string | null): string | undefined {
  if (!token) return undefined;
  try {
    return (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after: string }).after;
  } catch {
    throw invalidField('pageToken', token, 'Invalid page token.');
  }
}
