/**
 * Our instances in the simulated clouds as one list: which pool and which provider each
 * came from, and whether it is billed (alive) and preemptible-now (running). A pool with a
 * chain of providers launches on several of them; the instance says which by what it is
 * (its AD or zone, and whether it is spot capacity), as the provider configs describe it.
 */
import { isOwned, poolLabel, TAG_POOL, TAG_SERVER_ID } from '../clouds/ownership.js';
import type { GcpProvider, KasmScaleConfig, OciProvider, Provider } from '../config/types.js';
import type { GcpEmulator } from '../emulators/gcp/index.js';
import type { OciEmulator } from '../emulators/oci/index.js';

export interface OwnedInstance {
  id: string;
  cloud: 'oci' | 'gcp';
  /** The vm_provider_config_name it was launched from. */
  provider: string;
  pool: string;
  serverId?: string;
  /** GCP: where the instance is (preemption names it by project, zone and name). */
  zone?: string;
  project?: string;
  /** Not terminated: billed. */
  alive: boolean;
  /** Booted (RUNNING): what a preemption can take. */
  running: boolean;
}

/** An instance as the emulator's API shows it (OCI Instance / GCP Instance JSON). */
type Json = Record<string, unknown> & { scheduling?: { provisioningModel?: string; preemptible?: boolean } };
const isSpot = (p: Provider) => Boolean((p as { spot?: boolean }).spot);
const last = (ref: unknown) =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

/** Does this instance look like one this provider launches? One entry per cloud. */
const FITS: {
  oci: (p: OciProvider, i: Json) => boolean;
  gcp: (p: GcpProvider, i: Json) => boolean;
} = {
  oci: (p, i) =>
    p.oci_availability_domains.includes(String(i.availabilityDomain)) &&
    isSpot(p) === Boolean(i.preemptibleInstanceConfig),
  gcp: (p, i) =>
    last(i.zone) === p.gcp_zone &&
    isSpot(p) === (i.scheduling?.provisioningModel === 'SPOT' || i.scheduling?.preemptible === true),
};

/** The pool's providers in chain order (the single vm_provider_config_name is a chain of one). */
export function chainOf(pool: KasmScaleConfig['autoscale'][number]): string[] {
  const names = (pool as { vm_provider_config_names?: string[] }).vm_provider_config_names;
  return names?.length ? names : [pool.vm_provider_config_name];
}

export function ownedInstances(
  config: KasmScaleConfig,
  oci?: OciEmulator,
  gcp?: GcpEmulator,
): OwnedInstance[] {
  const pools = new Map(config.autoscale.map((a) => [poolLabel(a.autoscale_config_name), a]));
  const providers = new Map(config.providers.map((p) => [p.vm_provider_config_name, p]));
  const providerOf = (cloud: OwnedInstance['cloud'], tags: Record<string, string>, i: Json): string => {
    const pool = pools.get(tags[TAG_POOL] ?? '');
    if (!pool) return '?';
    const chain = chainOf(pool);
    const fit = chain.find((name) => {
      const p = providers.get(name);
      return p?.vm_provider_name === cloud && (FITS[cloud] as (p: Provider, i: Json) => boolean)(p, i);
    });
    return fit ?? chain[0];
  };
  const one = (
    cloud: OwnedInstance['cloud'],
    id: string,
    tags: Record<string, string>,
    state: string,
    i: Json,
  ) => ({
    id,
    cloud,
    provider: providerOf(cloud, tags, i),
    pool: tags[TAG_POOL] ?? '',
    ...(tags[TAG_SERVER_ID] ? { serverId: tags[TAG_SERVER_ID] } : {}),
    alive: state !== 'TERMINATED',
    running: state === 'RUNNING',
  });
  return [
    ...(oci?.instances ?? [])
      .filter((i) => isOwned(i.freeformTags))
      .map((i) => one('oci', String(i.id), i.freeformTags, String(i.lifecycleState), i)),
    ...(gcp?.instances() ?? [])
      .filter((i) => isOwned(i.labels as Record<string, string>))
      .map((i) => ({
        ...one('gcp', String(i.name), i.labels as Record<string, string>, String(i.status), i),
        zone: last(i.zone),
        project: i.project,
      })),
  ];
}
