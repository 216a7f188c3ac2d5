import { MASKED } from './masked.js';

/**
 * Equality as Kasm means it: a JSON field equals its string form (`["a"]` = `'["a"]'`),
 * `5` equals `"5"`, `true` equals `"true"`, and every "empty" (null, "", {}, []) is one
 * value. Object key order does not matter.
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

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function isEmptyValue(v: unknown): boolean {
  return canonical(v) === null;
}

export { MASKED };
