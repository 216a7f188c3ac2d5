import { CLOUD_LIST } from '../clouds/registry.js';
import { secretKind } from '../core/echo.js';
import type { PathSegments } from './problems.js';

/**
 * Keys whose values are secrets: never echoed in a problem, never written inline by mistake.
 * The kasm: section's own, plus what each cloud in the registry declares (its `secretKeys`).
 * Apart from problems.ts because the clouds import problems.ts's types and this reads the registry.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'api_key_secret',
  'manager_token',
  ...CLOUD_LIST.flatMap((c) => c.secretKeys),
]);

export function isSecretPath(path: PathSegments): boolean {
  return path.some((s) => typeof s === 'string' && SECRET_KEYS.has(s));
}

/** A short description of a value for "found": type and, for short scalars, the value. */
export function describeFound(value: unknown, path: PathSegments): string | undefined {
  if (value === undefined) return undefined;
  if (isSecretPath(path)) return undefined;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    // A secret pasted into the wrong key: its kind and length only (the one rule: core/echo.ts).
    const kind = secretKind(value);
    if (kind) return `${kind} of ${value.length} characters`;
    if (value.length > 60 || value.includes('\n')) return `a text of ${value.length} characters`;
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length
      ? `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`
      : 'an empty object';
  }
  return typeof value;
}
