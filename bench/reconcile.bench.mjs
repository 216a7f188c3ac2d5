// One reconcile pass over 50 pools, 2,000 instances and 20,000 sessions against the OCI, GCP and
// Kasm emulators (in-process) with 50 ms latency on every API call. Reports, never asserts:
//   wall time / critical path (dependent rounds × latency), API calls per pool (per cloud),
//   MB per 1,000 instances.
// Run after `npm run build` (npm run bench does both); it uses dist/.
//
// The world (4 OCI providers and 1 GCP provider, 10 pools each, rush/drain/steady pools) is
// described in world.mjs. bench/reconcile-oop.bench.mjs measures the same pass as a user runs
// it (emulators and CLI in separate processes): prefer it for the client's own CPU and memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  AGENTS_PER_POOL,
  GCP_PAGE_SIZE,
  GCP_PROVIDERS,
  OCI_PROVIDERS,
  PAGE_SIZE,
  POOLS_PER_PROVIDER,
  PROVIDERS,
  SESSIONS_PER_POOL,
  CLOCK,
  startWorld,
} from './world.mjs';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { loadConfig } = await import(dist('config/load.js'));
const { runPass } = await import(dist('scaling/reconcile.js'));
const { DEFAULT_CONCURRENCY } = await import(dist('scaling/pass-options.js'));
const { createOutput } = await import(dist('core/output.js'));

const LATENCY_MS = 50;
const MB = 1024 * 1024;
const clock = CLOCK;
const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
// The world (emulators, seeded stores, config file) is shared with the out-of-process bench.
const world = await startWorld({ dir });
const { oci, gcp, kasm, pools, config } = world;

try {
  const cfg = await loadConfig(config);

  const { oci: ociCalls, gcp: gcpCalls } = world.callCounters;
  world.setLatency(LATENCY_MS);
  const kasmBefore = kasm.calls();

  // The SDKs' first import is a one-time cost per process (see startup.bench.mjs): taken
  // here, before the clock starts, and printed apart.
  const tImport = process.hrtime.bigint();
  await import(dist('clouds/oci/adapter.js'));
  const ociImportMs = Number(process.hrtime.bigint() - tImport) / 1e6;
  const tImportGcp = process.hrtime.bigint();
  await import(dist('clouds/gcp/adapter.js'));
  await (
    await import(dist('clouds/gcp/load.js'))
  ).loadGcpClients('InstancesClient', 'ZoneOperationsClient', 'MachineTypesClient');
  const gcpImportMs = Number(process.hrtime.bigint() - tImportGcp) / 1e6;

  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const out = createOutput({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' } });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await runPass({
    config: cfg,
    dryRun: false,
    stateDir: join(dir, 'state'),
    concurrency: DEFAULT_CONCURRENCY,
    now: new Date(clock),
    out,
  });
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
    const attempts = launches.reduce(
      (s, r) => s + Math.max(1, (r.zonesTried?.length ?? 0) + (r.status === 'done' ? 1 : 0)),
      0,
    );
    const done = launches.filter((r) => r.status === 'done').length;
    const terminations = rs.filter((r) => r.action.kind === 'terminate').length;
    const tagUpdates = result.plan.pools
      .filter((p) => pools.find((x) => x.name === p.pool)?.cloud === cloud)
      .reduce((s, p) => s + p.tagUpdates.length, 0);
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
  const acts = (c) =>
    `${c.launches} launch(es), ${c.terminations} termination(s), ${c.tagUpdates} tag update(s)`;

  w(
    `\nreconcile: one pass, ${pools.length} pools (${ociPools} OCI on ${OCI_PROVIDERS} providers, ${gcpPools} GCP on ${GCP_PROVIDERS}), ${instances} instances, ${sessions} sessions, ${LATENCY_MS} ms latency per call, concurrency ${C}`,
  );
  w(
    `  actions: OCI ${acts(o)}; GCP ${acts(g)}; results ${JSON.stringify(countBy(result.results.map((r) => `${r.action.kind}:${r.status}`)))}`,
  );
  w(
    `  critical path = [max(1 Kasm round, OCI ceil(${instancesPerProvider}/${PAGE_SIZE}) = ${ociPages} ListInstances pages, GCP ceil(${instancesPerProvider}/${GCP_PAGE_SIZE}) = ${gcpPages} aggregatedList page(s))`,
  );
  w(
    `                  + max(longest chain ${longestChain}, ceil((OCI launches ${ociLaunchCalls} + GCP launches ${g.attempts} insert + ${gcpWaits} wait + ${g.done} get + 2 × terminations ${terminations}) / ${C}))`,
  );
  w(`                  + max(2, ceil(2 × tag updates ${tagUpdates} / ${C}))] × ${LATENCY_MS} ms`);
  w(
    `                = (${observeRounds} + ${actionRounds} + ${tagRounds}) rounds × ${LATENCY_MS} ms = ${criticalMs} ms`,
  );
  w(`  wall time of the pass ${f(wallMs, 0)} ms   ratio wall / critical path: ${f(wallMs / criticalMs)}`);
  w(
    `  API calls ${allCalls} (formula expects ${expectedCalls}), calls per pool ${f(allCalls / pools.length)}:`,
  );
  w(`    Kasm ${kasmCalls} (${f(kasmCalls / pools.length)} per pool, shared by all)`);
  w(
    `    OCI  ${ociTotal} (expects ${ociExpected}; ${f(ociTotal / ociPools)} per OCI pool): ${JSON.stringify(ociCalls)}`,
  );
  w(
    `    GCP  ${gcpTotal} (expects ${gcpExpected}; ${f(gcpTotal / gcpPools)} per GCP pool): ${JSON.stringify(gcpCalls)}`,
  );
  w(
    `  peak RSS ${f(maxRssMb, 0)} MB (RSS ${f(rssBefore / MB, 0)} MB before the pass, emulators and their 2,000 instances + 20,000 sessions included), peak heap during the pass ${f(heapPeak / MB, 0)} MB`,
  );
  w(
    `  MB per 1,000 instances: ${f(maxRssMb / (instances / 1000), 1)} (peak RSS), ${f((maxRssMb - rssBefore / MB) / (instances / 1000), 1)} (growth during the pass)`,
  );
  w(
    `  CPU during the pass ${f(cpuMs, 0)} ms = ${f(cpuMs / wallMs)} of the wall time (client AND emulators: this process signs every OCI request and GCP token,`,
  );
  w(
    "  verifies them, and builds the emulators' answers, e.g. 20,000 session rows for get_kasms); SDK first import before the pass: " +
      `OCI ${f(ociImportMs, 0)} ms, GCP ${f(gcpImportMs, 0)} ms (not in the wall time)`,
  );
} finally {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
}

function countBy(xs) {
  const o = {};
  for (const x of xs) o[x] = (o[x] ?? 0) + 1;
  return o;
}
