/**
 * What UpdateInstance accepts: exactly oci-core's UpdateInstanceDetails and the models under
 * it (generated into sdk-tables.generated.ts), with their scalar types, enum values and
 * subtype discriminators. The SDK sends any key it is given, so this is where a key that
 * belongs to LaunchInstanceDetails only (say `subnetId`) or a wrong type meets the 400 the
 * real service answers.
 */
import { UPDATE_INSTANCE_MODELS, type OciWireField, type OciWireModel } from './sdk-tables.generated.js';
import { ApiError } from './validate.js';

const invalid = (message: string) => new ApiError(400, 'InvalidParameter', message);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Picks the model a value is: the only candidate, or the subtype its discriminator names. */
function modelFor(path: string, candidates: readonly string[], v: Record<string, unknown>): OciWireModel {
  const models = candidates.map((n) => UPDATE_INSTANCE_MODELS[n]).filter(Boolean);
  const typed = models.filter((m) => m.discriminator);
  if (typed.length === 0) return models[0];
  const field = typed[0].discriminator!.field;
  const found = typed.find((m) => m.discriminator!.value === v[field]);
  if (!found) throw invalid(`${path}.${field} must be one of ${typed.map((m) => m.discriminator!.value).join(', ')}`);
  return found;
}

function checkValue(path: string, f: OciWireField, v: unknown): void {
  if (v === null || v === undefined) return;
  if (f.array) {
    if (!Array.isArray(v)) throw invalid(`${path} must be an array`);
    v.forEach((x, i) => checkValue(`${path}[${i}]`, { ...f, array: undefined }, x));
    return;
  }
  switch (f.type) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof v !== f.type) throw invalid(`${path} must be a ${f.type}`);
      return;
    case 'date':
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw invalid(`${path} must be an RFC 3339 date-time`);
      return;
    case 'enum':
      if (typeof v !== 'string' || !f.enum!.includes(v)) throw invalid(`${path} must be one of ${f.enum!.join(', ')}`);
      return;
    case 'map':
      if (!isObj(v)) throw invalid(`${path} must be an object`);
      return;
    case 'model':
      if (!isObj(v)) throw invalid(`${path} must be an object`);
      checkModel(path, modelFor(path, f.models!, v), v);
      return;
    case 'any':
      return;
  }
}

function checkModel(path: string, m: OciWireModel, v: Record<string, unknown>): void {
  for (const [k, x] of Object.entries(v)) {
    const f = m.fields[k];
    if (!f) throw invalid(`Unknown field ${path}.${k}${k.includes('_') ? ' (the REST API uses camelCase)' : ''}`);
    checkValue(`${path}.${k}`, f, x);
  }
  for (const r of m.required) if (v[r] === undefined || v[r] === null) throw new ApiError(400, 'MissingParameter', `Missing required parameter ${path}.${r}.`);
}

/** Throws ApiError 400 on a body the real UpdateInstance would refuse. */
export function validateUpdateInstance(body: unknown): asserts body is Record<string, unknown> {
  if (!isObj(body)) throw invalid('updateInstanceDetails must be an object');
  checkModel('updateInstanceDetails', UPDATE_INSTANCE_MODELS.UpdateInstanceDetails, body);
}
