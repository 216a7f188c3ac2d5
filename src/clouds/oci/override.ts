import { OCI_MODELS, OCI_ROOT_MODEL, type OciFieldSpec, type OciValueType } from './fields.generated.js';
import { distance } from '../../core/fields/common.js';
import { isPlainObject } from '../../core/fields/merge.js';
import { narrowByDiscriminator, ociRestProblems, ociScalarProblem } from './values.js';

/**
 * Kasm's "OCI Config Override" is written for the Python SDK:
 *   {"launch_instance_details": {"instance_options": {"OCI_MODEL_NAME": "InstanceOptions",
 *     "are_legacy_imds_endpoints_disabled": true}}}
 * The REST API (and oci-core, whose serializer renames nothing) wants camelCase:
 *   {"instanceOptions": {"areLegacyImdsEndpointsDisabled": true}}
 * This module translates one into the other, field by field, with the names oci-core's
 * own model typings define (oci-fields.generated.ts), so an unknown or misspelt key is
 * reported instead of reaching the wire as snake_case (which the service ignores/rejects).
 * Every value is checked against the field's type in the same tables (oci-values.ts):
 * oci-core forwards a wrong value untouched and the service refuses the launch.
 */

/** The Python class hint Kasm's examples carry; REST picks subtypes by discriminators. */
export const OCI_MODEL_NAME_KEY = 'OCI_MODEL_NAME';

export interface OciOverrideProblem {
  /** Path inside `oci_config_override`, e.g. `launch_instance_details.agent_config.plugins_confg`. */
  path: string;
  message: string;
}

export interface OciFieldMatch {
  /** camelCase (REST) name. */
  camel: string;
  spec: OciFieldSpec;
  /** The model (of the candidates) that holds the field. */
  model: string;
}

/**
 * Finds a field by its snake_case (Python SDK) or camelCase (REST) name in any of the
 * candidate models (a base model and its subtypes; a discriminator picks one at run time).
 * Used by the validator to reject misspelt override keys. `models` defaults to the root,
 * LaunchInstanceDetails; for nested keys pass the `spec.models` of the parent match.
 */
export function lookupOciField(
  key: string,
  models: readonly string[] = [OCI_ROOT_MODEL],
): OciFieldMatch | undefined {
  for (const model of models) {
    const fields = OCI_MODELS[model]?.fields;
    if (!fields) continue;
    if (Object.hasOwn(fields, key)) return { camel: key, spec: fields[key], model };
    for (const [camel, spec] of Object.entries(fields)) if (spec.snake === key) return { camel, spec, model };
  }
  return undefined;
}

/** Keys accepted at the top of the override for the launch details. */
const ROOT_KEYS = ['launch_instance_details', 'launchInstanceDetails'];

/**
 * Translates Kasm's override into a REST camelCase partial LaunchInstanceDetails.
 * Never throws: every problem (unknown key, wrong shape) is collected with its path, and
 * the translation of everything else is still returned.
 */
export function translateOciOverride(override: Record<string, unknown> | undefined): {
  details: Record<string, unknown>;
  problems: OciOverrideProblem[];
} {
  const problems: OciOverrideProblem[] = [];
  const details: Record<string, unknown> = {};
  if (override === undefined) return { details, problems };
  for (const [key, value] of Object.entries(override)) {
    if (key === OCI_MODEL_NAME_KEY) continue;
    if (!ROOT_KEYS.includes(key)) {
      problems.push({
        path: key,
        message: `unknown key "${key}": the override's top level holds "launch_instance_details"`,
      });
      continue;
    }
    if (!isPlainObject(value)) {
      problems.push({ path: key, message: `"${key}" must be an object of LaunchInstanceDetails fields` });
      continue;
    }
    Object.assign(details, translateModel(value, [OCI_ROOT_MODEL], key, problems, false));
  }
  return { details, problems };
}

/**
 * `whole`: the object replaces what the base had (a list item), so the fields its model
 * requires must be there; a nested object outside a list merges over the base instead.
 */
