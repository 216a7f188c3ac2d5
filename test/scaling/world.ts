/**
 * A tiny model of the world plan() looks at (cloud instances, Kasm agents and sessions)
 * and of what happens when a plan is carried out, for property and example tests.
 * It uses plan()'s own data shapes, nothing of our modules is stubbed.
 */
import { ownershipTags } from '../../src/clouds/ownership.js';
import type { OwnedInstance } from '../../src/clouds/types.js';
import type { AutoscaleConfig } from '../../src/config/types.js';
import type { KasmServer, KasmSession } from '../../src/kasm/types.js';
import { MB } from '../../src/scaling/capacity.js';
import { emptyState, nextPoolMemory, type ScalingState } from '../../src/scaling/memory.js';
import { CLEAR_DRAIN } from '../../src/clouds/ownership.js';
import type { Plan, PlanInput, ProviderSupply, Resources } from '../../src/scaling/types.js';
import { autoscalePool } from '../helpers/providers.js';

export interface World {
  pools: AutoscaleConfig[];
  providers: Record<string, ProviderSupply & { instances: OwnedInstance[] }>;
  servers: KasmServer[];
  kasms: KasmSession[];
  zones: Array<{ zone_id: string; zone_name: string }>;
  memory: ScalingState;
}

export const T0 = new Date('2025-01-06T08:00:00Z');

/** A pool of provider oci-main in Kasm zone `default` keeping 8 cores on standby. */
export function pool(name: string, over: Partial<AutoscaleConfig> = {}): AutoscaleConfig {
  return autoscalePool(name, 'oci-main', 'default', { standby_cores: 8, ...over });
}

export function provider(
  name = 'oci-main',
  over: Partial<ProviderSupply> = {},
): ProviderSupply & { instances: OwnedInstance[] } {
  return {
    name,
    kind: 'oci',
    maxInstances: 10,
    zones: ['AD-1', 'AD-2'],
    instances: [],
    agentSize: { cores: 4, memoryMb: 16384, gpus: 0 },
    ...over,
  } as ProviderSupply & { instances: OwnedInstance[] };
}

let seq = 0;
export function hex32(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function instance(
  poolName: string,
  over: Partial<OwnedInstance> & { serverId?: string } = {},
): OwnedInstance {
  const serverId = over.serverId ?? hex32(++seq + 0x1000);
  return {
    id: `ocid1.instance.${serverId}`,
    name: `kasm-${serverId.slice(0, 12)}`,
    state: 'running',
    cloudState: 'RUNNING',
    zone: 'AD-1',
    createdAt: new Date(T0.getTime() - 3600_000),
    autoscaleConfigName: poolName,
    serverId,
    ...over,
    tags: { ...ownershipTags(poolName, serverId), ...(over.tags ?? {}) },
  };
}

export function agent(serverId: string, size: Resources, over: Partial<KasmServer> = {}): KasmServer {
  return {
    server_id: serverId,
    server_type: 'host',
    operational_status: 'running',
    enabled: true,
    cores: size.cores,
    memory: size.memoryMb * MB,
    gpus: size.gpus,
    cores_override: 0,
    memory_override: 0,
    gpus_override: 0,
    zone_name: 'default',
    ...over,
  };
}

export function session(
  serverId: string | null,
  size: Partial<Resources> = {},
  over: Partial<KasmSession> = {},
): KasmSession {
  return {
    kasm_id: hex32(++seq + 0x900000),
    server_id: serverId,
    cores: size.cores ?? 2,
    memory: (size.memoryMb ?? 2048) * MB,
    gpus: size.gpus ?? 0,
    operational_status: serverId ? 'running' : 'requested',
    ...over,
  };
}

export function input(w: World, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    pools: w.pools,
    providers: w.providers,
    demand: { servers: w.servers, kasms: w.kasms, zones: w.zones },
    memory: w.memory,
    ...extra,
  };
}

export function world(partial: Partial<World> = {}): World {
  return {
    pools: [],
    providers: {},
    servers: [],
    kasms: [],
    zones: [{ zone_id: 'z-default', zone_name: 'default' }],
    memory: emptyState(),
    ...partial,
  };
}

/**
 * What the world looks like after a plan is carried out, all actions succeeding:
 * terminated instances (and their agent rows) are gone, launched instances exist
 * (provisioning; registered as an idle agent of the pool size when `register`),
 * tag patches are applied, memory is updated.
 */
export function applyPlan(
  w: World,
  p: Plan,
  now: Date,
  opts: { register?: boolean; full?: Set<string> } = {},
): World {
  const providers = structuredClone(w.providers);
  let servers = [...w.servers];
  const spare = { ...(p.spare ?? {}) };
  for (const pp of p.pools) {
    for (const t of pp.tagUpdates) {
      const prov = providers[t.provider];
      const i = prov.instances.find((x) => x.id === t.instance.id);
      if (!i) continue;
      for (const [k, v] of Object.entries(t.patch)) {
        if (v === null) delete i.tags[k];
        else i.tags[k] = v;
      }
      i.idleSince = undefined;
    }
    for (const a of pp.actions) {
      const prov = providers[a.provider];
      if (a.kind === 'terminate') {
        prov.instances = prov.instances.filter((x) => x.id !== a.instance.id);
        servers = servers.filter((s) => s.server_id !== a.instance.serverId);
      } else if (a.kind === 'enable') {
        servers = servers.map((s) => (s.server_id === a.instance.serverId ? { ...s, enabled: true } : s));
        const i = prov.instances.find((x) => x.id === a.instance.id);
        if (i) for (const k of Object.keys(CLEAR_DRAIN)) delete i.tags[k];
      } else if (a.kind === 'deregister') {
        servers = servers.filter((s) => s.server_id !== a.serverId);
      } else {
        // A provider in `full` answers capacity: the launch falls through its chain as apply
        // does, onto a later provider only within the room the plan left there (Plan.spare).
        const landed = opts.full?.has(a.provider)
          ? (a.fallbacks ?? []).find((f) => !opts.full!.has(f.provider) && (spare[f.provider] ?? 0) > 0)
          : { provider: a.provider, zones: a.zones };
        if (!landed) continue;
        if (landed.provider !== a.provider) spare[landed.provider]--;
        const inst = instance(a.pool, {
          serverId: a.serverId,
          state: opts.register ? 'running' : 'provisioning',
          createdAt: now,
          zone: landed.zones[0],
        });
        providers[landed.provider].instances.push(inst);
        if (opts.register) {
          const size = pp.figures!.agentSize!;
          const pl = w.pools.find((x) => x.autoscale_config_name === a.pool)!;
          servers.push(agent(a.serverId, size, { zone_name: pl.zone_name }));
        }
      }
    }
  }
  const memory: ScalingState = { ...w.memory, pools: { ...w.memory.pools } };
  for (const pp of p.pools) {
    memory.pools[pp.pool] = nextPoolMemory(w.memory.pools[pp.pool], {
      now,
      outcomes: pp.outcomes,
      launched: pp.actions
        .filter((a) => a.kind === 'launch')
        .map((a) => (a as { serverId: string }).serverId),
      lastLaunchSeenAt: pp.lastLaunchSeenAt,
      unhealthySince: pp.unhealthySince,
    });
  }
  return { ...w, providers, servers, memory };
}
