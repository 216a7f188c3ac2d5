#!/usr/bin/env node
// Generates src/clouds/gcp/fields.generated.ts: every field reachable from the
// compute v1 Instance message, read from @google-cloud/compute's own protos, so the
// validator can reject a misspelt gcp_config_override key AND a wrong value. The library's
// Instance.fromObject silently drops unknown keys and coerces wrong values ("yes" → true,
// "two" → 0): without this table neither would ever be reported.
//
// Value types come from protos.json. GCP's REST API carries enums as plain strings; the
// enum a string field takes its values from is named in the field's comment in
// compute.proto ("Check the OnHostMaintenance enum for the list of possible values."),
// and protos.json holds that enum type. Documented numeric ranges are read from comments
// too (RANGES below), and generation fails if the text they are read from changes.
// Usage: node scripts/gen-gcp-fields.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const protos = require('@google-cloud/compute/build/protos/protos.json');
const pkg = require('@google-cloud/compute/package.json');
const protoText = readFileSync(
  join(
    dirname(require.resolve('@google-cloud/compute/build/protos/protos.json')),
    'google/cloud/compute/v1/compute.proto',
  ),
  'utf8',
);
const v1 = protos.nested.google.nested.cloud.nested.compute.nested.v1.nested;
const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

/** `Message.json_name` → the field's comment in compute.proto (top-level messages only). */
function fieldComments() {
  const out = new Map();
  const stack = [];
  let comment = [];
  for (const raw of protoText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      comment.push(line.replace(/^\/\/\s?/, ''));
      continue;
    }
    const open = /^(message|enum|oneof)\s+(\w+)\s*\{/.exec(line);
    if (open) stack.push(open[2]);
    else if (line === '}') stack.pop();
    else {
      const field = /^(?:optional |repeated )?(?:map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+/.exec(line);
      if (field && stack.length === 1)
        out.set(
          `${stack[0]}.${field[1].replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())}`,
          comment.join(' '),
        );
    }
    comment = [];
  }
  return out;
}
const comments = fieldComments();

/** The values of the enum a string field names in its comment (sentinels removed). */
function enumFor(message, field) {
  const name = /Check the (\w+) enum for the list of possible values/.exec(
    comments.get(`${message}.${field}`) ?? '',
  )?.[1];
  if (!name) return undefined;
  const def = v1[message]?.nested?.[name] ?? v1[name];
  if (!def?.values)
    throw new Error(`${message}.${field}: enum ${name} is named in compute.proto but not in protos.json`);
  // UNDEFINED_X (0) is protobuf's "not set", not a value the API takes.
  return Object.keys(def.values).filter((v) => !v.startsWith('UNDEFINED_'));
}

/**
 * Ranges Google documents for a field. `read` must match the field's comment (the anchor);
 * the bounds it cannot carry are stated here with where they come from.
 */
const RANGES = [
  // "To disable simultaneous multithreading (SMT) set this to 1"; the other value is 2 (two
  // threads per core on every SMT processor Compute Engine offers; the API refuses others).
  { at: 'AdvancedMachineFeatures.threadsPerCore', read: /set this to 1/, min: 1, max: 2 },
  // A card count: attaching zero cards is "no accelerator" and is refused.
  { at: 'AcceleratorConfig.acceleratorCount', read: /number of the guest accelerator cards/, min: 1 },
];
const usedRanges = new Set();

function valueType(message, field, spec) {
  if (spec.keyType) return { t: 'map', of: valueType(message, field, { type: spec.type }) };
  let type;
  if (spec.type === 'string') {
    const values = enumFor(message, field);
    type = values ? { t: 'enum', values } : { t: 'string' };
  } else if (SCALARS.has(spec.type)) type = { t: spec.type };
  else if (v1[spec.type]?.fields) type = { t: 'message', type: spec.type };
  else type = { t: 'any' };
  const range = RANGES.find((r) => r.at === `${message}.${field}`);
  if (range) {
    if (!range.read.test(comments.get(range.at) ?? ''))
      throw new Error(`${range.at}: its comment no longer says ${range.read}; look at the range again`);
    if (!/int|double|float/.test(type.t)) throw new Error(`${range.at}: a range on a ${type.t}`);
    usedRanges.add(range.at);
    if (range.min !== undefined) type.min = range.min;
    if (range.max !== undefined) type.max = range.max;
  }
  return type;
}

const messages = {};
const queue = ['Instance'];
while (queue.length) {
  const name = queue.shift();
  if (messages[name]) continue;
  const def = v1[name];
  if (!def || !def.fields) continue;
  const fields = {};
  for (const [field, spec] of Object.entries(def.fields)) {
    const entry = {};
    if (spec.keyType) entry.kind = 'map';
    else if (SCALARS.has(spec.type) || !v1[spec.type]?.fields) entry.kind = 'scalar';
    else {
      entry.kind = 'message';
      entry.type = spec.type;
      queue.push(spec.type);
    }
    if (spec.rule === 'repeated') entry.repeated = true;
    entry.value = valueType(name, field, spec);
    fields[field] = entry;
  }
  messages[name] = fields;
}
for (const r of RANGES)
  if (!usedRanges.has(r.at)) throw new Error(`range for ${r.at} was not applied: is the field still there?`);
const sorted = Object.fromEntries(
  Object.keys(messages)
    .sort()
    .map((k) => [k, messages[k]]),
);
const text = `// GENERATED by scripts/gen-gcp-fields.mjs from @google-cloud/compute ${pkg.version} protos. Do not edit.
// Regenerate after upgrading @google-cloud/compute: node scripts/gen-gcp-fields.mjs

/**
 * A value's type in the proto (JSON carries int64/uint64 as decimal strings, and accepts
 * numbers too; int32/uint32 as numbers). \`enum\` is a proto string field whose values
 * come from the enum compute.proto names for it. \`min\`/\`max\`: ranges Google documents.
 */
export type GcpValueType =
  | { readonly t: 'string' | 'bool' | 'any' }
  | { readonly t: 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float'; readonly min?: number; readonly max?: number }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'message'; readonly type: string }
  | { readonly t: 'map'; readonly of: GcpValueType };

export interface GcpFieldSpec {
  readonly kind: 'scalar' | 'map' | 'message';
  /** For \`message\`: the message name in GCP_MESSAGES. */
  readonly type?: string;
  readonly repeated?: true;
  /** The type of the value (of each item when \`repeated\`). */
  readonly value: GcpValueType;
}

export const GCP_COMPUTE_VERSION = ${JSON.stringify(pkg.version)};

/** Message name → JSON (camelCase) field name → spec; the root is \`Instance\`. */
export const GCP_MESSAGES: Readonly<Record<string, Readonly<Record<string, GcpFieldSpec>>>> = ${JSON.stringify(sorted, null, 2)};
`;
const out = fileURLToPath(new URL('../src/clouds/gcp/fields.generated.ts', import.meta.url));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== text) {
    process.stderr.write(
      'src/clouds/gcp/fields.generated.ts is stale: run node scripts/gen-gcp-fields.mjs\n',
    );
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  process.stderr.write(`wrote ${out} (${Object.keys(sorted).length} messages)\n`);
}
