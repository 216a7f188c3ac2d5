/**
 * ListInstances' `sortBy` / `sortOrder`, as oci-core documents them: TIMECREATED (default,
 * newest first by default) or DISPLAYNAME (A→Z by default, case-sensitive), each with ASC
 * or DESC. The accepted values are the SDK's own enums (sdk-tables.generated.ts); anything
 * else is a 400, as on the real API.
 */
import { LIST_INSTANCES_SORT_BY, LIST_INSTANCES_SORT_ORDER } from './sdk-tables.generated.js';
import { ApiError } from './validate.js';

type Row = Record<string, unknown>;

/** Case-sensitive, as the API says: code-unit order, not locale order. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function listOrder(sortBy: string | null, sortOrder: string | null): (a: Row, b: Row) => number {
  if (sortBy !== null && !LIST_INSTANCES_SORT_BY.includes(sortBy)) {
    throw new ApiError(
      400,
      'InvalidParameter',
      `Invalid sortBy ${sortBy}: must be one of ${LIST_INSTANCES_SORT_BY.join(', ')}.`,
    );
  }
  if (sortOrder !== null && !LIST_INSTANCES_SORT_ORDER.includes(sortOrder)) {
    throw new ApiError(
      400,
      'InvalidParameter',
      `Invalid sortOrder ${sortOrder}: must be one of ${LIST_INSTANCES_SORT_ORDER.join(', ')}.`,
    );
  }
  const by = sortBy ?? 'TIMECREATED';
  const order = sortOrder ?? (by === 'DISPLAYNAME' ? 'ASC' : 'DESC');
  const key = by === 'DISPLAYNAME' ? 'displayName' : 'timeCreated';
  const sign = order === 'ASC' ? 1 : -1;
  // Ties keep launch order (Array.prototype.sort is stable), so pages never shuffle.
  return (a, b) => sign * byCodeUnits(String(a[key]), String(b[key]));
}
