// The reconcile bench's world: OCI, GCP and Kasm emulators seeded with 50 pools, and a config
// file that points kasm-scale at them. Shared by the in-process bench (reconcile.bench.mjs)
// and the emulator host of the out-of-process one (emulator-host.mjs).
//
// 4 OCI providers (one compartment each) and 1 GCP provider (one project, one zone), each with
// 10 pools; every pool a Kasm zone with 40 × scale registered agents (4 cores, 16 GB) and
// 400 × scale sessions. Pools come in three kinds (by index, so both clouds get all three):
//   rush   (10): agents nearly full + 8 waiting sessions  → launches
//   drain  (10): 10 agents idle for 2 h, standby still met → idle terminations
//   steady (30): enough free capacity; one agent just went idle → an idle-since tag update
// Run after `npm run build`: it uses dist/.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startOciEmulator } = await import(dist('emulators/oci/index.js'));
const { startGcpEmulator } = await import(dist('emulators/gcp/index.js'));
const { gcpDemoServiceAccount } = await import(dist('simulate/builtin.js'));
const { emulatedGcpProvider, GCP_PROJECT } = await import(dist('simulate/builtin.js'));
const { startKasmEmulator } = await import(dist('emulators/kasm/index.js'));
const { inspectKey } = await import(dist('clouds/oci/key-inspect.js'));
const { ownershipTags, instanceName, TAG_IDLE_SINCE } = await import(dist('clouds/ownership.js'));
const { TAG_REGISTERED } = await import(dist('clouds/ownership.js'));

export const OCI_PROVIDERS = 4;
export const GCP_PROVIDERS = 1;
export const PROVIDERS = OCI_PROVIDERS + GCP_PROVIDERS;
export const POOLS_PER_PROVIDER = 10;
export const AGENTS_PER_POOL = 40;
export const SESSIONS_PER_POOL = 400;
export const PAGE_SIZE = 100; // the OCI emulator's default page (ListInstances)
export const GCP_PAGE_SIZE = 500; // aggregatedList's largest page (the adapter asks for maxResults 500)
export const CLOCK = Date.UTC(2025, 0, 6, 9, 0, 0);
const GCP_ZONE = 'us-central1-a';
const MB = 1024 * 1024;
const AD1 = 'Uocm:US-ASHBURN-AD-1';
const AD2 = 'Uocm:US-ASHBURN-AD-2';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaabench';
const USER = 'ocid1.user.oc1..aaaaaaaabench';
const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaabench';
const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaabench';
const compartment = (p) => `ocid1.compartment.oc1..aaaaaaaabench${p}`;
export const cloudOf = (p) => (p < OCI_PROVIDERS ? 'oci' : 'gcp');
const providerName = (p) => (p < OCI_PROVIDERS ? `oci-${p}` : `gcp-${p - OCI_PROVIDERS}`);
const hex32 = (n) => n.toString(16).padStart(32, '0');
// A server id whose first 12 digits (those in the instance name) differ: GCP names must be unique.
const serverIdOf = (n) => n.toString(16).padStart(12, '0').padEnd(32, '0');

/**
 * Starts the three emulators, seeds them at `scale` (agents and sessions per pool × scale)
 * and writes `<dir>/kasm-scale.json`. Latency is set by the caller (after seeding).
 */
