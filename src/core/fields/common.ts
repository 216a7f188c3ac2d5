import { z } from 'zod';

/**
 * Building blocks shared by the section schemas. Every message says what is expected;
 * the validator adds where (file, path, line:column) and what was found.
 */

/**
 * Schemas of Kasm's "(JSON)" fields. Kasm accepts each as a native value or as a string
 * holding JSON, `""` meaning empty; `config schema` shows both forms (see toJsonSchema).
 */
export const jsonStringFields = new WeakSet<object>();

/** Schemas whose JSON Schema is better shown as another schema's (e.g. a check-then-parse pipe). */
export const jsonSchemaAs = new WeakMap<object, z.ZodType>();

/**
 * A Kasm JSON field: a string is parsed as JSON first (`""` → `empty`), then checked by
 * `inner`. A string that is not JSON is one problem naming the parser's complaint.
 */
export function jsonField<T extends z.ZodType>(inner: T, empty: unknown) {
  const schema = z.preprocess(
    (v, ctx) => {
      if (typeof v !== 'string') return v;
      if (v.trim() === '') return empty;
      try {
        return JSON.parse(v) as unknown;
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `not valid JSON (${(err as Error).message}); expected ${inner.description ?? 'a JSON value'} or a string holding one`,
          input: v,
        });
        return z.NEVER;
      }
      // `""` of an optional field (empty === undefined) means "not set".
    },
    (empty === undefined ? inner.optional() : inner) as T,
  );
  jsonStringFields.add(schema);
  return schema;
}

/** Integers written as numbers, or as digit strings (what `${ENV}` expansion yields). */
export function int(opts: { min?: number; max?: number; what?: string } = {}) {
  const { min = 0, max, what = 'an integer' } = opts;
  const range = max === undefined ? `${what} ≥ ${min}` : `${what} from ${min} to ${max}`;
  let n = z
    .number({ error: `expected ${range}` })
    .int({ error: `expected ${range}, not a fraction` })
    .min(min, { error: `expected ${range}` });
  if (max !== undefined) n = n.max(max, { error: `expected ${range}` });
  return z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v), n);
}

/** Booleans written as true/false, or as the strings "true"/"false" (from `${ENV}`). */
export function bool() {
  return z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v),
    z.boolean({ error: 'expected true or false' }),
  );
}

/** A required, non-empty string (trimmed for the emptiness test only). */
export function text(what: string) {
  return z
    .string({ error: `expected ${what}` })
    .refine((s) => s.trim() !== '', { error: `expected ${what}, not an empty string` });
}

/** C0 and C1 control characters (ESC, BEL, newline ...): they would drive the terminal a name is printed on. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A name that reports print (provider, pool): text without control characters. */
export function name(what: string) {
  return text(what).refine((s) => !CONTROL_CHARS.test(s), {
    error: `expected ${what} without control characters (escape sequences, tabs or newlines)`,
  });
}

/** A string checked by a function that returns why it is wrong (undefined when fine). */
export function checked(what: string, why: (s: string) => string | undefined) {
  return z.string({ error: `expected ${what}` }).superRefine((s, ctx) => {
    const reason = why(s);
    if (reason) ctx.addIssue({ code: 'custom', message: reason, input: s });
  });
}

/** A string matching `re`, with one message saying what is expected. */
export function pattern(re: RegExp, expected: string) {
  return z.string({ error: `expected ${expected}` }).regex(re, { error: `expected ${expected}` });
}

/** Levenshtein distance, for "did you mean" on unknown keys. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest of `known` to `key` when it is a likely slip, else undefined. */
export function closest(key: string, known: Iterable<string>): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d <= Math.max(2, Math.floor(k.length / 4)) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}
