import { isPlainObject } from '../../core/fields/merge.js';
import { OCI_MODELS, type OciValueType } from './fields.generated.js';
import { enumHint, rangeProblem, type ValueProblem } from '../../core/fields/value-rules.js';

export type { ValueProblem } from '../../core/fields/value-rules.js';

/**
 * Values checked against oci-core's own model types (oci-fields.generated.ts). oci-core's
 * serializer forwards every value untouched, so a "yes" where a boolean belongs or an
 * enum value with a typo reaches the service, which refuses the launch. The config
 * validator (through the override translator) and the OCI emulator both use these checks,
 * so they cannot disagree about what the service takes.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `value` is not a JSON value of a scalar type; undefined when it is one. */
export function ociScalarProblem(value: unknown, type: OciValueType): string | undefined {
  switch (type.t) {
    case 'any':
      return undefined;
    case 'string':
      return typeof value === 'string'
        ? undefined
        : `expected a string${typeof value === 'number' || typeof value === 'boolean' ? ` (quote it: "${String(value)}")` : ''}`;
    case 'datetime':
      return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'expected an RFC 3339 date-time string such as "2026-01-31T00:00:00Z"';
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : `expected true or false${typeof value === 'string' ? ' (a boolean, not a string)' : ''}`;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `expected a number${typeof value === 'string' ? ' (not a string: write it without quotes)' : ''}`;
      return rangeProblem(value, type);
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}${enumHint(value, type.values)}`;
    default:
      return undefined;
  }
}

/**
 * Narrows candidate models (a base and its subtypes) by the discriminator the object
 * carries (sourceType "image", type "AMD_VM"), the way the service picks the subtype.
 * `read` finds the discriminator's value in the object (callers know the key spelling).
 */
export function narrowByDiscriminator(
  candidates: readonly string[],
  read: (field: string) => unknown,
): { models: readonly string[]; problem?: { field: string; message: string } } {
  const subtypes = candidates.map((m) => ({ m, d: OCI_MODELS[m]?.discriminator })).filter((x) => x.d);
  if (!subtypes.length) return { models: candidates };
  const field = subtypes[0].d!.field;
  const value = read(field);
  if (value === undefined || value === null) return { models: candidates };
  const hit = subtypes.find((x) => x.d!.value === value);
  if (hit) return { models: [hit.m] };
  const values = subtypes.map((x) => x.d!.value);
  return {
    models: candidates,
    problem: { field, message: `expected one of ${values.join(', ')}${enumHint(value, values)}` },
  };
}

/**
 * Every problem of a REST (camelCase) value against a type, nested models, lists and maps
 * included: unknown fields, wrong types, enum values, ranges, and fields the model
 * requires. The emulator answers the first one; `null` counts as "not set".
 */
export function ociRestProblems(
  value: unknown,
  type: OciValueType,
  opts: { rootRequired?: boolean } = {},
): ValueProblem[] {
  const out: ValueProblem[] = [];
  walk(value, type, [], out, opts.rootRequired ?? true);
  return out;
}

function walk(
  value: unknown,
  type: OciValueType,
  path: (string | number)[],
  out: ValueProblem[],
  required = true,
): void {
  if (value === null || value === undefined) return;
  switch (type.t) {
    case 'list':
      if (!Array.isArray(value)) out.push({ path, message: 'expected a list' });
      else value.forEach((v, i) => walk(v, type.of, [...path, i], out));
      return;
    case 'map':
      if (!isPlainObject(value)) out.push({ path, message: 'expected an object (a map of keys to values)' });
      else for (const [k, v] of Object.entries(value)) walk(v, type.of, [...path, k], out);
      return;
    case 'model':
      walkModel(value, type.models, path, out, required);
      return;
    default: {
      const message = ociScalarProblem(value, type);
      if (message) out.push({ path, message });
    }
  }
}

function walkModel(
  value: unknown,
  candidates: readonly string[],
  path: (string | number)[],
  out: ValueProblem[],
  required: boolean,
): void {
  if (!isPlainObject(value)) {
    out.push({
      path,
      message: `expected an object (${candidates.length === 1 ? candidates[0] : `one of ${candidates.join(', ')}`})`,
    });
    return;
  }
  const { models, problem } = narrowByDiscriminator(candidates, (f) => value[f]);
  if (problem) out.push({ path: [...path, problem.field], message: problem.message });
  for (const [k, v] of Object.entries(value)) {
    const model = models.find((m) => Object.hasOwn(OCI_MODELS[m]?.fields ?? {}, k));
    if (!model) {
      out.push({
        path: [...path, k],
        message: `unknown field${/_/.test(k) ? ' (the REST API uses camelCase)' : ''}`,
        kind: 'unknown',
      });
      continue;
    }
    walk(v, OCI_MODELS[model].fields[k].type, [...path, k], out);
  }
  // Required fields: only when one model is known (a subtype picked, or no subtypes).
  if (!required || models.length !== 1) return;
  for (const [k, f] of Object.entries(OCI_MODELS[models[0]]?.fields ?? {}))
    if (f.required && (value[k] === undefined || value[k] === null))
      out.push({ path: [...path, k], message: `missing ${k} (required by ${models[0]})`, kind: 'missing' });
}
