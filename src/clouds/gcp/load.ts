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

/** One client class, from its own module when it is where we expect, else from the index. */
export async function loadGcpClient<N extends GcpClientName>(name: N): Promise<ComputeModule[N]> {
  try {
    const m = (await import(`@google-cloud/compute/build/src/v1/${clientFile(name)}.js`)) as Record<string, unknown> & { default?: Record<string, unknown> };
    const ctor = m[name] ?? m.default?.[name];
    if (typeof ctor === 'function') return ctor as ComputeModule[N];
  } catch {
    // moved or renamed in this release: fall through to the package index
  }
  return (await fromIndex())[name];
}

/** Several client classes at once, in the order asked. */
export async function loadGcpClients<const N extends readonly GcpClientName[]>(...names: N): Promise<{ [I in keyof N]: ComputeModule[N[I]] }> {
  return (await Promise.all(names.map((n) => loadGcpClient(n)))) as { [I in keyof N]: ComputeModule[N[I]] };
}
