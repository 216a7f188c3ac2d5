import type { z } from 'zod';
import type { PathSegments } from './path.js';

/**
 * Cross-field checks see the raw section (after `${ENV}` and `*_file`) and report through
 * `add`. They only compare fields that are valid on their own (`valid()`), so one mistake
 * is reported once, by the field's own schema.
 */
export interface CheckContext {
  add(path: PathSegments, message: string, opts?: { found?: unknown; atKey?: boolean }): void;
  warn(message: string): void;
  /** Where a value read from a `*_file` key came from (for messages). */
  fromFile(path: PathSegments): string | undefined;
}

/** The field's parsed value when its own schema accepts it, else undefined. */
export function valid<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}
