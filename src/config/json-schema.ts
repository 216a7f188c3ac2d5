import { z } from 'zod';
import { jsonSchemaAs, jsonStringFields } from './schema/common.js';
import { fileInputSchema } from './schema/file.js';

/** Where the committed copy lives (examples point at it with a relative path). */
export const SCHEMA_FILE = 'examples/kasm-scale.schema.json';

type Json = Record<string, unknown>;

/**
 * JSON Schema (draft 2020-12) of the file as a person writes it, generated from the same
 * zod schemas the validator uses. Kasm's JSON fields also accept a string holding JSON.
 * Rules a JSON Schema cannot say (key ↔ fingerprint, zone in region, references) are
 * only in `config validate`.
 */
export function configJsonSchema(): Json {
  const schema = toJson(fileInputSchema);
  return { $schema: schema.$schema, title: 'kasm-scale config file', ...schema };
}

function toJson(s: z.ZodType): Json {
  return z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const js = ctx.jsonSchema as Json;
      const as = jsonSchemaAs.get(ctx.zodSchema);
      if (as) {
        const { $schema: _s, ...replacement } = toJson(as);
        replace(js, replacement);
        return;
      }
      if (!jsonStringFields.has(ctx.zodSchema)) return;
      const native = { ...js };
      delete native.description;
      replace(js, {
        ...(js.description ? { description: js.description } : {}),
        anyOf: [native, { type: 'string', description: 'the same value as a string holding JSON ("" = empty)' }],
      });
    },
  }) as Json;
}

function replace(target: Json, value: Json): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, value);
}