function translateModel(
  obj: Record<string, unknown>,
  candidates: readonly string[],
  path: string,
  problems: OciOverrideProblem[],
  whole: boolean,
): Record<string, unknown> {
  let models = candidates;
  const hint = obj[OCI_MODEL_NAME_KEY];
  if (hint !== undefined) {
    if (typeof hint === 'string' && candidates.includes(hint)) models = [hint];
    else
      problems.push({
        path: `${path}.${OCI_MODEL_NAME_KEY}`,
        message: `OCI_MODEL_NAME ${JSON.stringify(hint)} is not ${describe(candidates)}`,
      });
  }
  // The discriminator (source_type "image", type "AMD_VM") picks the subtype, as the service does.
  const narrowed = narrowByDiscriminator(models, (field) => {
    const key = Object.keys(obj).find((k) => lookupOciField(k, models)?.camel === field);
    return key === undefined ? undefined : obj[key];
  });
  if (narrowed.problem) {
    const key =
      Object.keys(obj).find((k) => lookupOciField(k, models)?.camel === narrowed.problem!.field) ??
      narrowed.problem.field;
    problems.push({ path: `${path}.${key}`, message: narrowed.problem.message });
  } else models = narrowed.models;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === OCI_MODEL_NAME_KEY) continue;
    const here = `${path}.${key}`;
    const match = lookupOciField(key, models);
    if (!match) {
      problems.push({
        path: here,
        message: `"${key}" is not a field of ${describe(models)}${suggest(key, models)}`,
      });
      continue;
    }
    out[match.camel] = translateValue(value, match.spec, match.spec.type, here, problems);
  }
  if (whole && models.length === 1)
    for (const [camel, f] of Object.entries(OCI_MODELS[models[0]]?.fields ?? {}))
      if (f.required && (out[camel] === undefined || out[camel] === null))
        problems.push({
          path,
          message: `missing "${spellLike(obj, camel, f.snake)}" (${models[0]} requires it)`,
        });
  return out;
}

/** A field name in the spelling the user writes: snake_case unless their keys are camelCase. */
function spellLike(obj: Record<string, unknown>, camel: string, snake: string): string {
  const keys = Object.keys(obj).filter((k) => k !== OCI_MODEL_NAME_KEY);
  return keys.some((k) => /[A-Z]/.test(k)) && !keys.some((k) => k.includes('_')) ? camel : snake;
}

function translateValue(
  value: unknown,
  spec: OciFieldSpec,
  type: OciValueType,
  path: string,
  problems: OciOverrideProblem[],
  whole = false,
): unknown {
  if (value === null) return null;
  if (type.t === 'list') {
    if (!Array.isArray(value)) {
      problems.push({ path, message: 'expected a list' });
      return value;
    }
    // A list replaces the base's list: each item is a whole object.
    return value.map((item, i) => translateValue(item, spec, type.of, `${path}[${i}]`, problems, true));
  }
  switch (spec.kind) {
    case 'scalar': {
      // Enum values (ENABLED, BASELINE_1_8) and strings stay exactly as written, once checked.
      const message = ociScalarProblem(value, type);
      if (message) problems.push({ path, message });
      return structuredClone(value);
    }
    case 'map':
      // Free-form keys (metadata, freeformTags, definedTags at both levels, ...) are data;
      // their values still have the map's value type (freeform tags are strings).
      if (!isPlainObject(value))
        problems.push({ path, message: 'expected an object (a map of keys to values)' });
      else
        for (const p of ociRestProblems(value, type))
          problems.push({ path: joinPath(path, p.path), message: p.message });
      return structuredClone(value);
    case 'model':
      if (!isPlainObject(value)) {
        problems.push({ path, message: `expected an object (${describe(spec.models ?? [])})` });
        return value;
      }
      return translateModel(value, spec.models ?? [], path, problems, whole);
  }
}

/** `a.b` + ['k', 0] → `a.b.k[0]` (the override's path format; map keys kept as written). */
function joinPath(base: string, rest: (string | number)[]): string {
  return rest.reduce<string>((p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : `${p}.${seg}`), base);
}

function describe(models: readonly string[]): string {
  return models.length === 1 ? models[0] : `one of ${models.join(', ')}`;
}

/** "did you mean" for one-letter slips and snake/camel mix-ups. */
function suggest(key: string, models: readonly string[]): string {
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const m of models)
    for (const [camel, spec] of Object.entries(OCI_MODELS[m]?.fields ?? {})) {
      const d = distance(norm(key), norm(camel));
      if (d <= 2 && (!best || d < best.d))
        best = { name: key.includes('_') || !/[A-Z]/.test(key) ? spec.snake : camel, d };
    }
  return best ? ` (did you mean "${best.name}"?)` : '';
}
