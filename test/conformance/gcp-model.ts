import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { protobuf, serializer } from 'google-gax';
import { isDeepStrictEqual } from 'node:util';

/**
 * @google-cloud/compute's own verdict on an Instance body, from its protos and nothing of
 * ours: the two steps google-gax's REST transport takes (Type.fromObject, then
 * toProto3JSON) either throw, or change the value at `at` on its way to the wire (unknown
 * names are dropped, "false" becomes true, "two" becomes 0), or keep it. A kept string in
 * a field whose message nests an enum of the field's name (Scheduling.onHostMaintenance →
 * Scheduling.OnHostMaintenance, the protos' convention) must be one of that enum's values.
 */
const require = createRequire(import.meta.url);
const protosPath = require.resolve('@google-cloud/compute/build/protos/protos.json');
const root = protobuf.Root.fromJSON(require(protosPath));
const Instance = root.lookupType('google.cloud.compute.v1.Instance');

export function gcpModelVerdict(body: Record<string, unknown>, at: (string | number)[]): string | undefined {
  let wire: unknown;
  try {
    wire = serializer.toProto3JSON(Instance.fromObject(body));
  } catch (err) {
    return `fromObject refuses it: ${(err as Error).message}`;
  }
  const sent = valueAt(body, at);
  const onWire = valueAt(wire, at);
  // An int64 written as a number travels as its decimal string: the same value.
  const wide = ['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].includes(protoFieldAt(at)?.type ?? '');
  const same =
    isDeepStrictEqual(sent, onWire) || (wide && typeof sent === 'number' && onWire === String(sent));
  if (!same) return `the library sends ${JSON.stringify(onWire)} for ${JSON.stringify(sent)}`;
  return enumProblem(body, Instance);
}

function enumProblem(value: unknown, type: protobuf.Type): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[k];
    if (!field) continue;
    field.resolve();
    const items = field.repeated && Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (field.resolvedType instanceof protobuf.Type) {
        const p = enumProblem(item, field.resolvedType);
        if (p) return p;
      } else if (field.type === 'string' && typeof item === 'string') {
        const e = type.nested?.[k[0].toUpperCase() + k.slice(1)];
        if (e instanceof protobuf.Enum && !Object.hasOwn(e.values, item))
          return `${type.name}.${k}: "${item}" is not a value of ${e.name}`;
      }
    }
  }
  return undefined;
}

/** The values of the enum the library's protos nest under a message for a field (by convention). */
export function sdkEnumValues(message: string, field: string): string[] {
  const type = root.lookupType(`google.cloud.compute.v1.${message}`);
  const e = type.nested?.[field[0].toUpperCase() + field.slice(1)];
  return e instanceof protobuf.Enum ? Object.keys(e.values) : [];
}

/** The proto field a JSON path ends at, by the library's own reflection. */
function protoFieldAt(at: (string | number)[]): protobuf.Field | undefined {
  let type: protobuf.Type | undefined = Instance;
  let field: protobuf.Field | undefined;
  for (const seg of at) {
    if (typeof seg === 'number') continue;
    field = type?.fields[seg];
    if (!field) return undefined;
    field.resolve();
    type = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
  }
  return field;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, seg) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined),
    root,
  );
}

/** compute.proto, the protos' source with its comments (where documented ranges are stated). */
export function computeProtoText(): string {
  return readFileSync(join(dirname(protosPath), 'google/cloud/compute/v1/compute.proto'), 'utf8');
}
