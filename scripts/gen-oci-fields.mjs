#!/usr/bin/env node
/**
 * Generates src/config/render/oci-fields.generated.ts from oci-core's own model typings
 * (node_modules/oci-core/lib/model/*.d.ts), so the snake_case ↔ camelCase names of every
 * field reachable from LaunchInstanceDetails come from the SDK, not from a hand-kept list.
 *
 * Why not a plain regex at run time: OCI's camelCase names hold irregular acronyms
 * (memoryInGBs, bootVolumeVpusPerGB, isAIEnterpriseEnabled) whose Python-SDK snake_case
 * (memory_in_gbs, boot_volume_vpus_per_gb, is_ai_enterprise_enabled) a naive converter
 * gets wrong, and the validator needs the exact set of real field names per model.
 *
 * Run after upgrading oci-core:  node scripts/gen-oci-fields.mjs
 * Check (CI):                    node scripts/gen-oci-fields.mjs --check
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const modelDir = join(dirname(require.resolve('oci-core/package.json')), 'lib', 'model');
const ociVersion = JSON.parse(readFileSync(join(modelDir, '..', '..', 'package.json'), 'utf8')).version;
const OUT = join(root, 'src', 'config', 'render', 'oci-fields.generated.ts');
const ROOT_MODEL = 'LaunchInstanceDetails';

/**
 * The Python SDK's snake_case for an OCI camelCase name: split at lower/digit→Upper, and
 * inside an upper-case run before a capitalised word (AIEnterprise → AI_Enterprise), but
 * keep a plural acronym (GBs, MBs, IDs) together, then lowercase.
 */
export function toSnake(name) {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, (m, run, next, offset, s) => {
      // `GBs` / `GBsX`: a trailing plural `s` after an acronym is not a new word.
      const after = s[offset + m.length];
      if (next[1] === 's' && (after === undefined || /[A-Z0-9]/.test(after))) return m;
      return `${run}_${next}`;
    })
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

