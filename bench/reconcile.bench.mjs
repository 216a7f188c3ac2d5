// One reconcile pass over 50 pools, 2,000 instances and 20,000 sessions against the OCI, GCP and
// Kasm emulators (in-process) with 50 ms latency on every API call. Reports, never asserts:
//   wall time / critical path (dependent rounds × latency), API calls per pool (per cloud),
//   MB per 1,000 instances.
// Run after `npm run build` (npm run bench does both); it uses dist/.
//
// World: 4 OCI providers (one compartment each) and 1 GCP provider (one project, one zone),
// each with 10 pools and 400 instances; every pool a Kasm zone with 40 registered agents
// (4 cores, 16 GB) and 400 sessions. Pools come in three kinds (by index, so both clouds get all three):
//   rush   (10): agents nearly full + 8 waiting sessions  → launches
//   drain  (10): 10 agents idle for 2 h, standby still met → idle terminations
//   steady (30): enough free capacity; one agent just went idle → an idle-since tag update
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startOciEmulator } = await import(dist('emulators/oci/index.js'));
const { startGcpEmulator } = await import(dist('emulators/gcp/index.js'));
const { gcpDemoServiceAccount } = await import(dist('simulate/credentials.js'));
const { emulatedGcpProvider, GCP_PROJECT } = await import(dist('simulate/builtin.js'));
const { startKasmEmulator } = await import(dist('emulators/kasm/index.js'));
const { inspectKey } = await import(dist('keys/inspect.js'));
const { ownershipTags, instanceName, TAG_IDLE_SINCE } = await import(dist('clouds/ownership.js'));
const { TAG_REGISTERED } = await import(dist('scaling/tags.js'));
const { loadConfig } = await import(dist('config/load.js'));
const { runPass } = await import(dist('scaling/reconcile.js'));
const { DEFAULT_CONCURRENCY } = await import(dist('scaling/command.js'));
const { createOutput } = await import(dist('cli/output.js'));

const LATENCY_MS = 50;
const OCI_PROVIDERS = 4;
const GCP_PROVIDERS = 1;
const PROVIDERS = OCI_PROVIDERS + GCP_PROVIDERS;
const POOLS_PER_PROVIDER = 10;
const AGENTS_PER_POOL = 40;
const SESSIONS_PER_POOL = 400;
const PAGE_SIZE = 100; // the OCI emulator's default page (ListInstances)
const GCP_PAGE_SIZE = 500; // aggregatedList's largest page (the adapter asks for maxResults 500)
const GCP_ZONE = 'us-central1-a';
const MB = 1024 * 1024;
const AD1 = 'Uocm:US-ASHBURN-AD-1';
const AD2 = 'Uocm:US-ASHBURN-AD-2';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaabench';
const USER = 'ocid1.user.oc1..aaaaaaaabench';
const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaabench';
const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaabench';
const compartment = (p) => `ocid1.compartment.oc1..aaaaaaaabench${p}`;
const cloudOf = (p) => (p < OCI_PROVIDERS ? 'oci' : 'gcp');
const providerName = (p) => (p < OCI_PROVIDERS ? `oci-${p}` : `gcp-${p - OCI_PROVIDERS}`);
const hex32 = (n) => n.toString(16).padStart(32, '0');
// A server id whose first 12 digits (those in the instance name) differ: GCP names must be unique.
const serverIdOf = (n) => n.toString(16).padStart(12, '0').padEnd(32, '0');

const clock = Date.UTC(2025, 0, 6, 9, 0, 0);
const now = () => clock;
const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
const oci = await startOciEmulator({
  now,
  pageSize: PAGE_SIZE,
  seed: {
    availabilityDomains: [AD1, AD2],
    compartments: Array.from({ length: OCI_PROVIDERS }, (_, p) => ({ id: compartment(p), name: `bench${p}` })),
    images: [{ id: IMAGE }],
    subnets: [{ id: SUBNET }],
    shapes: [{ shape: 'VM.Standard.E4.Flex', ocpus: 1, memoryInGBs: 16, isFlexible: true, ocpuOptions: { min: 1, max: 64 }, memoryOptions: { minInGBs: 1, maxInGBs: 1024 } }],
  },
});
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
oci.registerApiKey({ tenancy: TENANCY, user: USER }, publicPem);
// Operations finish at once (operationDelayMs 0): the clock is frozen, so a wait could never end.
const gcp = await startGcpEmulator({ now, pageSize: GCP_PAGE_SIZE, operationDelayMs: 0, seed: { projects: [GCP_PROJECT] } });
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
const kasm = await startKasmEmulator({ now, apiKey: 'bench-key', apiKeySecret: 'bench-secret-0123456789', zones: pools.map((p) => p.zone) });