export async function startWorld({ dir, scale = 1 }) {
  const agentsPerPool = AGENTS_PER_POOL * scale;
  const sessionsPerPool = SESSIONS_PER_POOL * scale;
  const now = () => CLOCK;
  const oci = await startOciEmulator({
    now,
    pageSize: PAGE_SIZE,
    seed: {
      availabilityDomains: [AD1, AD2],
      compartments: Array.from({ length: OCI_PROVIDERS }, (_, p) => ({
        id: compartment(p),
        name: `bench${p}`,
      })),
      images: [{ id: IMAGE }],
      subnets: [{ id: SUBNET }],
      shapes: [
        {
          shape: 'VM.Standard.E4.Flex',
          ocpus: 1,
          memoryInGBs: 16,
          isFlexible: true,
          ocpuOptions: { min: 1, max: 64 },
          memoryOptions: { minInGBs: 1, maxInGBs: 1024 },
        },
      ],
    },
  });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  oci.registerApiKey({ tenancy: TENANCY, user: USER }, publicPem);
  // Operations finish at once (operationDelayMs 0): the clock is frozen, so a wait could never end.
  const gcp = await startGcpEmulator({
    now,
    pageSize: GCP_PAGE_SIZE,
    operationDelayMs: 0,
    seed: { projects: [GCP_PROJECT] },
  });
  const gcpKey = gcpDemoServiceAccount(GCP_PROJECT);
  gcp.registerServiceAccount(gcpKey);
  const pools = Array.from({ length: PROVIDERS * POOLS_PER_PROVIDER }, (_, i) => {
    const p = Math.floor(i / POOLS_PER_PROVIDER);
    return {
      name: `pool-${String(i).padStart(2, '0')}`,
      zone: `zone-${String(i).padStart(2, '0')}`,
      provider: providerName(p),
      cloud: cloudOf(p),
      compartment: compartment(p),
      kind: i % 5 === 0 ? 'rush' : i % 5 === 1 ? 'drain' : 'steady',
    };
  });
  const kasm = await startKasmEmulator({
    now,
    apiKey: 'bench-key',
    apiKeySecret: 'bench-secret-0123456789',
    zones: pools.map((p) => p.zone),
  });

  // ---- seed: instances straight into the emulators' stores, agents and sessions into Kasm ----
  const created = CLOCK - 2 * 3600_000;
  const secs = (ms) => String(Math.floor(ms / 1000));
  let n = 0;
  const gcpSeed = [];
  for (const pool of pools) {
    const agents = [];
    for (let a = 0; a < agentsPerPool; a++) {
      const serverId = serverIdOf(++n);
      const idle = pool.kind === 'drain' && a >= agentsPerPool - 10 ? secs(created + 60_000) : undefined;
      const tags = {
        ...ownershipTags(pool.name, serverId),
        [TAG_REGISTERED]: secs(created + 60_000),
        ...(idle ? { [TAG_IDLE_SINCE]: idle } : {}),
      };
      const name = instanceName(pool.name, serverId);
      let id = name; // the GCP adapter's instance id is its name
      if (pool.cloud === 'oci') {
        id = `ocid1.instance.oc1.us-ashburn-1.bench${hex32(n)}`;
        const details = {
          compartmentId: pool.compartment,
          availabilityDomain: a % 2 ? AD2 : AD1,
          shape: 'VM.Standard.E4.Flex',
          shapeConfig: { ocpus: 2, memoryInGBs: 16 },
          displayName: name,
          sourceDetails: { sourceType: 'image', imageId: IMAGE },
          freeformTags: tags,
        };
        oci.stored.push({
          id,
          seq: n,
          details,
          freeformTags: { ...tags },
          definedTags: {},
          displayName: name,
          createdAt: created,
          runningAt: created + 60_000,
          version: 1,
          runningEmitted: true,
        });
      } else {
        gcpSeed.push({
          project: GCP_PROJECT,
          name,
          zone: GCP_ZONE,
          labels: tags,
          machineType: 'e2-standard-4',
          status: 'RUNNING',
          creationTimestamp: created,
        });
      }
      kasm.registerAgent({
        server_id: serverId,
        zone_name: pool.zone,
        cores: 4,
        memory: 16384 * MB,
        instance_id: id,
        provider: 'kasm-scale',
      });
      agents.push(serverId);
    }
    // Where the sessions go: rush fills every agent (0.4 cores each, 10 per agent) and leaves 8
    // waiting; drain keeps the last 10 agents empty; steady keeps the last agent empty (not yet tagged idle).
    const busy =
      pool.kind === 'drain' ? agents.slice(0, -10) : pool.kind === 'steady' ? agents.slice(0, -1) : agents;
    const waiting = pool.kind === 'rush' ? 8 : 0;
    const cores = pool.kind === 'rush' ? 0.4 : pool.kind === 'drain' ? 0.25 : 0.3;
    for (let k = 0; k < sessionsPerPool - waiting; k++)
      kasm.addSession({
        zone_name: pool.zone,
        cores,
        memory: 1024 * MB,
        operational_status: 'running',
        server_id: busy[k % busy.length],
      });
    for (let k = 0; k < waiting; k++)
      kasm.addSession({ zone_name: pool.zone, cores: 1, memory: 1024 * MB, operational_status: 'requested' });
  }
  oci.refresh();
  gcp.seedInstances(gcpSeed);

  const config = join(dir, 'kasm-scale.json');
  const maxInstances = agentsPerPool * POOLS_PER_PROVIDER + 80;
  const providerBase = {
    vm_provider_name: 'oci',
    max_instances: maxInstances,
    startup_script: '#!/bin/bash\necho "agent {server_id}"\n',
    oci_user_ocid: USER,
    oci_fingerprint: inspectKey(publicPem).fingerprint,
    oci_private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    oci_region: 'us-ashburn-1',
    oci_tenancy_ocid: TENANCY,
    oci_nsg_ocids: [],
    oci_availability_domains: [AD1, AD2],
    oci_image_ocid: IMAGE,
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_boot_volume_gb: 60,
    oci_custom_tags: {},
    oci_subnet_ocid: SUBNET,
    endpoint: oci.url,
  };
  // The demo's built-in GCP provider (same project, zone and paths), sized for the bench.
  const gcpBase = emulatedGcpProvider(gcpKey, {
    machineType: 'e2-standard-4',
    max_instances: maxInstances,
    endpoint: gcp.url,
  });
  const standby = { rush: 8, drain: 24, steady: 16 };
  writeFileSync(
    config,
    JSON.stringify({
      kasm: { url: kasm.url, api_key: kasm.apiKey, api_key_secret: kasm.apiKeySecret },
      providers: Array.from({ length: PROVIDERS }, (_, p) =>
        cloudOf(p) === 'oci'
          ? {
              ...providerBase,
              vm_provider_config_name: providerName(p),
              oci_compartment_ocid: compartment(p),
            }
          : { ...gcpBase, vm_provider_config_name: providerName(p) },
      ),
      autoscale: pools.map((p) => ({
        autoscale_config_name: p.name,
        vm_provider_config_name: p.provider,
        zone_name: p.zone,
        standby_cores: standby[p.kind],
      })),
    }),
    { mode: 0o600 },
  );

  // ---- count calls: Kasm counts its own; the cloud logs are capped, so count as they are written ----
  const countInto = (log, field) => {
    const calls = {};
    const push = log.push.bind(log);
    log.push = (...items) => {
      for (const r of items) calls[r[field]] = (calls[r[field]] ?? 0) + 1;
      return push(...items);
    };
    return calls;
  };
  const ociCalls = countInto(oci.requests, 'operation');
  const gcpCalls = countInto(gcp.requests, 'api');
  const kasmBefore = kasm.calls();
  return {
    config,
    pools,
    instances: PROVIDERS * POOLS_PER_PROVIDER * agentsPerPool,
    sessions: pools.length * sessionsPerPool,
    agentsPerPool,
    oci,
    gcp,
    kasm,
    /** The live counters (objects updated as calls arrive). */
    callCounters: { oci: ociCalls, gcp: gcpCalls },
    setLatency(ms) {
      for (const e of [oci, gcp, kasm]) e.setFault({ kind: 'latency', ms });
    },
    /** Calls so far, by cloud and operation (Kasm: since seeding). */
    calls() {
      const after = kasm.calls();
      const kasmCalls = {};
      for (const k of Object.keys(after))
        if (after[k] - (kasmBefore[k] ?? 0) > 0) kasmCalls[k] = after[k] - (kasmBefore[k] ?? 0);
      return { oci: { ...ociCalls }, gcp: { ...gcpCalls }, kasm: kasmCalls };
    },
    close: () => Promise.all([oci.close(), gcp.close(), kasm.close()]),
  };
}

