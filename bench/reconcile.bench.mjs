// One reconcile pass over 50 pools, 2,000 instances and 20,000 sessions against the OCI and
// Kasm emulators (in-process) with 50 ms latency on every API call. Reports, never asserts:
//   wall time / critical path (dependent rounds × latency), API calls per pool, MB per 1,000 instances.
// Run after `npm run build` (npm run bench does both); it uses dist/.
//
// World: 5 OCI providers (one compartment each, 400 instances, 10 pools each), every pool a Kasm
// zone with 40 registered agents (4 cores, 16 GB) and 400 sessions. Pools come in three kinds:
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
const { startKasmEmulator } = await import(dist('emulators/kasm/index.js'));
const { inspectKey } = await import(dist('keys/inspect.js'));
const { ownershipTags, instanceName, TAG_IDLE_SINCE } = await import(dist('clouds/ownership.js'));
const { TAG_REGISTERED } = await import(dist('scaling/tags.js'));
const { loadConfig } = await import(dist('config/load.js'));
const { runPass } = await import(dist('scaling/reconcile.js'));
const { DEFAULT_CONCURRENCY } = await import(dist('scaling/command.js'));
const { createOutput } = await import(dist('cli/output.js'));

const LATENCY_MS = 50;
const PROVIDERS = 5;
const POOLS_PER_PROVIDER = 10;
const AGENTS_PER_POOL = 40;
const SESSIONS_PER_POOL = 400;
const PAGE_SIZE = 100; // the OCI emulator's default page (ListInstances)
const MB = 1024 * 1024;
const AD1 = 'Uocm:US-ASHBURN-AD-1';
const AD2 = 'Uocm:US-ASHBURN-AD-2';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaabench';
const USER = 'ocid1.user.oc1..aaaaaaaabench';
const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaabench';
const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaabench';
const compartment = (p) => `ocid1.compartment.oc1..aaaaaaaabench${p}`;
const hex32 = (n) => n.toString(16).padStart(32, '0');

const clock = Date.UTC(2025, 0, 6, 9, 0, 0);
const now = () => clock;
const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
const oci = await startOciEmulator({
  now,
  pageSize: PAGE_SIZE,
  seed: {
    availabilityDomains: [AD1, AD2],
    compartments: Array.from({ length: PROVIDERS }, (_, p) => ({ id: compartment(p), name: `bench${p}` })),
    images: [{ id: IMAGE }],
    subnets: [{ id: SUBNET }],
    shapes: [{ shape: 'VM.Standard.E4.Flex', ocpus: 1, memoryInGBs: 16, isFlexible: true, ocpuOptions: { min: 1, max: 64 }, memoryOptions: { minInGBs: 1, maxInGBs: 1024 } }],
  },
});
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
oci.registerApiKey({ tenancy: TENANCY, user: USER }, publicPem);
const pools = Array.from({ length: PROVIDERS * POOLS_PER_PROVIDER }, (_, i) => ({
  name: `pool-${String(i).padStart(2, '0')}`,
  zone: `zone-${String(i).padStart(2, '0')}`,
  provider: `oci-${Math.floor(i / POOLS_PER_PROVIDER)}`,
  compartment: compartment(Math.floor(i / POOLS_PER_PROVIDER)),
  kind: i % 5 === 0 ? 'rush' : i % 5 === 1 ? 'drain' : 'steady',
}));
const kasm = await startKasmEmulator({ now, apiKey: 'bench-key', apiKeySecret: 'bench-secret-0123456789', zones: pools.map((p) => p.zone) });

