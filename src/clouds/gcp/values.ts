import { GCP_MESSAGES, type GcpValueType } from './fields.generated.js';
import { isPlainObject } from '../../core/fields/merge.js';
import { enumHint, rangeProblem, type ValueProblem } from '../../core/fields/value-rules.js';

/**
 * Values checked against the compute v1 protos (gcp-fields.generated.ts). The client
 * library's Instance.fromObject does not refuse a wrong value, it changes it: "yes" and
 * "false" become true, "two" becomes 0, 3000000000 wraps to -1294967296 in an int32, and
 * an enum string with a typo is sent as written for Google to refuse. The config validator
 * and the GCP emulator both use these checks.
 *
 * `lenientNumbers`: proto3 JSON lets a decimal string stand for any integer ("2" for an
 * int32); Google's front end takes it, so the emulator does. The config validator does
 * not: a quoted number there is a slip the library would quietly convert.
 */
export interface GcpCheckOptions {
  lenientNumbers?: boolean;
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Why `value` is not a JSON value of a scalar proto type; undefined when it is one. */
export function gcpScalarProblem(
  value: unknown,
  type: GcpValueType,
  opts: GcpCheckOptions = {},
): string | undefined {
  switch (type.t) {
    case 'any':
    case 'message':
    case 'map':
      return undefined;
    case 'string':
      return typeof value === 'string'
        ? undefined
        : `expected a string${typeof value === 'number' || typeof value === 'boolean' ? ` (quote it: "${String(value)}")` : ''}`;
    case 'bool':
      return typeof value === 'boolean'
        ? undefined
        : `expected true or false${typeof value === 'string' || typeof value === 'number' ? ` (a boolean, not ${typeof value === 'string' ? 'a string' : 'a number'})` : ''}`;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}${enumHint(value, type.values)}`;
    case 'double':
    case 'float': {
      const n =
        typeof value === 'string' && opts.lenientNumbers && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n))
        return `expected a number${typeof value === 'string' ? ' (not a string: write it without quotes)' : ''}`;
      return rangeProblem(n, type);
    }
    default: {
      // int32, uint32 as JSON numbers; int64, uint64 as decimal strings (the proto3 JSON
      // form the library sends) or numbers.
      const wide = type.t === 'int64' || type.t === 'uint64';
      const asString = typeof value === 'string' && (wide || opts.lenientNumbers) && /^-?\d+$/.test(value);
      const n = asString ? Number(value) : value;
      const [lo, hi] = INT_RANGE[type.t];
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        const what = `expected ${type.t.startsWith('u') ? 'a whole number ≥ 0' : 'an integer'}${wide ? ' (a number or a string of digits)' : ''}`;
        return `${what}${typeof value === 'string' && !asString && !wide ? ' (not a string: write it without quotes)' : ''}`;
      }
      if (n < lo || n > hi) return `expected an integer from ${lo} to ${hi} (a ${type.t})`;
      return rangeProblem(n, type);
    }
  }
}

/**
 * Every problem of a JSON value against a message of the protos: unknown fields, wrong
 * types, enum values, ranges, lists and maps. `null` counts as "not set".
 */
export function gcpMessageProblems(
  value: unknown,
  message: string,
  opts: GcpCheckOptions = {},
  path: (string | number)[] = [],
): ValueProblem[] {
  const out: ValueProblem[] = [];
  walkMessage(value, message, path, out, opts);
  return out;
}

/** Problems of one field's value (a list when the field is repeated). */
export function gcpFieldProblems(
  value: unknown,
  spec: { value: GcpValueType; repeated?: true },
  path: (string | number)[],
  opts: GcpCheckOptions = {},
): ValueProblem[] {
  const out: ValueProblem[] = [];
  walkField(value, spec, path, out, opts);
  return out;
}

function walkMessage(
  value: unknown,
  message: string,
  path: (string | number)[],
  out: ValueProblem[],
  opts: GcpCheckOptions,
): void {
  if (value === null || value === undefined) return;
  const fields = GCP_MESSAGES[message];
  if (!fields) return;
  if (!isPlainObject(value)) {
    out.push({ path, message: `expected an object (a GCP ${message})` });
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const spec = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (!spec) {
      out.push({ path: [...path, k], message: `unknown field of the GCP ${message}`, kind: 'unknown' });
      continue;
    }
    walkField(v, spec, [...path, k], out, opts);
  }
}

function walkField(
  value: unknown,
  spec: { value: GcpValueType; repeated?: true },
  path: (string | number)[],
  out: ValueProblem[],
  opts: GcpCheckOptions,
): void {
  if (value === null || value === undefined) return;
  if (spec.repeated) {
    if (!Array.isArray(value)) out.push({ path, message: 'expected a list' });
    else value.forEach((item, i) => walkValue(item, spec.value, [...path, i], out, opts));
    return;
  }
  walkValue(value, spec.value, path, out, opts);
}

function walkValue(
  value: unknown,
  type: GcpValueType,
  path: (string | number)[],
  out: ValueProblem[],
  opts: GcpCheckOptions,
): void {
  if (value === null || value === undefined) return;
  if (type.t === 'message') return walkMessage(value, type.type, path, out, opts);
  if (type.t === 'map') {
    if (!isPlainObject(value)) out.push({ path, message: 'expected an object (a map of keys to values)' });
    else for (const [k, v] of Object.entries(value)) walkValue(v, type.of, [...path, k], out, opts);
    return;
  }
  const message = gcpScalarProblem(value, type, opts);
  if (message) out.push({ path, message });
}
