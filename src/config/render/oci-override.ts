import { OCI_MODELS, OCI_ROOT_MODEL, type OciFieldSpec } from './oci-fields.generated.js';
import { distance } from '../schema/common.js';
import { isPlainObject } from './merge.js';

/**
 * Kasm's "OCI Config Override" is written for the Python SDK:
 *   {"launch_instance_details": {"instance_options": {"OCI_MODEL_NAME": "InstanceOptions",
 *     "are_legacy_imds_endpoints_disabled": true}}}
 * The REST API (and oci-core, whose serializer renames nothing) wants camelCase:
 *   {"instanceOptions": {"areLegacyImdsEndpointsDisabled": true}}
 * This module translates one into the other, field by field, with the names oci-core's
 * own model typings define (oci-fields.generated.ts), so an unknown or misspelt key is
 * reported instead of reaching the wire as snake_case (which the service ignores/rejects).
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
export function lookupOciField(key: string, models: readonly string[] = [OCI_ROOT_MODEL]): OciFieldMatch | undefined {
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
export function translateOciOverride(override: Record<string, unknown> | undefined): { details: Record<string, unknown>; problems: OciOverrideProblem[] } {
  const problems: OciOverrideProblem[] = [];
  const details: Record<string, unknown> = {};
  if (override === undefined) return { details, problems };
  for (const [key, value] of Object.entries(override)) {
    if (key === OCI_MODEL_NAME_KEY) continue;
    if (!ROOT_KEYS.includes(key)) {
      problems.push({ path: key, message: `unknown key "${key}": the override's top level holds "launch_instance_details"` });
      continue;
    }
    if (!isPlainObject(value)) {
      problems.push({ path: key, message: `"${key}" must be an object of LaunchInstanceDetails fields` });
      continue;
    }
    Object.assign(details, translateModel(value, [OCI_ROOT_MODEL], key, problems));
  }
  return { details, problems };
}

function translateModel(obj: Record<string, unknown>, candidates: readonly string[], path: string, problems: OciOverrideProblem[]): Record<string, unknown> {
  let models = candidates;
  const hint = obj[OCI_MODEL_NAME_KEY];
  if (hint !== undefined) {
    if (typeof hint === 'string' && candidates.includes(hint)) models = [hint];
    else problems.push({ path: `${path}.${OCI_MODEL_NAME_KEY}`, message: `OCI_MODEL_NAME ${JSON.stringify(hint)} is not ${describe(candidates)}` });
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === OCI_MODEL_NAME_KEY) continue;
    const here = `${path}.${key}`;
    const match = lookupOciField(key, models);
    if (!match) {
      problems.push({ path: here, message: `"${key}" is not a field of ${describe(models)}${suggest(key, models)}` });
      continue;
    }
    out[match.camel] = translateValue(value, match.spec, here, problems);
  }
  return out;
}

function translateValue(value: unknown, spec: OciFieldSpec, path: string, problems: OciOverrideProblem[]): unknown {
  if (value === null) return null;
  if (spec.array) {
    if (!Array.isArray(value)) {
      problems.push({ path, message: 'expected a list' });
      return value;
    }
    const one = { ...spec, array: undefined };
    return value.map((item, i) => translateValue(item, one, `${path}[${i}]`, problems));
  }
  switch (spec.kind) {
    case 'scalar':
      // Enum values (ENABLED, BASELINE_1_8) and strings stay exactly as written.
      return structuredClone(value);
    case 'map':
      // Free-form keys (metadata, freeformTags, definedTags at both levels, ...) are data.
      if (!isPlainObject(value)) problems.push({ path, message: 'expected an object (a map of keys to values)' });
      return structuredClone(value);
    case 'model':
      if (!isPlainObject(value)) {
        problems.push({ path, message: `expected an object (${describe(spec.models ?? [])})` });
        return value;
      }
      return translateModel(value, spec.models ?? [], path, problems);
  }
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
      if (d <= 2 && (!best || d < best.d)) best = { name: key.includes('_') || !/[A-Z]/.test(key) ? spec.snake : camel, d };
    }
  return best ? ` (did you mean "${best.name}"?)` : '';
}
