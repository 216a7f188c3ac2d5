import { closest } from './common.js';

/** One wrong value found by the table-driven checks (oci-values.ts, gcp-values.ts). */
export interface ValueProblem {
  path: (string | number)[];
  message: string;
  /** `unknown`: the key is not a field; `missing`: a required field is absent; else a wrong value. */
  kind?: 'unknown' | 'missing';
}

/** "did you mean" for an enum value: case slips and one- or two-letter typos. */
export function enumHint(value: unknown, values: readonly string[]): string {
  if (typeof value !== 'string') return '';
  const guess = closest(value, values);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/** Ranges the API documents (min, max, step); the message says the whole rule. */
export function rangeProblem(
  n: number,
  r: { min?: number; max?: number; step?: number },
): string | undefined {
  const { min, max, step } = r;
  const bad =
    (min !== undefined && n < min) ||
    (max !== undefined && n > max) ||
    (step !== undefined && (n - (min ?? 0)) % step !== 0);
  if (!bad) return undefined;
  const span =
    min !== undefined && max !== undefined
      ? `${min}–${max}`
      : min !== undefined
        ? `at least ${min}`
        : `at most ${max}`;
  return `expected ${span}${step ? ` in steps of ${step}` : ''}`;
}