// ---- read every model interface ----------------------------------------------------
/** name → { extends: string[], props: [{ name, type: ts.TypeNode }] } */
const interfaces = new Map();
for (const file of readdirSync(modelDir)) {
  if (!file.endsWith('.d.ts')) continue;
  const src = ts.createSourceFile(file, readFileSync(join(modelDir, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  for (const stmt of src.statements) {
    if (!ts.isInterfaceDeclaration(stmt)) continue;
    const ext = (stmt.heritageClauses ?? []).flatMap((h) => h.types.map((t) => lastName(t.expression.getText(src))));
    const props = stmt.members.filter(ts.isPropertySignature).map((m) => ({ name: m.name.getText(src).replace(/^"|"$/g, ''), type: m.type, src }));
    interfaces.set(stmt.name.text, { extends: ext, props });
  }
}
function lastName(text) {
  return text.split('.').pop();
}
/** base → direct subtypes */
const subtypes = new Map();
for (const [name, i] of interfaces) for (const b of i.extends) subtypes.set(b, [...(subtypes.get(b) ?? []), name]);
/** A model and every model that extends it (REST picks the subtype by a discriminator). */
function withSubtypes(name) {
  const out = [name];
  for (const s of subtypes.get(name) ?? []) out.push(...withSubtypes(s));
  return out;
}
/** Own props plus inherited ones. */
function allProps(name) {
  const i = interfaces.get(name);
  if (!i) throw new Error(`oci-core model ${name} not found`);
  return [...i.extends.flatMap((b) => (interfaces.has(b) ? allProps(b) : [])), ...i.props];
}

/** Classifies a property type: a map (index signature), a model reference, or a scalar. */
function classify(type, src) {
  if (!type) return { kind: 'scalar' };
  if (ts.isTypeLiteralNode(type) && type.members.some(ts.isIndexSignatureDeclaration)) return { kind: 'map' };
  if (ts.isArrayTypeNode(type)) return { ...classify(type.elementType, src), array: true };
  if (ts.isTypeReferenceNode(type)) {
    const text = type.typeName.getText(src);
    if (text === 'Array' && type.typeArguments?.length === 1) return { ...classify(type.typeArguments[0], src), array: true };
    const parts = text.split('.');
    // `model.Foo` is a model; `Foo.SomeEnum` / `model.Foo.SomeEnum` is an enum (a scalar).
    if (parts.length === 2 && parts[0] === 'model' && interfaces.has(parts[1])) return { kind: 'model', models: withSubtypes(parts[1]) };
    if (parts.length === 1 && interfaces.has(parts[0])) return { kind: 'model', models: withSubtypes(parts[0]) };
    return { kind: 'scalar' };
  }
  if (ts.isUnionTypeNode(type)) {
    const members = type.types.map((t) => classify(t, src));
    const models = members.filter((m) => m.kind === 'model').flatMap((m) => m.models);
    if (models.length) return { kind: 'model', models: [...new Set(models)] };
    if (members.some((m) => m.kind === 'map')) return { kind: 'map' };
    return { kind: 'scalar' };
  }
  return { kind: 'scalar' };
}

// ---- walk from LaunchInstanceDetails -------------------------------------------------
const models = {};
const queue = [ROOT_MODEL];
while (queue.length) {
  const name = queue.shift();
  if (models[name]) continue;
  const fields = {};
  for (const p of allProps(name)) {
    const c = classify(p.type, p.src);
    const field = { snake: toSnake(p.name), kind: c.kind };
    if (c.array) field.array = true;
    if (c.kind === 'model') {
      field.models = c.models;
      queue.push(...c.models);
    }
    fields[p.name] = field;
  }
  models[name] = { subtypes: subtypes.get(name) ?? [], fields };
}

// Sanity: snake names must be unique inside a model and map back to one camel name.
for (const [name, m] of Object.entries(models)) {
  const seen = new Map();
  for (const [camel, f] of Object.entries(m.fields)) {
    if (seen.has(f.snake) && seen.get(f.snake) !== camel) throw new Error(`${name}: ${camel} and ${seen.get(f.snake)} both map to ${f.snake}`);
    seen.set(f.snake, camel);
  }
}

const sortedModels = Object.fromEntries(Object.entries(models).sort(([a], [b]) => a.localeCompare(b)));
const irregular = [];
for (const m of Object.values(models))
  for (const [camel, f] of Object.entries(m.fields)) {
    const naive = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (naive !== f.snake) irregular.push(`${f.snake} → ${camel}`);
  }

const body = `// GENERATED by scripts/gen-oci-fields.mjs from oci-core ${ociVersion} model typings. Do not edit.
// Regenerate after upgrading oci-core: node scripts/gen-oci-fields.mjs

/**
 * How a field's value is translated: \`scalar\` (strings, numbers, booleans, enums: values
 * untouched), \`map\` (free-form keys such as metadata, freeformTags, definedTags: keys
 * kept exactly as written), \`model\` (a nested model: its keys are translated with
 * \`models\`, the model and all its subtypes).
 */
export type OciFieldKind = 'scalar' | 'map' | 'model';

export interface OciFieldSpec {
  /** The Python SDK's snake_case name (what Kasm's override examples use). */
  readonly snake: string;
  readonly kind: OciFieldKind;
  /** The value is a list of \`kind\`. */
  readonly array?: true;
  /** For \`model\`: the candidate model names (a base model and its subtypes). */
  readonly models?: readonly string[];
}

export interface OciModelSpec {
  readonly subtypes: readonly string[];
  /** camelCase (REST) field name → spec. */
  readonly fields: Readonly<Record<string, OciFieldSpec>>;
}

export const OCI_CORE_VERSION = ${JSON.stringify(ociVersion)};
export const OCI_ROOT_MODEL = ${JSON.stringify(ROOT_MODEL)};

/**
 * Names whose snake_case is not the naive inverse of camelCase (${irregular.length}):
 * ${irregular.join(', ')}
 */
export const OCI_MODELS: Readonly<Record<string, OciModelSpec>> = ${JSON.stringify(sortedModels, null, 2)};
`;

if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== body) {
    process.stderr.write(`${OUT} is out of date: run node scripts/gen-oci-fields.mjs\n`);
    process.exit(1);
  }
  process.stdout.write('oci-fields.generated.ts is up to date\n');
} else {
  writeFileSync(OUT, body);
  process.stdout.write(`wrote ${OUT}: ${Object.keys(models).length} models, ${irregular.length} irregular names\n`);
}
