#!/usr/bin/env node
/**
 * Generates src/emulators/oci/sdk-tables.generated.ts: what the OCI emulator must know about
 * the real API and would otherwise be typed by hand (and drift):
 * - UpdateInstanceDetails and every model reachable from it (field names, scalar types,
 *   enum values, subtypes with their discriminator values), from oci-core's model typings;
 * - ListInstances' sortBy / sortOrder enums, from oci-core's request typings;
 * - the regions whose Instance.region and OCIDs carry the short region key (us-ashburn-1 →
 *   iad, ocid1.instance.oc1.iad.…): which ones from the Instance model's documentation, the
 *   keys from oci-common's Region data.
 *
 * Run after upgrading oci-core/oci-common:  node scripts/gen-oci-emulator-tables.mjs
 * Check (CI):                                node scripts/gen-oci-emulator-tables.mjs --check
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const coreDir = dirname(require.resolve('oci-core/package.json'));
const modelDir = join(coreDir, 'lib', 'model');
const coreVersion = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')).version;
const common = require('oci-common');
const OUT = join(root, 'src', 'emulators', 'oci', 'sdk-tables.generated.ts');

// ---- models: interfaces, their enums and discriminator constants ------------------------
const interfaces = new Map(); // name → { extends, props: [{name, optional, type, src}], enums: {Enum: [values]}, discriminator?: {field, value} }
function readDecls(file) {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out = [];
  const enumsOf = new Map();
  const constsOf = new Map();
  for (const stmt of src.statements) {
    if (ts.isInterfaceDeclaration(stmt)) {
      const ext = (stmt.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(src).split('.').pop()));
      const props = stmt.members.filter(ts.isPropertySignature).map((m) => ({ name: m.name.getText(src).replace(/^"|"$/g, ''), optional: Boolean(m.questionToken), type: m.type, src }));
      out.push({ name: stmt.name.text, extends: ext, props });
    }
    if (ts.isModuleDeclaration(stmt) && stmt.body && ts.isModuleBlock(stmt.body)) {
      const enums = {};
      const consts = {};
      for (const s of stmt.body.statements) {
        if (ts.isEnumDeclaration(s)) enums[s.name.text] = s.members.map((m) => m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : m.name.getText(src));
        if (ts.isVariableStatement(s))
          for (const d of s.declarationList.declarations) if (d.initializer && ts.isStringLiteral(d.initializer)) consts[d.name.getText(src)] = d.initializer.text;
      }
      enumsOf.set(stmt.name.text, enums);
      constsOf.set(stmt.name.text, consts);
    }
  }
  return out.map((i) => ({ ...i, enums: enumsOf.get(i.name) ?? {}, consts: constsOf.get(i.name) ?? {} }));
}
for (const file of readdirSync(modelDir)) if (file.endsWith('.d.ts')) for (const i of readDecls(join(modelDir, file))) interfaces.set(i.name, i);

const subtypes = new Map();
for (const [name, i] of interfaces) for (const b of i.extends) subtypes.set(b, [...(subtypes.get(b) ?? []), name]);
const withSubtypes = (name) => [name, ...(subtypes.get(name) ?? []).flatMap(withSubtypes)];
function allProps(name) {
  const i = interfaces.get(name);
  const own = new Map(i.props.map((p) => [p.name, p]));
  const inherited = i.extends.flatMap((b) => (interfaces.has(b) ? allProps(b) : [])).filter((p) => !own.has(p.name));
  return [...inherited, ...i.props];
}

/** A property type → { type, enum?, models?, array? } */
function classify(type, src, owner) {
  if (!type) return { type: 'any' };
  if (ts.isTypeLiteralNode(type) && type.members.some(ts.isIndexSignatureDeclaration)) return { type: 'map' };
  if (ts.isArrayTypeNode(type)) return { ...classify(type.elementType, src, owner), array: true };
  if (type.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
  if (type.kind === ts.SyntaxKind.NumberKeyword) return { type: 'number' };
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
  if (ts.isTypeReferenceNode(type)) {
    const text = type.typeName.getText(src);
    if (text === 'Array' && type.typeArguments?.length === 1) return { ...classify(type.typeArguments[0], src, owner), array: true };
    if (text === 'Date') return { type: 'date' };
    const parts = text.split('.');
    const modelName = parts[0] === 'model' ? parts[1] : parts[0];
    if (parts.length <= 2 && interfaces.has(modelName) && !(parts.length === 2 && parts[0] !== 'model')) return { type: 'model', models: withSubtypes(modelName) };
    // Foo.SomeEnum or model.Foo.SomeEnum
    const [ns, en] = parts.slice(-2);
    const values = interfaces.get(ns)?.enums[en];
    // UNKNOWN_VALUE is the SDK's stand-in for a value newer than itself, never one to send.
    if (values) return { type: 'enum', enum: values.filter((v) => v !== 'UNKNOWN_VALUE') };
    return { type: 'any' };
  }
  if (ts.isUnionTypeNode(type)) {
    const members = type.types.map((t) => classify(t, src, owner));
    const models = members.filter((m) => m.type === 'model').flatMap((m) => m.models);
    if (models.length) return { type: 'model', models: [...new Set(models)] };
    return members[0] ?? { type: 'any' };
  }
  return { type: 'any' };
}

function walk(rootModel) {
  const models = {};
  const queue = [rootModel];
  while (queue.length) {
    const name = queue.shift();
    if (models[name]) continue;
    const i = interfaces.get(name);
    const fields = {};
    const required = [];
    for (const p of allProps(name)) {
      const c = classify(p.type, p.src, name);
      fields[p.name] = c;
      if (!p.optional) required.push(p.name);
      if (c.models) queue.push(...c.models);
    }
    // A subtype names its discriminator value as a namespace constant (sourceType = "image").
    const disc = Object.entries(i.consts).find(([k]) => k in fields);
    models[name] = { fields, required, ...(disc ? { discriminator: { field: disc[0], value: disc[1] } } : {}), subtypes: subtypes.get(name) ?? [] };
  }
  return Object.fromEntries(Object.entries(models).sort(([a], [b]) => a.localeCompare(b)));
}

// ---- ListInstances sort enums --------------------------------------------------------------
const listReq = readFileSync(join(coreDir, 'lib', 'request', 'list-instances-request.d.ts'), 'utf8');
const enumValues = (name) => {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(listReq);
  if (!m) throw new Error(`ListInstancesRequest.${name} not found`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
};

// ---- regions ---------------------------------------------------------------------------------
// Instance.region (and the OCIDs) name a region by its key for the regions the model's own
// documentation lists ("For the us-phoenix-1 and us-ashburn-1 regions, phx and iad are
// returned"), by its full name otherwise. Which regions: from that text; the keys: from
// oci-common's Region data, and the two must agree.
const instanceDoc = readFileSync(join(modelDir, 'instance.d.ts'), 'utf8').replace(/\s*\*\s*/g, ' ');
const short = /For the ([a-z0-9-]+) and ([a-z0-9-]+) regions, \{@code (\w+)\} and \{@code (\w+)\} are returned/.exec(instanceDoc);
if (!short) throw new Error('Instance.region documentation changed: check which regions answer with a key');
const regionKeys = {};
for (const [id, key] of [[short[1], short[3]], [short[2], short[4]]]) {
  const code = common.Region.fromRegionId(id).regionCode;
  if (code !== key) throw new Error(`oci-common says ${id} has key ${code}, the Instance model says ${key}`);
  regionKeys[id] = code;
}

const body = `// GENERATED by scripts/gen-oci-emulator-tables.mjs from oci-core ${coreVersion} typings and oci-common's Region data. Do not edit.
// Regenerate after upgrading the OCI SDK: node scripts/gen-oci-emulator-tables.mjs

export type OciScalarType = 'string' | 'number' | 'boolean' | 'date' | 'enum' | 'map' | 'model' | 'any';

export interface OciWireField {
  readonly type: OciScalarType;
  /** For \`enum\`: the values the SDK knows. */
  readonly enum?: readonly string[];
  /** For \`model\`: a base model and its subtypes. */
  readonly models?: readonly string[];
  readonly array?: true;
}

export interface OciWireModel {
  readonly fields: Readonly<Record<string, OciWireField>>;
  /** Fields without \`?\` in the SDK's model. */
  readonly required: readonly string[];
  /** A subtype's discriminator: \`sourceType\` = \`image\`. */
  readonly discriminator?: { readonly field: string; readonly value: string };
  readonly subtypes: readonly string[];
}

/** UpdateInstanceDetails and every model reachable from it. */
export const UPDATE_INSTANCE_MODELS: Readonly<Record<string, OciWireModel>> = ${JSON.stringify(walk('UpdateInstanceDetails'), null, 2)};

/** ListInstancesRequest.SortBy / SortOrder. */
export const LIST_INSTANCES_SORT_BY: readonly string[] = ${JSON.stringify(enumValues('SortBy'))};
export const LIST_INSTANCES_SORT_ORDER: readonly string[] = ${JSON.stringify(enumValues('SortOrder'))};

/** Region id → the key Instance.region and OCIDs carry; other regions go by their full name. */
export const REGION_KEYS: Readonly<Record<string, string>> = ${JSON.stringify(regionKeys, null, 2)};
`;

if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== body) {
    process.stderr.write(`${OUT} is out of date: run node scripts/gen-oci-emulator-tables.mjs\n`);
    process.exit(1);
  }
  process.stdout.write('sdk-tables.generated.ts is up to date\n');
} else {
  writeFileSync(OUT, body);
  process.stdout.write(`wrote ${OUT}\n`);
}
