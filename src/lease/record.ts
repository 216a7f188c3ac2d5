/** The lease record as the object stores keep it: a small JSON document a person can read too. */
import type { LeaseRecord } from './types.js';

export function recordText(r: LeaseRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/** A record read back; anything else (an object someone else wrote there) is a record nobody holds that is already expired. */
export function parseRecord(text: string): LeaseRecord {
  try {
    const o = JSON.parse(text) as Partial<LeaseRecord>;
    if (
      typeof o.holder === 'string' &&
      typeof o.renewedAt === 'string' &&
      Number.isFinite(Date.parse(o.renewedAt)) &&
      typeof o.ttlSeconds === 'number'
    )
      return {
        holder: o.holder,
        acquiredAt: typeof o.acquiredAt === 'string' ? o.acquiredAt : o.renewedAt,
        renewedAt: o.renewedAt,
        ttlSeconds: o.ttlSeconds,
        transitions: typeof o.transitions === 'number' ? o.transitions : 0,
      };
  } catch {
    // fall through
  }
  return {
    holder: 'unreadable lease object',
    acquiredAt: '1970-01-01T00:00:00.000Z',
    renewedAt: '1970-01-01T00:00:00.000Z',
    ttlSeconds: 0,
    transitions: 0,
  };
}
