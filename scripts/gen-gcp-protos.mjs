#!/usr/bin/env node
// Writes dist/clouds/gcp/compute-protos.json: the part of @google-cloud/compute's own
// protos.json that the GCP services kasm-scale calls need (their methods and every message
// and enum those reach), read from the installed package at build time.
//
// Why: each compute client requires the package's whole protos.json (11.7 MB: v1, v1beta and
// v1small, ~4,500 types) and google-gax builds a protobuf root from it — over a second of CPU
// and ~125 MB of memory in a pass that uses three services. src/clouds/gcp/load.ts hands the
// clients this subset instead, when it was made from the installed version.
// Usage: node scripts/gen-gcp-protos.mjs  (run by `npm run build`)
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Every compute v1 service a kasm-scale client class talks to (adapter and doctor). */
export const GCP_SERVICES = [
  'Instances',
  'ZoneOperations',
  'MachineTypes',
  'Projects',
  'Zones',
  'Images',
  'Networks',
  'Subnetworks',
  'AcceleratorTypes',
];

const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);
const V1 = ['google', 'cloud', 'compute', 'v1'];

function at(root, path) {
  let node = root;
  for (const part of path) {
    node = node?.nested?.[part];
    if (!node) return undefined;
  }
  return node;
}

/** protobufjs's lookup: the name relative to the scope, then to each enclosing namespace. */
function resolve(root, scope, name) {
  if (name.startsWith('.')) return at(root, name.slice(1).split('.')) ? name.slice(1).split('.') : undefined;
  for (let i = scope.length; i >= 0; i--) {
    const path = [...scope.slice(0, i), ...name.split('.')];
    if (at(root, path)) return path;
  }
  return undefined;
}

/**
 * The subset of a protobufjs JSON root that `services` (compute v1) need. Everything outside
 * compute (google.api, google.protobuf, the operation extensions) is kept whole; of compute,
 * only v1 definitions reached from the services' methods.
 */
export function pruneComputeProtos(full, services = GCP_SERVICES) {
  const keep = new Set(); // top-level v1 names
  const queue = [];
  const reach = (scope, name) => {
    if (SCALARS.has(name)) return;
    const path = resolve(full, scope, name);
    if (!path) throw new Error(`protos: cannot resolve ${name} from ${scope.join('.')}`);
    const inV1 = path.length > V1.length && V1.every((p, i) => path[i] === p);
    if (!inV1) return; // outside compute v1: kept whole anyway
    const top = path[V1.length];
    if (!keep.has(top)) {
      keep.add(top);
      queue.push([...V1, top]);
    }
  };
  for (const s of services) {
    if (!at(full, [...V1, s])?.methods) throw new Error(`protos: no service google.cloud.compute.v1.${s}`);
    keep.add(s);
    queue.push([...V1, s]);
  }
  const walk = (path, def) => {
    for (const m of Object.values(def.methods ?? {})) {
      reach(path.slice(0, -1), m.requestType);
      reach(path.slice(0, -1), m.responseType);
    }
    for (const f of Object.values(def.fields ?? {})) reach(path, f.type);
    for (const [name, child] of Object.entries(def.nested ?? {})) walk([...path, name], child);
  };
  while (queue.length) {
    const path = queue.shift();
    walk(path, at(full, path));
  }
  const v1 = at(full, V1);
  const nested = Object.fromEntries(Object.entries(v1.nested).filter(([name]) => keep.has(name)));
  const cloud = full.nested.google.nested.cloud;
  return {
    ...full,
    nested: {
      ...full.nested,
      google: {
        ...full.nested.google,
        nested: {
          ...full.nested.google.nested,
          cloud: {
            ...cloud,
            nested: {
              ...cloud.nested,
              compute: { ...cloud.nested.compute, nested: { v1: { ...v1, nested } } },
            },
          },
        },
      },
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = require.resolve('@google-cloud/compute/build/protos/protos.json');
  const pkg = require('@google-cloud/compute/package.json');
  const pruned = pruneComputeProtos(require(source));
  // Who made it: load.ts uses the subset only when these still match the installed package.
  const doc = {
    kasmScaleSubset: {
      package: pkg.name,
      version: pkg.version,
      sourceBytes: statSync(source).size,
      services: GCP_SERVICES,
    },
    ...pruned,
  };
  const out = fileURLToPath(new URL('../dist/clouds/gcp/compute-protos.json', import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(doc));
  // stderr: a build's chatter must not mix into `npm pack --json` and similar machine output.
  process.stderr.write(
    `gen-gcp-protos: ${out} (${(JSON.stringify(doc).length / 1024).toFixed(0)} KB, ${Object.keys(doc.nested.google.nested.cloud.nested.compute.nested.v1.nested).length} v1 definitions)\n`,
  );
}
