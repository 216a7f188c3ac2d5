/**
 * Our instances in the simulated clouds as one list: which pool and which provider each
 * came from, and whether it is billed (alive) and preemptible-now (running). A pool with a
 * chain of providers launches on several of them; the instance says which by where it is
 * (one of the provider's zones, from its cloud's registry entry) and whether it is spot
 * capacity. Each cloud's emulator lists its instances in that shared shape
 * (SimulatedCloud.instances), so nothing here names a cloud.
 */
import { isOwned, poolLabel, TAG_POOL, TAG_SERVER_ID } from '../clouds/ownership.js';
import { cloudOf, type CloudName } from '../clouds/registry.js';
import type { KasmScaleConfig, Provider } from '../config/types.js';
import type { SimulatedCloud, SimulatedInstance } from '../emulators/simulation.js';

export interface OwnedInstance {
  /** What its cloud calls it by (the id a preemption takes). */
  id: string;
  cloud: CloudName;
  /** The vm_provider_config_name it was launched from. */
  provider: string;
  pool: string;
  serverId?: string;
  /** Where it runs (an OCI availability domain, a GCP zone). */
  zone: string;
  /** Not terminated: billed. */
  alive: boolean;
  /** Booted (RUNNING): what a preemption can take. */
  running: boolean;
}

const isSpot = (p: Provider) => Boolean((p as { spot?: boolean }).spot);

/** Does this instance look like one this provider launches: in one of its zones, spot as it is? */
const fits = (p: Provider, i: SimulatedInstance) =>
  cloudOf(p).zones(p).includes(i.zone) && isSpot(p) === i.spot;

/** The pool's providers in chain order (the single vm_provider_config_name is a chain of one). */
export function chainOf(pool: KasmScaleConfig['autoscale'][number]): string[] {
  const names = (pool as { vm_provider_config_names?: string[] }).vm_provider_config_names;
  return names?.length ? names : [pool.vm_provider_config_name];
}

export function ownedInstances(
  config: KasmScaleConfig,
  clouds: ReadonlyMap<CloudName, Pick<SimulatedCloud<Provider>, 'instances'>>,
): OwnedInstance[] {
  const pools = new Map(config.autoscale.map((a) => [poolLabel(a.autoscale_config_name), a]));
  const providers = new Map(config.providers.map((p) => [p.vm_provider_config_name, p]));
  const providerOf = (cloud: CloudName, i: SimulatedInstance): string => {
    const pool = pools.get(i.tags[TAG_POOL] ?? '');
    if (!pool) return '?';
    const chain = chainOf(pool);
    const fit = chain.find((name) => {
      const p = providers.get(name);
      return p?.vm_provider_name === cloud && fits(p, i);
    });
    return fit ?? chain[0];
  };
  return [...clouds].flatMap(([cloud, sim]) =>
    sim
      .instances()
      .filter((i) => isOwned(i.tags))
      .map((i) => ({
        id: i.id,
        cloud,
        provider: providerOf(cloud, i),
        pool: i.tags[TAG_POOL] ?? '',
        ...(i.tags[TAG_SERVER_ID] ? { serverId: i.tags[TAG_SERVER_ID] } : {}),
        zone: i.zone,
        alive: i.alive,
        running: i.running,
      })),
  );
}
