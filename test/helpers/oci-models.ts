/**
 * Checks a JSON answer against the OCI SDK's own model typings (oci-core, oci-identity
 * lib/model/*.d.ts), read here at test time: every field must be one the model declares
 * (recursively, a polymorphic model's subtype picked by its discriminator), every field the
 * model declares without `?` must be present and not null, and values must have the
 * model's scalar type or one of its enum values. Independent of the emulators' own tables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const MODEL_DIRS = ['oci-core', 'oci-identity'].map((p) =>
  join(dirname(require.resolve(`${p}/package.json`)), 'lib', 'model'),
);

type Kind =
  | { t: 'string' | 'number' | 'boolean' | 'date' | 'map' | 'any' }
  | { t: 'enum'; values: string[] }
  | { t: 'model'; name: string }
  | { t: 'array'; of: Kind };
interface Model {
  props: Map<string, { kind: Kind; required: boolean }>;
  /** Discriminator (field, value) of a subtype. */
  disc?: [string, string];
  subtypes: string[];
}

const files = new Map<string, string>();
const subtypesOf = new Map<string, string[]>();
for (const dir of MODEL_DIRS)
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.d.ts')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/export interface (\w+)(?: extends model\.(\w+))?/g)) {
      if (!files.has(m[1])) files.set(m[1], join(dir, f));
      if (m[2]) subtypesOf.set(m[2], [...(subtypesOf.get(m[2]) ?? []), m[1]]);
    }
  }

const cache = new Map<string, Model>();
function model(name: string): Model {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = files.get(name);
  if (!file) throw new Error(`no SDK model ${name}`);
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const enums = new Map<string, string[]>();
  let disc: [string, string] | undefined;
  let iface: ts.InterfaceDeclaration | undefined;
  for (const s of src.statements) {
    if (ts.isInterfaceDeclaration(s) && s.name.text === name) iface = s;
    if (ts.isModuleDeclaration(s) && s.name.text === name && s.body && ts.isModuleBlock(s.body))
      for (const x of s.body.statements) {
        if (ts.isEnumDeclaration(x))
          enums.set(
            x.name.text,
            x.members
              .map((m) => (m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : ''))
              .filter((v) => v !== 'UNKNOWN_VALUE'),
          );
        if (ts.isVariableStatement(x))
          for (const d of x.declarationList.declarations)
            if (d.initializer && ts.isStringLiteral(d.initializer))
              disc = [d.name.getText(src), d.initializer.text];
      }
  }
  if (!iface) throw new Error(`${name} is not an interface in ${file}`);
  const props = new Map<string, { kind: Kind; required: boolean }>();
  for (const h of iface.heritageClauses ?? [])
    for (const t of h.types)
      for (const [k, v] of model(t.expression.getText(src).split('.').pop()!).props) props.set(k, v);
  const kindOf = (type: ts.TypeNode | undefined): Kind => {
    if (!type) return { t: 'any' };
    if (type.kind === ts.SyntaxKind.StringKeyword) return { t: 'string' };
    if (type.kind === ts.SyntaxKind.NumberKeyword) return { t: 'number' };
    if (type.kind === ts.SyntaxKind.BooleanKeyword) return { t: 'boolean' };
    if (ts.isTypeLiteralNode(type)) return { t: 'map' };
    if (ts.isArrayTypeNode(type)) return { t: 'array', of: kindOf(type.elementType) };
    if (ts.isUnionTypeNode(type))
      return kindOf(type.types.find((x) => ts.isTypeReferenceNode(x)) ?? type.types[0]);
    if (ts.isTypeReferenceNode(type)) {
      const text = type.typeName.getText(src);
      if (text === 'Date') return { t: 'date' };
      if (text === 'Array') return { t: 'array', of: kindOf(type.typeArguments?.[0]) };
      const parts = text.split('.');
      if (parts[0] === 'model' && parts.length === 2) return { t: 'model', name: parts[1] };
      const values = parts.length === 2 && parts[0] === name ? enums.get(parts[1]) : undefined;
      if (values) return { t: 'enum', values };
      if (parts.length === 1 && files.has(parts[0])) return { t: 'model', name: parts[0] };
      return { t: 'any' };
    }
    return { t: 'any' };
  };
  for (const m of iface.members) {
    if (!ts.isPropertySignature(m)) continue;
    props.set(m.name.getText(src).replace(/^"|"$/g, ''), {
      kind: kindOf(m.type),
      required: !m.questionToken,
    });
  }
  const out: Model = { props, disc, subtypes: subtypesOf.get(name) ?? [] };
  cache.set(name, out);
  return out;
}

/** The model an object is: a subtype whose discriminator it carries, else the model itself. */
function concrete(name: string, obj: Record<string, unknown>): string {
  for (const s of model(name).subtypes) {
    const d = model(s).disc;
    if (d && obj[d[0]] === d[1]) return concrete(s, obj);
  }
  return name;
}

/** Every way `value` departs from the SDK model `name` (empty: conforms). */
export function ociModelProblems(name: string, value: unknown, path = name): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${path}: expected an object`];
  const obj = value as Record<string, unknown>;
  const m = model(concrete(name, obj));
  const out: string[] = [];
  for (const [k, p] of m.props)
    if (p.required && (obj[k] === undefined || obj[k] === null))
      out.push(`${path}.${k}: required by the model, but ${obj[k] === null ? 'null' : 'missing'}`);
  for (const [k, v] of Object.entries(obj)) {
    const p = m.props.get(k);
    if (!p) out.push(`${path}.${k}: not a field of ${concrete(name, obj)}`);
    else if (v !== null && v !== undefined) out.push(...kindProblems(p.kind, v, `${path}.${k}`));
  }
  return out;
}

function kindProblems(kind: Kind, v: unknown, path: string): string[] {
  switch (kind.t) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof v === kind.t ? [] : [`${path}: expected a ${kind.t}, got ${JSON.stringify(v)}`];
    case 'date':
      return (typeof v === 'string' || v instanceof Date) && !Number.isNaN(new Date(v as string).getTime())
        ? []
        : [`${path}: expected a date, got ${JSON.stringify(v)}`];
    case 'enum':
      return kind.values.includes(v as string)
        ? []
        : [`${path}: ${JSON.stringify(v)} is not one of ${kind.values.join(', ')}`];
    case 'map':
      return typeof v === 'object' && !Array.isArray(v) ? [] : [`${path}: expected a map`];
    case 'array':
      return Array.isArray(v)
        ? v.flatMap((x, i) => kindProblems(kind.of, x, `${path}[${i}]`))
        : [`${path}: expected an array`];
    case 'model':
      return ociModelProblems(kind.name, v, path);
    case 'any':
      return [];
  }
}
