/** A plain JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep merge of an override over a base, the way both clouds' overrides are applied:
 * objects merge key by key, arrays and scalars replace. Neither input is modified; the
 * result shares no objects with the override (so later edits cannot leak back).
 */
export function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    // defineProperty: a "__proto__" key stays a plain key, never the result's prototype.
    Object.defineProperty(out, key, {
      value:
        isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