/**
 * The critical path of a pass from the calls it made: rounds that must follow one another × latency.
 * Calls per action, in order (each waits for the one before):
 *   OCI launch: LaunchInstance per zone tried;  GCP launch: instances.insert per zone tried,
 *   then zoneOperations.wait until DONE, then instances.get;  terminate: get → delete;
 *   tag update: get → update (OCI UpdateInstance, GCP setLabels with the label fingerprint).
 * Providers are listed in parallel beside Kasm's 3 reads; actions run `concurrency` at a time.
 */
export function criticalPath(calls, { concurrency, latencyMs }) {
  const o = calls.oci;
  const g = calls.gcp;
  const v = (x) => x ?? 0;
  const ociLaunch = v(o.LaunchInstance);
  const gcpInsert = v(g['instances.insert']);
  const gcpWait = v(g['zoneOperations.wait']);
  const terminations = v(o.TerminateInstance) + v(g['instances.delete']);
  const tagUpdates = v(o.UpdateInstance) + v(g['instances.setLabels']);
  // instances.get serves GCP launches (after the insert) as well as terminations and relabels.
  const gcpLaunchGets = Math.max(
    0,
    v(g['instances.get']) - v(g['instances.delete']) - v(g['instances.setLabels']),
  );
  const actionCalls = ociLaunch + gcpInsert + gcpWait + gcpLaunchGets + 2 * terminations;
  const gcpLaunchChain = gcpInsert ? 2 + Math.ceil(gcpWait / gcpInsert) : 0;
  const longestChain = Math.max(ociLaunch ? 1 : 0, gcpLaunchChain, terminations ? 2 : 0);
  const actionRounds = actionCalls ? Math.max(longestChain, Math.ceil(actionCalls / concurrency)) : 0;
  const tagRounds = tagUpdates ? Math.max(2, Math.ceil((2 * tagUpdates) / concurrency)) : 0;
  const ociPages = Math.ceil(v(o.ListInstances) / OCI_PROVIDERS);
  const gcpPages = Math.ceil(v(g['instances.aggregatedList']) / GCP_PROVIDERS);
  const observeRounds = Math.max(1, ociPages, gcpPages);
  const rounds = observeRounds + actionRounds + tagRounds;
  return {
    observeRounds,
    actionRounds,
    tagRounds,
    rounds,
    ms: rounds * latencyMs,
    launches: ociLaunch + gcpInsert,
    terminations,
    tagUpdates,
  };
}
