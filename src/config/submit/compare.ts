import { submitField } from './fields.js';
import { MASKED } from './masked.js';

/**
 * Equality as Kasm means it: a JSON field equals its string form (`["a"]` = `'["a"]'`),
 * `5` equals `"5"`, `true` equals `"true"`, and every "empty" (null, "", {}, [], and a
 * field's own "not set" value such as 0 for `oci_flex_cpus`) is one value. Object key
 * order does not matter.
 */

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === '') return '';
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return v;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** A canonical form: parsed JSON, numbers for numeric strings, booleans for "true"/"false", sorted keys. */
export function canonical(v: unknown): unknown {
  const p = parseMaybeJson(v);
  if (isEmpty(p)) return null;
  if (typeof p === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(p.trim())) return Number(p);
    if (p === 'true' || p === 'false') return p === 'true';
    return p;
  }
  if (Array.isArray(p)) return p.map(canonical);
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return p;
}

/**
 * `canonical`, plus the field's own "not set" values (fields.ts): for `oci_flex_cpus` a
 * stored 0 is the same as the key missing from the file. Without a field, only the
 * empties every type shares.
 */
export function normalized(field: string | undefined, v: unknown): unknown {
  const c = canonical(v);
  const f = field === undefined ? undefined : submitField(field);
  if (c === null || !f || f.presence !== 'optional') return c;
  const unset = [f.cleared, ...(f.alsoUnset ?? [])].map(canonical);
  return unset.some((u) => u !== null && JSON.stringify(u) === JSON.stringify(c)) ? null : c;
}

export function sameValue(a: unknown, b: unknown, field?: string): boolean {
  return JSON.stringify(normalized(field, a)) === JSON.stringify(normalized(field, b));
}

export function isEmptyValue(v: unknown, field?: string): boolean {
  return normalized(field, v) === null;
}

export { MASKED };
