import { OCI_MODELS, OCI_ROOT_MODEL, type OciValueType } from '../../src/clouds/oci/fields.generated.js';

/**
 * Bodies that put a spread of JSON values in EVERY field of every model reachable from
 * LaunchInstanceDetails, for comparing our check with oci-core's compiled model on the
 * whole generated table. Each body holds the fields its models require (so only the value
 * under test decides) and the discriminator that picks a subtype.
 */
const POOL: unknown[] = [true, 'yes', 7, 'x', { a: 'b' }, ['x']];

/** A right value of a type, to fill required fields. */
function right(t: OciValueType): unknown {
  switch (t.t) {
    case 'string':
      return 'x';
    case 'boolean':
      return true;
    case 'number':
      return t.min ?? 1;
    case 'datetime':
      return '2026-01-01T00:00:00Z';
    case 'enum':
      return t.values[0];
    case 'list':
      return [];
    case 'map':
      return {};
    case 'model':
      return filled(t.models[t.models.length - 1]);
    default:
      return 'x';
  }
}

/** The discriminator a model's objects carry (a base: that of its first subtype). */
function discriminatorOf(model: string): { field: string; value: string } | undefined {
  const spec = OCI_MODELS[model];
  return spec.discriminator ?? (spec.subtypes[0] ? discriminatorOf(spec.subtypes[0]) : undefined);
}

/** A model's required fields and its discriminator, all with right values. */
function filled(model: string, except?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(OCI_MODELS[model].fields))
    if (f.required && k !== except) out[k] = right(f.type);
  const disc = discriminatorOf(model);
  if (disc) out[disc.field] = disc.value;
  return out;
}

/** How to reach each concrete model from the root: [field, model, isList][] steps. */
function routes(): Map<string, [string, string, boolean][]> {
  const found = new Map<string, [string, string, boolean][]>([[OCI_ROOT_MODEL, []]]);
  const queue = [OCI_ROOT_MODEL];
  while (queue.length) {
    const m = queue.shift()!;
    for (const [k, f] of Object.entries(OCI_MODELS[m].fields)) {
      const list = f.type.t === 'list';
      const t = list ? (f.type as { of: OciValueType }).of : f.type;
      if (t.t !== 'model') continue;
      // Where oci-core's typings declare the base model (launchVolumeAttachments), its
      // serializer picks the subtype by the discriminator at run time, but the compiler
      // only knows the base's fields: follow the base. A declared union: every member.
      const declaredBase = OCI_MODELS[t.models[0]].subtypes.length > 0;
      for (const sub of declaredBase ? [t.models[0]] : t.models) {
        if (found.has(sub)) continue;
        found.set(sub, [...found.get(m)!, [k, sub, list]]);
        queue.push(sub);
      }
    }
  }
  return found;
}

function body(route: [string, string, boolean][], field: string, value: unknown): Record<string, unknown> {
  const root = filled(OCI_ROOT_MODEL, route.length ? undefined : field);
  let here = root;
  for (const [i, [k, model, list]] of route.entries()) {
    const last = i === route.length - 1;
    const obj = filled(model, last ? field : undefined);
    here[k] = list ? [obj] : obj;
    here = obj;
  }
  here[field] = value;
  return root;
}

export function ociFieldCases(): { what: string; body: Record<string, unknown> }[] {
  const cases: { what: string; body: Record<string, unknown> }[] = [];
  for (const [model, route] of routes()) {
    for (const [field, f] of Object.entries(OCI_MODELS[model].fields)) {
      const t = f.type.t === 'list' ? (f.type as { of: OciValueType }).of : f.type;
      // Ranges are documentation and date-time formats are not in the types; `any` is open.
      if (
        t.t === 'any' ||
        t.t === 'datetime' ||
        (t.t === 'number' && (t.min !== undefined || t.max !== undefined))
      )
        continue;
      if (field === discriminatorOf(model)?.field) continue;
      const values = t.t === 'enum' ? [...POOL, ...t.values, t.values[0].toLowerCase()] : POOL;
      for (const v of values) {
        // The compiler lets an array stand for an index-signature object (definedTags'
        // inner maps); the service does not, and neither do we.
        if (f.type.t === 'map' && f.type.of.t === 'map' && Array.isArray(v)) continue;
        const value = f.type.t === 'list' && !Array.isArray(v) ? [v] : f.type.t === 'map' ? { k: v } : v;
        cases.push({ what: `${model}.${field} = ${JSON.stringify(value)}`, body: body(route, field, value) });
      }
    }
  }
  return cases;
}
