/**
 * Loads @google-cloud/compute client classes one module at a time, for the adapter and
 * `doctor` alike.
 *
 * The package's index loads every one of its ~100 v1 clients (and v1beta's): 7 s against
 * 1.4 s for the few we use on a busy CI machine, paid by every reconcile pass that has a
 * GCP provider. Each client lives in build/src/v1/<snake_name>.js; should a future release
 * move the files, the index is the fallback (slow, but still right).
 */
import type * as Compute from '@google-cloud/compute';
import { readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';

type ComputeModule = typeof Compute;
/** The v1 client classes the package exports at its top level. */
export type GcpClientName = Extract<keyof ComputeModule, `${string}Client`>;

/** `MachineTypesClient` → `machine_types_client` (the package's file naming). */
export function clientFile(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

async function fromIndex(): Promise<ComputeModule> {
  const compute = await import('@google-cloud/compute');
  return ((compute as unknown as { default?: ComputeModule }).default ?? compute) as ComputeModule;
}

/** What scripts/gen-gcp-protos.mjs writes beside this file at build time. */
interface ProtoSubset {
  kasmScaleSubset: { package: string; version: string; sourceBytes: number; services: string[] };
  [key: string]: unknown;
}

const require = createRequire(import.meta.url);
let subsetState: 'untried' | 'installed' | 'absent' = 'untried';

/**
 * Every compute client module does `require('../../protos/protos.json')` (11.7 MB: all of
 * v1, v1beta and v1small) and google-gax builds a protobuf root from it: over a second of
 * CPU and ~125 MB for a pass that calls three services. The build writes the part our
 * services need (scripts/gen-gcp-protos.mjs); placed in the require cache under the
 * package's own path before a client module loads, it is what that module gets.
 * Used only when it was made from the installed package (same version and source size)
 * and covers the service asked for; otherwise the clients read the whole file as before.
 */
function preferProtoSubset(name: string): void {
  const service = name.replace(/Client$/, '');
  let path: string;
  try {
    path = require.resolve('@google-cloud/compute/build/protos/protos.json');
  } catch {
    return; // moved in this release: the client finds its own
  }
  const cached = require.cache[path] as (Module & { kasmScaleServices?: string[] }) | undefined;
  if (subsetState === 'installed') {
    // A service outside the subset (none of ours today): later modules get the whole file.
    if (cached?.kasmScaleServices && !cached.kasmScaleServices.includes(service)) delete require.cache[path];
    return;
  }
  if (subsetState === 'absent' || cached) return;
  subsetState = 'absent';
  let subset: ProtoSubset;
  try {
    subset = JSON.parse(
      readFileSync(new URL('./compute-protos.json', import.meta.url), 'utf8'),
    ) as ProtoSubset;
    const meta = subset.kasmScaleSubset;
    const pkg = require('@google-cloud/compute/package.json') as { name: string; version: string };
    if (
      meta.package !== pkg.name ||
      meta.version !== pkg.version ||
      meta.sourceBytes !== statSync(path).size ||
      !meta.services.includes(service)
    )
      return;
  } catch {
    return; // not built (tsc alone) or unreadable: the whole file, slower but the same
  }
  const { kasmScaleSubset, ...protos } = subset;
  const m = Object.assign(new Module(path), {
    filename: path,
    loaded: true,
    exports: protos,
    kasmScaleServices: kasmScaleSubset.services,
  });
  require.cache[path] = m;
  subsetState = 'installed';
}

/** One client class, from its own module when it is where we expect, else from the index. */
export async function loadGcpClient<N extends GcpClientName>(name: N): Promise<ComputeModule[N]> {
  try {
    preferProtoSubset(name);
    const m = (await import(`@google-cloud/compute/build/src/v1/${clientFile(name)}.js`)) as Record<
      string,
      unknown
    > & { default?: Record<string, unknown> };
    const ctor = m[name] ?? m.default?.[name];
    if (typeof ctor === 'function') return ctor as ComputeModule[N];
  } catch {
    // moved or renamed in this release: fall through to the package index
  }
  return (await fromIndex())[name];
}

/** Several client classes at once, in the order asked. */
export async function loadGcpClients<const N extends readonly GcpClientName[]>(
  ...names: N
): Promise<{ [I in keyof N]: ComputeModule[N[I]] }> {
  return (await Promise.all(names.map((n) => loadGcpClient(n)))) as { [I in keyof N]: ComputeModule[N[I]] };
}
