/**
 * observe(): everything plan() needs, read once per pass. Demand from Kasm (get_servers,
 * get_kasms, get_zones) or a `--demand` snapshot; supply from each provider's adapter
 * (owned instances of every pool on it: max_instances counts them all). Failures are
 * data, not exceptions: a provider that cannot be listed stops only its own pools, and
 * Kasm that cannot be read makes the pass terminate nothing.
 */
import pLimit from 'p-limit';
import { InputError, oneLine } from '../core/errors.js';
import { createAdapter, type AdapterOptions } from '../clouds/index.js';
import { cloudOf } from '../clouds/registry.js';
import { CloudError, type CloudAdapter } from '../clouds/types.js';
import type { AutoscaleConfig, KasmScaleConfig, Provider } from '../config/types.js';
// Static (it is small): Kasm's three reads go out before the cloud SDKs start loading.
import { createKasmClient } from '../kasm/client.js';
import type { DemandSnapshot } from '../kasm/types.js';
import { readInput } from '../core/files.js';
import { readKasmAutoscalers, type KasmAutoscalers } from '../kasm/autoscalers.js';
import { needsCloudSize } from './sizing.js';
import type { ProviderSupply } from './types.js';

export interface Observation {
  demand?: DemandSnapshot;
  demandError?: string;
  /** Kasm's own autoscale configs (read with the demand; absent with --demand or skipDemand). */
  kasmAutoscalers?: KasmAutoscalers;
  providers: Record<string, ProviderSupply>;
  adapters: Map<string, CloudAdapter>;
}

export interface ObserveOptions {
  config: KasmScaleConfig;
  pools: AutoscaleConfig[];
  /** `--demand FILE|-` */
  demandFile?: string;
  concurrency: number;
  adapterOptions?: AdapterOptions;
  /** Do not read Kasm; report this as the reason (status without a kasm: section). */
  skipDemand?: string;
  /** Providers to list even without a pool here (orphans: instances of pools that left the file). */
  alsoProviders?: string[];
  /** Also read Kasm's own autoscale configs (reconcile's coexistence check). */
  kasmAutoscalers?: boolean;
}

export async function observe(opts: ObserveOptions): Promise<Observation> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const names = [
    ...new Set([...opts.pools.flatMap((p) => p.vm_provider_config_names), ...(opts.alsoProviders ?? [])]),
  ];
  const adapters = new Map<string, CloudAdapter>();
  const providers: Record<string, ProviderSupply> = {};

  // Every read starts now: Kasm's three calls first (their answers are the biggest), then
  // each provider's listing as soon as its SDK is loaded; all of them run side by side.
  const demandP = readDemand(opts);
  // A demand file is local input: a bad one is refused before any cloud is asked anything.
  if (opts.demandFile) await demandP;
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        const p = opts.config.providers.find((x) => x.vm_provider_config_name === name);
        if (!p) return;
        const poolsHere = opts.pools.filter((x) => x.vm_provider_config_names.includes(name));
        providers[name] = await observeProvider(p, poolsHere, opts.adapterOptions, adapters);
      }),
    ),
  );
  const demand = await demandP;
  return { ...demand, providers, adapters };
}

async function observeProvider(
  p: Provider,
  pools: AutoscaleConfig[],
  adapterOptions: AdapterOptions | undefined,
  adapters: Map<string, CloudAdapter>,
): Promise<ProviderSupply> {
  const base: ProviderSupply = {
    name: p.vm_provider_config_name,
    kind: p.vm_provider_name,
    maxInstances: p.max_instances,
    zones: cloudOf(p).zones(p),
    ...(p.spot ? { spot: true } : {}),
  };
  let adapter: CloudAdapter;
  try {
    // poolNames lets the adapter report autoscaleConfigName as written in the config.
    const options: AdapterOptions = {
      ...adapterOptions,
      poolNames: pools.map((x) => x.autoscale_config_name),
    };
    adapter = await createAdapter(p, options);
    adapters.set(base.name, adapter);
  } catch (err) {
    return {
      ...base,
      error: {
        kind: err instanceof CloudError ? err.kind : 'config',
        message: `${base.name}: ${oneLine(err)}`,
      },
    };
  }
  const zones = adapter.zones();
  // Any resource without an override (GPUs 0 included) needs the shape / machine type.
  const needSize = pools.some(needsCloudSize);
  const [listed, size] = await Promise.allSettled([
    adapter.listOwned(),
    needSize ? adapter.agentSize() : Promise.resolve(undefined),
  ]);
  const supply: ProviderSupply = { ...base, zones: zones.length ? zones : base.zones };
  if (size.status === 'fulfilled' && size.value) supply.agentSize = size.value;
  if (listed.status === 'rejected') {
    const err = listed.reason;
    return {
      ...supply,
      error: {
        kind: err instanceof CloudError ? err.kind : 'unknown',
        message: `cannot list instances on ${base.name}: ${oneLine(err)}`,
      },
    };
  }
  return { ...supply, instances: listed.value };
}

