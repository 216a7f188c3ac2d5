import { z } from 'zod';
import { jsonSchemaAs, jsonStringFields } from '../core/fields/common.js';
import { fileInputSchema } from './schema/file.js';

/** Where the committed copy lives (examples point at it with a relative path). */
export const SCHEMA_FILE = 'examples/kasm-scale.schema.json';

/** A whole-string `${ENV}` reference, which the loader expands before validating. */
export const ENV_REF_PATTERN = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$';

type Json = Record<string, unknown>;

/**
 * JSON Schema (draft 2020-12) of the file as a person writes it, generated from the same
 * zod schemas the validator uses. Kasm's JSON fields also accept a string holding JSON,
 * and numbers/booleans also accept a `${ENV}` reference (the validator sees the expanded
 * value; an editor sees only the reference). Rules a JSON Schema cannot say (key ↔
 * fingerprint, zone in region, references) are only in `config validate`.
 */
export function configJsonSchema(): Json {
  const schema = allowEnvRefs(toJson(fileInputSchema)) as Json;
  return { $schema: schema.$schema, title: 'kasm-scale config file', ...schema };
}

function toJson(s: z.ZodType): Json {
  return z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const js = ctx.jsonSchema as Json;
      const as = marked(ctx.zodSchema, (x) => jsonSchemaAs.get(x));
      if (as) {
        const { $schema: _s, ...replacement } = toJson(as);
        replace(js, replacement);
        return;
      }
      if (!marked(ctx.zodSchema, (x) => (jsonStringFields.has(x) ? true : undefined))) return;
      const native = { ...js };
      delete native.description;
      replace(js, {
        ...(js.description ? { description: js.description } : {}),
        anyOf: [
          native,
          { type: 'string', description: 'the same value as a string holding JSON ("" = empty)' },
        ],
      });
    },
  }) as Json;
}

/**
 * The mark of `s` or of the schema it was cloned from: `.describe()`/`.meta()` return a
 * clone (linked by `_zod.parent`), which the WeakSet/WeakMap do not know by identity.
 */
function marked<T>(s: z.core.$ZodType, get: (x: object) => T | undefined): T | undefined {
  for (let x: z.core.$ZodType | undefined = s; x; x = x._zod.parent) {
    const v = get(x);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Annotations an editor reads from the property itself; they stay outside the anyOf. */
const ANNOTATIONS = ['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly'];

/**
 * Wherever the schema says integer/number/boolean, also allow `${ENV}`: the loader expands
 * it before validation, so `max_instances: ${MAX}` is valid, and the editor should agree.
 * The same holds for strings with a pattern or a list of values (`oci_fingerprint:
 * ${OCI_FINGERPRINT}`); a `const` (the vm_provider_name discriminator) stays as it is.
 */
function allowEnvRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowEnvRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = allowEnvRefs(v);
  const typed = ['integer', 'number', 'boolean'].includes(out.type as string);
  const ruledString = out.type === 'string' && (out.pattern !== undefined || out.enum !== undefined);
  if (!typed && !ruledString) return out;
  const outer: Json = {};
  const native: Json = {};
  for (const [k, v] of Object.entries(out)) (ANNOTATIONS.includes(k) ? outer : native)[k] = v;
  return {
    ...outer,
    anyOf: [native, { type: 'string', pattern: ENV_REF_PATTERN, description: 'an ${ENV} reference' }],
  };
}

function replace(target: Json, value: Json): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, value);
}
