#!/usr/bin/env node
/**
 * Generates src/clouds/oci/fields.generated.ts from oci-core's own model typings
 * (node_modules/oci-core/lib/model/*.d.ts), so the snake_case ↔ camelCase names of every
 * field reachable from LaunchInstanceDetails come from the SDK, not from a hand-kept list.
 *
 * Why not a plain regex at run time: OCI's camelCase names hold irregular acronyms
 * (memoryInGBs, bootVolumeVpusPerGB, isAIEnterpriseEnabled) whose Python-SDK snake_case
 * (memory_in_gbs, boot_volume_vpus_per_gb, is_ai_enterprise_enabled) a naive converter
 * gets wrong, and the validator needs the exact set of real field names per model.
 *
 * Each field also carries its value type as the model declares it (string, boolean, number,
 * date-time, enum with its values, nested model, list of X, map of X), so an override's
 * VALUES are checked too: oci-core's serializer forwards a wrong value untouched and the
 * service refuses it at launch. Documented numeric ranges are read from the field's own
 * doc comment (RANGES below says which, and generation fails if the text changes).
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
const OUT = join(root, 'src', 'clouds', 'oci', 'fields.generated.ts');
const ROOT_MODEL = 'LaunchInstanceDetails';
/** Also walked: the emulator checks UpdateInstance bodies with the same tables. */
const ROOTS = [ROOT_MODEL, 'UpdateInstanceDetails'];
const ociModels = require('oci-core').models;

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
/** name → { extends: string[], props: [{ name, type: ts.TypeNode, required, doc }] } */
const interfaces = new Map();
/** `Model.EnumName` → its string values */
const enums = new Map();
for (const file of readdirSync(modelDir)) {
  if (!file.endsWith('.d.ts')) continue;
  const src = ts.createSourceFile(
    file,
    readFileSync(join(modelDir, file), 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  for (const stmt of src.statements) {
    if (!ts.isInterfaceDeclaration(stmt)) continue;
    const ext = (stmt.heritageClauses ?? []).flatMap((h) =>
      h.types.map((t) => lastName(t.expression.getText(src))),
    );
    const props = stmt.members.filter(ts.isPropertySignature).map((m) => ({
      name: m.name.getText(src).replace(/^"|"$/g, ''),
      type: m.type,
      src,
      required: !m.questionToken,
      doc: (ts.getJSDocCommentsAndTags(m) ?? []).map((d) => d.getText(src)).join('\n'),
    }));
    interfaces.set(stmt.name.text, { extends: ext, props });
  }
  // `export declare namespace Foo { enum Bar { A = "A", ... } }` → enums['Foo.Bar'];
  // `export declare enum Baz { ... }` (a model-level enum) → enums['Baz']
  for (const stmt of src.statements) {
    if (ts.isEnumDeclaration(stmt)) enums.set(stmt.name.text, enumValues(stmt));
    if (!ts.isModuleDeclaration(stmt) || !stmt.body || !ts.isModuleBlock(stmt.body)) continue;
    for (const inner of stmt.body.statements) {
      if (!ts.isEnumDeclaration(inner)) continue;
      enums.set(`${stmt.name.text}.${inner.name.text}`, enumValues(inner));
    }
  }
}
function enumValues(decl) {
  const values = decl.members
    .map((m) => (m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : undefined))
    .filter((v) => v !== undefined);
  // UNKNOWN_VALUE is the SDK's stand-in for a value newer than itself in ANSWERS; never a request value.
  return values.filter((v) => v !== 'UNKNOWN_VALUE');
}
function lastName(text) {
  return text.split('.').pop();
}
/** base → direct subtypes */
const subtypes = new Map();
for (const [name, i] of interfaces)
  for (const b of i.extends) subtypes.set(b, [...(subtypes.get(b) ?? []), name]);
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
    if (text === 'Array' && type.typeArguments?.length === 1)
      return { ...classify(type.typeArguments[0], src), array: true };
    const parts = text.split('.');
    // `model.Foo` is a model; `Foo.SomeEnum` / `model.Foo.SomeEnum` is an enum (a scalar).
    if (parts.length === 2 && parts[0] === 'model' && interfaces.has(parts[1]))
      return { kind: 'model', models: withSubtypes(parts[1]) };
    if (parts.length === 1 && interfaces.has(parts[0]))
      return { kind: 'model', models: withSubtypes(parts[0]) };
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

/**
 * The value type of a property, as JSON carries it:
 * {t:'string'|'boolean'|'number'|'datetime'|'any'} | {t:'enum', values} | {t:'model', models}
 * | {t:'list', of} | {t:'map', of}.
 */
function valueType(type, src) {
  if (!type) return { t: 'any' };
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { t: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { t: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { t: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return { t: 'any' };
  }
  if (ts.isArrayTypeNode(type)) return { t: 'list', of: valueType(type.elementType, src) };
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (index) return { t: 'map', of: valueType(index.type, src) };
    return { t: 'any' };
  }
  if (ts.isTypeReferenceNode(type)) {
    const text = type.typeName.getText(src);
    if (text === 'Array' && type.typeArguments?.length === 1)
      return { t: 'list', of: valueType(type.typeArguments[0], src) };
    if (text === 'Date') return { t: 'datetime' };
    const parts = text.split('.');
    const name = parts[0] === 'model' ? parts.slice(1) : parts;
    if (name.length === 1 && interfaces.has(name[0])) return { t: 'model', models: withSubtypes(name[0]) };
    if (enums.has(name.join('.'))) return { t: 'enum', values: enums.get(name.join('.')) };
    throw new Error(`oci-core type ${text} is neither a model nor an enum`);
  }
  if (ts.isUnionTypeNode(type)) {
    const members = type.types.map((t) => valueType(t, src));
    if (members.every((m) => m.t === 'model'))
      return { t: 'model', models: [...new Set(members.flatMap((m) => m.models))] };
    if (members.every((m) => m.t === 'enum'))
      return { t: 'enum', values: [...new Set(members.flatMap((m) => m.values))] };
    throw new Error(`oci-core union ${type.getText(src)} mixes kinds`);
  }
  throw new Error(`oci-core type ${type.getText(src)} is not understood: teach valueType`);
}

/**
 * Numeric ranges the API documents in the field's own doc comment. Each entry names the
 * text it reads its bounds from; if oci-core's wording changes, generation stops so the
 * range is looked at again instead of silently dropped.
 * step: Block Volume performance levels are set in multiples of 10 VPUs/GB (Block Volume
 * Performance Levels page linked from the same comment).
 */
const RANGES = [
  {
    field: 'bootVolumeSizeInGBs',
    models: ['InstanceSourceViaImageDetails'],
    read: /Minimum value is ([\d,]+) GB and maximum value is ([\d,]+) GB/,
  },
  {
    field: 'bootVolumeVpusPerGB',
    models: ['InstanceSourceViaImageDetails'],
    read: /\{@code (\d+)\}: Represents Balanced[\s\S]*\{@code \d+\}-\{@code (\d+)\}/,
    step: 10,
  },
  {
    field: 'vpusPerGB',
    models: ['LaunchCreateVolumeFromAttributes'],
    read: /\{@code (\d+)\}: Represents Lower Cost[\s\S]*\{@code \d+\}-\{@code (\d+)\}/,
    step: 10,
  },
];
function rangeFor(model, prop) {
  const r = RANGES.find((x) => x.field === prop.name && x.models.includes(model));
  if (!r) return undefined;
  const m = r.read.exec(prop.doc.replace(/\s*\*?\s*<p>\s*/g, ' ').replace(/\n\s*\*?\s*/g, ' '));
  if (!m)
    throw new Error(
      `${model}.${prop.name}: its doc comment no longer says ${r.read}; look at the range again`,
    );
  const num = (s) => Number(s.replace(/,/g, ''));
  return { min: num(m[1]), max: num(m[2]), ...(r.step ? { step: r.step } : {}) };
}
const usedRanges = new Set();

// ---- walk from LaunchInstanceDetails -------------------------------------------------
const models = {};
const queue = [...ROOTS];
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
    if (p.required) field.required = true;
    field.type = valueType(p.type, p.src);
    const range = rangeFor(name, p);
    if (range) {
      if (field.type.t !== 'number') throw new Error(`${name}.${p.name}: a range on a ${field.type.t}`);
      Object.assign(field.type, range);
      usedRanges.add(`${name}.${p.name}`);
    }
    fields[p.name] = field;
  }
  const spec = { subtypes: subtypes.get(name) ?? [], fields };
  // A subtype's discriminator value (sourceType "image", type "AMD_VM") lives only in the
  // SDK's runtime class; REST picks the subtype by it.
  const base = interfaces.get(name).extends[0];
  if (base && interfaces.has(base)) {
    const rt = ociModels[name] ?? {};
    const disc = Object.entries(rt).find(
      ([k, v]) => typeof v === 'string' && allProps(base).some((p) => p.name === k),
    );
    if (disc) spec.discriminator = { field: disc[0], value: disc[1] };
  }
  models[name] = spec;
}
for (const r of RANGES)
  for (const m of r.models)
    if (!usedRanges.has(`${m}.${r.field}`))
      throw new Error(`range for ${m}.${r.field} was not applied: is the field still there?`);

// Sanity: snake names must be unique inside a model and map back to one camel name.
for (const [name, m] of Object.entries(models)) {
  const seen = new Map();
  for (const [camel, f] of Object.entries(m.fields)) {
    if (seen.has(f.snake) && seen.get(f.snake) !== camel)
      throw new Error(`${name}: ${camel} and ${seen.get(f.snake)} both map to ${f.snake}`);
    seen.set(f.snake, camel);
  }
}

const sortedModels = Object.fromEntries(Object.entries(models).sort(([a], [b]) => a.localeCompare(b)));
const irregular = new Set();
for (const m of Object.values(models))
  for (const [camel, f] of Object.entries(m.fields)) {
    const naive = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (naive !== f.snake) irregular.add(`${f.snake} → ${camel}`);
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

/**
 * A value's type as the model declares it and JSON carries it. \`number\` covers both
 * integers and decimals (oci-core types both as number); \`datetime\` is an RFC 3339 string;
 * \`min\`/\`max\`/\`step\` are ranges the field's documentation states.
 */
export type OciValueType =
  | { readonly t: 'string' | 'boolean' | 'datetime' | 'any' }
  | { readonly t: 'number'; readonly min?: number; readonly max?: number; readonly step?: number }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'model'; readonly models: readonly string[] }
  | { readonly t: 'list' | 'map'; readonly of: OciValueType };

export interface OciFieldSpec {
  /** The Python SDK's snake_case name (what Kasm's override examples use). */
  readonly snake: string;
  readonly kind: OciFieldKind;
  /** The value is a list of \`kind\`. */
  readonly array?: true;
  /** For \`model\`: the candidate model names (a base model and its subtypes). */
  readonly models?: readonly string[];
  /** The model declares the field without \`?\`. */
  readonly required?: true;
  readonly type: OciValueType;
}

export interface OciModelSpec {
  readonly subtypes: readonly string[];
  /** For a subtype: the base model's field and the value that selects this subtype. */
  readonly discriminator?: { readonly field: string; readonly value: string };
  /** camelCase (REST) field name → spec. */
  readonly fields: Readonly<Record<string, OciFieldSpec>>;
}

export const OCI_CORE_VERSION = ${JSON.stringify(ociVersion)};
export const OCI_ROOT_MODEL = ${JSON.stringify(ROOT_MODEL)};
export const OCI_UPDATE_MODEL = "UpdateInstanceDetails";

/**
 * Names whose snake_case is not the naive inverse of camelCase (${irregular.size}):
 * ${[...irregular].join(', ')}
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
  process.stdout.write(
    `wrote ${OUT}: ${Object.keys(models).length} models, ${irregular.size} irregular names\n`,
  );
}