try {
  // ---- seed: instances straight into the emulators' stores, agents and sessions into Kasm ----
  const created = clock - 2 * 3600_000;
  const secs = (ms) => String(Math.floor(ms / 1000));
  let n = 0;
  const gcpSeed = [];
  for (const pool of pools) {
    const agents = [];
    for (let a = 0; a < AGENTS_PER_POOL; a++) {
      const serverId = serverIdOf(++n);
      const idle = (pool.kind === 'drain' && a >= AGENTS_PER_POOL - 10) ? secs(created + 60_000) : undefined;
      const tags = { ...ownershipTags(pool.name, serverId), [TAG_REGISTERED]: secs(created + 60_000), ...(idle ? { [TAG_IDLE_SINCE]: idle } : {}) };
      const name = instanceName(pool.name, serverId);
      let id = name; // the GCP adapter's instance id is its name
      if (pool.cloud === 'oci') {
        id = `ocid1.instance.oc1.us-ashburn-1.bench${hex32(n)}`;
        const details = { compartmentId: pool.compartment, availabilityDomain: a % 2 ? AD2 : AD1, shape: 'VM.Standard.E4.Flex', shapeConfig: { ocpus: 2, memoryInGBs: 16 }, displayName: name, sourceDetails: { sourceType: 'image', imageId: IMAGE }, freeformTags: tags };
        oci.stored.push({ id, seq: n, details, freeformTags: { ...tags }, definedTags: {}, displayName: name, createdAt: created, runningAt: created + 60_000, version: 1, runningEmitted: true });
      } else {
        gcpSeed.push({ project: GCP_PROJECT, name, zone: GCP_ZONE, labels: tags, machineType: 'e2-standard-4', status: 'RUNNING', creationTimestamp: created });
      }
      kasm.registerAgent({ server_id: serverId, zone_name: pool.zone, cores: 4, memory: 16384 * MB, instance_id: id, provider: 'kasm-scale' });
      agents.push(serverId);
    }
    // Where the sessions go: rush fills every agent (392 × 0.4 cores) and leaves 8 waiting;
    // drain keeps the last 10 agents empty; steady keeps the last agent empty (not yet tagged idle).
    const busy = pool.kind === 'drain' ? agents.slice(0, -10) : pool.kind === 'steady' ? agents.slice(0, -1) : agents;
    const waiting = pool.kind === 'rush' ? 8 : 0;
    const cores = pool.kind === 'rush' ? 0.4 : pool.kind === 'drain' ? 0.25 : 0.3;
    for (let k = 0; k < SESSIONS_PER_POOL - waiting; k++) kasm.addSession({ zone_name: pool.zone, cores, memory: 1024 * MB, operational_status: 'running', server_id: busy[k % busy.length] });
    for (let k = 0; k < waiting; k++) kasm.addSession({ zone_name: pool.zone, cores: 1, memory: 1024 * MB, operational_status: 'requested' });
  }
  oci.refresh();
  gcp.seedInstances(gcpSeed);

  const config = join(dir, 'kasm-scale.json');
  const providerBase = {
    vm_provider_name: 'oci',
    max_instances: AGENTS_PER_POOL * POOLS_PER_PROVIDER + 80,
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
  const gcpBase = emulatedGcpProvider(gcpKey, { machineType: 'e2-standard-4', max_instances: AGENTS_PER_POOL * POOLS_PER_PROVIDER + 80, endpoint: gcp.url });
  const standby = { rush: 8, drain: 24, steady: 16 };
  writeFileSync(
    config,
    JSON.stringify({
      kasm: { url: kasm.url, api_key: kasm.apiKey, api_key_secret: kasm.apiKeySecret },
      providers: Array.from({ length: PROVIDERS }, (_, p) =>
        cloudOf(p) === 'oci' ? { ...providerBase, vm_provider_config_name: providerName(p), oci_compartment_ocid: compartment(p) } : { ...gcpBase, vm_provider_config_name: providerName(p) },
      ),
      autoscale: pools.map((p) => ({ autoscale_config_name: p.name, vm_provider_config_name: p.provider, zone_name: p.zone, standby_cores: standby[p.kind] })),
    }),
    { mode: 0o600 },
  );
  const cfg = await loadConfig(config);

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
  oci.setFault({ kind: 'latency', ms: LATENCY_MS });
  gcp.setFault({ kind: 'latency', ms: LATENCY_MS });
  kasm.setFault({ kind: 'latency', ms: LATENCY_MS });
  const kasmBefore = kasm.calls();

  // The SDKs' first import is a one-time cost per process (see startup.bench.mjs): taken
  // here, before the clock starts, and printed apart.
  const tImport = process.hrtime.bigint();
  await import(dist('clouds/oci/adapter.js'));
  const ociImportMs = Number(process.hrtime.bigint() - tImport) / 1e6;
  const tImportGcp = process.hrtime.bigint();
  await import(dist('clouds/gcp/adapter.js'));
  await (await import(dist('clouds/gcp/load.js'))).loadGcpClients('InstancesClient', 'ZoneOperationsClient', 'MachineTypesClient');
  const gcpImportMs = Number(process.hrtime.bigint() - tImportGcp) / 1e6;

  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const out = createOutput({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' } });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await runPass({ config: cfg, dryRun: false, stateDir: join(dir, 'state'), concurrency: DEFAULT_CONCURRENCY, now: new Date(clock), out });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  clearInterval(sampler);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  // ---- the critical path: rounds that must follow one another, × latency ----
  // Calls per action, in order (each waits for the one before):
  //   OCI launch: LaunchInstance per zone tried;  GCP launch: instances.insert per zone tried,
  //   then zoneOperations.wait until DONE (none here: the emulator's operations finish at once;
  //   counted from its log all the same), then instances.get;  terminate: get → delete;
  //   tag update: get → update (OCI UpdateInstance, GCP setLabels with the label fingerprint).
  const C = DEFAULT_CONCURRENCY;
  const cloudOfProvider = Object.fromEntries(pools.map((p) => [p.provider, p.cloud]));
  const perCloud = (cloud) => {
    const rs = result.results.filter((r) => cloudOfProvider[r.action.provider] === cloud);
    const launches = rs.filter((r) => r.action.kind === 'launch');
    const attempts = launches.reduce((s, r) => s + Math.max(1, (r.zonesTried?.length ?? 0) + (r.status === 'done' ? 1 : 0)), 0);
    const done = launches.filter((r) => r.status === 'done').length;
    const terminations = rs.filter((r) => r.action.kind === 'terminate').length;
    const tagUpdates = result.plan.pools.filter((p) => pools.find((x) => x.name === p.pool)?.cloud === cloud).reduce((s, p) => s + p.tagUpdates.length, 0);
    return { launches: launches.length, attempts, done, terminations, tagUpdates };
  };
  const o = perCloud('oci');
  const g = perCloud('gcp');
  const gcpWaits = gcpCalls['zoneOperations.wait'] ?? 0;
  const ociLaunchCalls = o.attempts;
  const gcpLaunchCalls = g.attempts + gcpWaits + g.done;
  const launchCalls = ociLaunchCalls + gcpLaunchCalls;
  const terminations = o.terminations + g.terminations;
  const tagUpdates = o.tagUpdates + g.tagUpdates;
  const actionCalls = launchCalls + 2 * terminations;
  // The longest single chain bounds the action rounds from below, as ⌈calls / C⌉ does.
  const gcpLaunchChain = g.launches ? 2 + Math.ceil(gcpWaits / g.launches) : 0;
  const longestChain = Math.max(o.launches ? 1 : 0, gcpLaunchChain, terminations ? 2 : 0);
  const actionRounds = actionCalls ? Math.max(longestChain, Math.ceil(actionCalls / C)) : 0;
  const tagRounds = tagUpdates ? Math.max(2, Math.ceil((2 * tagUpdates) / C)) : 0;
  const instancesPerProvider = AGENTS_PER_POOL * POOLS_PER_PROVIDER;
  const ociPages = Math.ceil(instancesPerProvider / PAGE_SIZE);
  const gcpPages = Math.ceil(instancesPerProvider / GCP_PAGE_SIZE); // machineTypes.get runs beside the first page
  // Providers are listed in parallel (5 ≤ C) beside Kasm's 3 reads (one round).
  const observeRounds = Math.max(1, ociPages, gcpPages);
  const rounds = observeRounds + actionRounds + tagRounds;
  const criticalMs = rounds * LATENCY_MS;

  const kasmAfter = kasm.calls();
  const kasmCalls = Object.keys(kasmAfter).reduce((s, k) => s + kasmAfter[k] - (kasmBefore[k] ?? 0), 0);
  const sum = (o) => Object.values(o).reduce((s, v) => s + v, 0);
  const ociTotal = sum(ociCalls);
  const gcpTotal = sum(gcpCalls);
  const ociExpected = OCI_PROVIDERS * ociPages + ociLaunchCalls + 2 * o.terminations + 2 * o.tagUpdates;
  const gcpExpected = GCP_PROVIDERS * (gcpPages + 1) + gcpLaunchCalls + 2 * g.terminations + 2 * g.tagUpdates;
  const expectedCalls = 3 + ociExpected + gcpExpected;
  const allCalls = kasmCalls + ociTotal + gcpTotal;
  const ociPools = pools.filter((p) => p.cloud === 'oci').length;
  const gcpPools = pools.length - ociPools;
  const instances = PROVIDERS * POOLS_PER_PROVIDER * AGENTS_PER_POOL;
  const sessions = pools.length * SESSIONS_PER_POOL;
  const f = (x, d = 2) => x.toFixed(d);
  const w = (s) => process.stdout.write(`${s}\n`);
  const acts = (c) => `${c.launches} launch(es), ${c.terminations} termination(s), ${c.tagUpdates} tag update(s)`;

  w(`\nreconcile: one pass, ${pools.length} pools (${ociPools} OCI on ${OCI_PROVIDERS} providers, ${gcpPools} GCP on ${GCP_PROVIDERS}), ${instances} instances, ${sessions} sessions, ${LATENCY_MS} ms latency per call, concurrency ${C}`);
  w(`  actions: OCI ${acts(o)}; GCP ${acts(g)}; results ${JSON.stringify(countBy(result.results.map((r) => `${r.action.kind}:${r.status}`)))}`);
  w(`  critical path = [max(1 Kasm round, OCI ceil(${instancesPerProvider}/${PAGE_SIZE}) = ${ociPages} ListInstances pages, GCP ceil(${instancesPerProvider}/${GCP_PAGE_SIZE}) = ${gcpPages} aggregatedList page(s))`);
  w(`                  + max(longest chain ${longestChain}, ceil((OCI launches ${ociLaunchCalls} + GCP launches ${g.attempts} insert + ${gcpWaits} wait + ${g.done} get + 2 × terminations ${terminations}) / ${C}))`);
  w(`                  + max(2, ceil(2 × tag updates ${tagUpdates} / ${C}))] × ${LATENCY_MS} ms`);
  w(`                = (${observeRounds} + ${actionRounds} + ${tagRounds}) rounds × ${LATENCY_MS} ms = ${criticalMs} ms`);
  w(`  wall time of the pass ${f(wallMs, 0)} ms   ratio wall / critical path: ${f(wallMs / criticalMs)}`);
  w(`  API calls ${allCalls} (formula expects ${expectedCalls}), calls per pool ${f(allCalls / pools.length)}:`);
  w(`    Kasm ${kasmCalls} (${f(kasmCalls / pools.length)} per pool, shared by all)`);
  w(`    OCI  ${ociTotal} (expects ${ociExpected}; ${f(ociTotal / ociPools)} per OCI pool): ${JSON.stringify(ociCalls)}`);
  w(`    GCP  ${gcpTotal} (expects ${gcpExpected}; ${f(gcpTotal / gcpPools)} per GCP pool): ${JSON.stringify(gcpCalls)}`);
  w(`  peak RSS ${f(maxRssMb, 0)} MB (RSS ${f(rssBefore / MB, 0)} MB before the pass, emulators and their 2,000 instances + 20,000 sessions included), peak heap during the pass ${f(heapPeak / MB, 0)} MB`);
  w(`  MB per 1,000 instances: ${f(maxRssMb / (instances / 1000), 1)} (peak RSS), ${f((maxRssMb - rssBefore / MB) / (instances / 1000), 1)} (growth during the pass)`);
  w(`  CPU during the pass ${f(cpuMs, 0)} ms = ${f(cpuMs / wallMs)} of the wall time (client AND emulators: this process signs every OCI request and GCP token,`);
  w('  verifies them, and builds the emulators\' answers, e.g. 20,000 session rows for get_kasms); SDK first import before the pass: ' + `OCI ${f(ociImportMs, 0)} ms, GCP ${f(gcpImportMs, 0)} ms (not in the wall time)`);
} finally {
  await Promise.all([oci.close(), gcp.close(), kasm.close()]);
  rmSync(dir, { recursive: true, force: true });
}

function countBy(xs) {
  const o = {};
  for (const x of xs) o[x] = (o[x] ?? 0) + 1;
  return o;
}