try {
  // ---- seed: instances straight into the emulator's store, agents and sessions into Kasm ----
  const created = clock - 2 * 3600_000;
  const secs = (ms) => String(Math.floor(ms / 1000));
  let n = 0;
  for (const pool of pools) {
    const agents = [];
    for (let a = 0; a < AGENTS_PER_POOL; a++) {
      const serverId = hex32(++n);
      const idle = (pool.kind === 'drain' && a >= AGENTS_PER_POOL - 10) ? secs(created + 60_000) : undefined;
      const tags = { ...ownershipTags(pool.name, serverId), [TAG_REGISTERED]: secs(created + 60_000), ...(idle ? { [TAG_IDLE_SINCE]: idle } : {}) };
      const id = `ocid1.instance.oc1.us-ashburn-1.bench${hex32(n)}`;
      const name = instanceName(pool.name, serverId);
      const details = { compartmentId: pool.compartment, availabilityDomain: a % 2 ? AD2 : AD1, shape: 'VM.Standard.E4.Flex', shapeConfig: { ocpus: 2, memoryInGBs: 16 }, displayName: name, sourceDetails: { sourceType: 'image', imageId: IMAGE }, freeformTags: tags };
      oci.stored.push({ id, seq: n, details, freeformTags: { ...tags }, definedTags: {}, displayName: name, createdAt: created, runningAt: created + 60_000, version: 1, runningEmitted: true });
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
  const standby = { rush: 8, drain: 24, steady: 16 };
  writeFileSync(
    config,
    JSON.stringify({
      kasm: { url: kasm.url, api_key: kasm.apiKey, api_key_secret: kasm.apiKeySecret },
      providers: Array.from({ length: PROVIDERS }, (_, p) => ({ ...providerBase, vm_provider_config_name: `oci-${p}`, oci_compartment_ocid: compartment(p) })),
      autoscale: pools.map((p) => ({ autoscale_config_name: p.name, vm_provider_config_name: p.provider, zone_name: p.zone, standby_cores: standby[p.kind] })),
    }),
    { mode: 0o600 },
  );
  const cfg = await loadConfig(config);

  // ---- count calls: Kasm counts its own; the OCI log is capped, so count as it is written ----
  const ociCalls = {};
  const log = oci.requests;
  const push = log.push.bind(log);
  log.push = (...items) => {
    for (const r of items) ociCalls[r.operation] = (ociCalls[r.operation] ?? 0) + 1;
    return push(...items);
  };
  oci.setFault({ kind: 'latency', ms: LATENCY_MS });
  kasm.setFault({ kind: 'latency', ms: LATENCY_MS });
  const kasmBefore = kasm.calls();

  // The OCI SDK's first import is a one-time cost per process (see startup.bench.mjs): taken
  // here, before the clock starts, and printed apart.
  const tImport = process.hrtime.bigint();
  await import(dist('clouds/oci/adapter.js'));
  const importMs = Number(process.hrtime.bigint() - tImport) / 1e6;

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
  const C = DEFAULT_CONCURRENCY;
  const perProvider = Math.ceil((AGENTS_PER_POOL * POOLS_PER_PROVIDER) / PAGE_SIZE);
  const observeRounds = Math.max(1, perProvider); // Kasm's 3 reads in parallel = 1 round, beside the providers' pages (providers listed in parallel, ≤ C)
  const launchCalls = result.results.filter((r) => r.action.kind === 'launch').reduce((s, r) => s + Math.max(1, (r.zonesTried?.length ?? 0) + (r.status === 'done' ? 1 : 0)), 0);
  const terminations = result.results.filter((r) => r.action.kind === 'terminate').length;
  const tagUpdates = result.plan.pools.reduce((s, p) => s + p.tagUpdates.length, 0);
  const actionCalls = launchCalls + 2 * terminations; // launch: LaunchInstance; terminate: GetInstance → TerminateInstance
  const actionRounds = actionCalls ? Math.max(terminations ? 2 : 1, Math.ceil(actionCalls / C)) : 0;
  const tagRounds = tagUpdates ? Math.max(2, Math.ceil((2 * tagUpdates) / C)) : 0; // GetInstance → UpdateInstance each
  const rounds = observeRounds + actionRounds + tagRounds;
  const criticalMs = rounds * LATENCY_MS;

  const kasmAfter = kasm.calls();
  const kasmCalls = Object.keys(kasmAfter).reduce((s, k) => s + kasmAfter[k] - (kasmBefore[k] ?? 0), 0);
  const ociTotal = Object.values(ociCalls).reduce((s, v) => s + v, 0);
  const expectedCalls = 3 + PROVIDERS * perProvider + actionCalls + 2 * tagUpdates;
  const instances = PROVIDERS * POOLS_PER_PROVIDER * AGENTS_PER_POOL;
  const sessions = pools.length * SESSIONS_PER_POOL;
  const f = (x, d = 2) => x.toFixed(d);
  const w = (s) => process.stdout.write(`${s}\n`);

  w(`\nreconcile: one pass, ${pools.length} pools, ${instances} instances, ${sessions} sessions, ${LATENCY_MS} ms latency per call, concurrency ${C}`);
  w(`  actions: ${launchCalls} launch call(s), ${terminations} termination(s), ${tagUpdates} tag update(s); results ${JSON.stringify(countBy(result.results.map((r) => `${r.action.kind}:${r.status}`)))}`);
  w(`  critical path = [max(1 Kasm round, ceil(${AGENTS_PER_POOL * POOLS_PER_PROVIDER}/${PAGE_SIZE}) = ${perProvider} list pages per provider)`);
  w(`                  + max(2, ceil((launches ${launchCalls} + 2 × terminations ${terminations}) / ${C}))`);
  w(`                  + max(2, ceil(2 × tag updates ${tagUpdates} / ${C}))] × ${LATENCY_MS} ms`);
  w(`                = (${observeRounds} + ${actionRounds} + ${tagRounds}) rounds × ${LATENCY_MS} ms = ${criticalMs} ms`);
  w(`  wall time of the pass ${f(wallMs, 0)} ms   ratio wall / critical path: ${f(wallMs / criticalMs)}`);
  w(`  API calls ${kasmCalls + ociTotal} (Kasm ${kasmCalls}, OCI ${ociTotal}: ${JSON.stringify(ociCalls)}; formula expects ${expectedCalls})   calls per pool: ${f((kasmCalls + ociTotal) / pools.length)}`);
  w(`  peak RSS ${f(maxRssMb, 0)} MB (RSS ${f(rssBefore / MB, 0)} MB before the pass, emulators and their 2,000 instances + 20,000 sessions included), peak heap during the pass ${f(heapPeak / MB, 0)} MB`);
  w(`  MB per 1,000 instances: ${f(maxRssMb / (instances / 1000), 1)} (peak RSS), ${f((maxRssMb - rssBefore / MB) / (instances / 1000), 1)} (growth during the pass)`);
  w(`  CPU during the pass ${f(cpuMs, 0)} ms = ${f(cpuMs / wallMs)} of the wall time (client AND emulators: this process signs every OCI request and also`);
  w('  builds the emulators\' answers, e.g. 20,000 session rows for get_kasms); SDK first import before the pass: ' + `${f(importMs, 0)} ms (not in the wall time)`);
} finally {
  await Promise.all([oci.close(), kasm.close()]);
  rmSync(dir, { recursive: true, force: true });
}

function countBy(xs) {
  const o = {};
  for (const x of xs) o[x] = (o[x] ?? 0) + 1;
  return o;
}