async function readDemand(
  opts: ObserveOptions,
): Promise<{ demand?: DemandSnapshot; demandError?: string; kasmAutoscalers?: KasmAutoscalers }> {
  if (opts.skipDemand) return { demandError: opts.skipDemand };
  if (opts.demandFile) return { demand: await readDemandFile(opts.demandFile) };
  if (!opts.config.kasm)
    throw new InputError(`${opts.config.file} has no kasm: section and no --demand was given`, {
      hint: 'add kasm: (url, api_key, api_key_secret) or pass --demand FILE',
    });
  try {
    const client = createKasmClient(opts.config.kasm);
    const autoscalers = opts.kasmAutoscalers ? readKasmAutoscalers(client) : Promise.resolve(undefined);
    const demand = await client.readDemand();
    const seen = await autoscalers;
    return { demand, ...(seen ? { kasmAutoscalers: seen } : {}) };
  } catch (err) {
    if (err instanceof InputError) throw err;
    return { demandError: oneLine(err) };
  }
}

/** `{"servers": [...], "kasms": [...], "zones": [...]}` shaped like Kasm's answers; read leniently. */
export async function readDemandFile(file: string): Promise<DemandSnapshot> {
  const what = file === '-' ? 'demand on standard input' : `demand file ${file}`;
  const text = (await readInput(file, 'demand file')).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what} is not JSON (${oneLine(err)})`, {
      hint: 'give {"servers": [...], "kasms": [...], "zones": [...]} as Kasm answers them',
    });
  }
  const o =
    doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const arr = (k: string, required: boolean): unknown[] => {
    const v = o?.[k];
    if (Array.isArray(v)) return v;
    if (v === undefined && !required) return [];
    throw new InputError(`${what}: "${k}" must be a list`, {
      hint: 'give {"servers": [...], "kasms": [...], "zones": [...]} as Kasm answers them (get_servers, get_kasms, get_zones)',
    });
  };
  const impossible = impossibleResource(o ?? {});
  if (impossible)
    throw new InputError(`${what}: ${impossible}`, {
      hint: 'cores, memory (bytes) and gpus of each server and session are finite numbers ≥ 0',
    });
  const { compactServer, compactSession, parseZone } = await import('../kasm/parse.js');
  return {
    servers: arr('servers', true).map(compactServer),
    kasms: arr('kasms', true).map(compactSession),
    zones: arr('zones', false).map(parseZone),
  };
}

const RESOURCE_KEYS = [
  'cores',
  'memory',
  'gpus',
  'cores_override',
  'memory_override',
  'gpus_override',
] as const;

/**
 * A demand snapshot written by hand (or by another system) can say what Kasm never would:
 * negative or infinite cores (JSON's 1e999 reads as Infinity). The first such value, or undefined.
 */
function impossibleResource(doc: Record<string, unknown>): string | undefined {
  for (const list of ['servers', 'kasms'] as const) {
    const rows = doc[list];
    if (!Array.isArray(rows)) continue;
    for (const [i, row] of rows.entries()) {
      if (!row || typeof row !== 'object') continue;
      for (const k of RESOURCE_KEYS) {
        const v = (row as Record<string, unknown>)[k];
        if (v === undefined || v === null || v === '') continue;
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        if (!Number.isFinite(n) || n < 0)
          return `${list}[${i}].${k} is ${typeof v === 'number' && !Number.isFinite(v) ? 'infinite' : JSON.stringify(v)}; expected a finite number ≥ 0`;
      }
    }
  }
  return undefined;
}
