// One reconcile pass as a user runs it: the emulators in their own process (emulator-host.mjs),
// the built CLI as its own process, its CPU time and peak RSS from the OS (os-usage.mjs).
// At 1×, 2× and 4× the size (instances and sessions; the actions stay the same), interleaved,
// each on a freshly seeded world. Reports, never asserts. Baselines from the same run:
// the critical path (dependent rounds × latency, from the calls the pass made) for wall
// time, and `node -e 0` for CPU and RSS.
//   BENCH_RUNS=N       passes per size and build (default 3; medians are printed)
//   BENCH_SCALES=1,2,4 sizes
//   BENCH_CLI=name=path[,name=path]  other builds' bin/kasm-scale.js to run beside this one
//                      (e.g. before=/tmp/old/bin/kasm-scale.js): before/after pairs in one run
//   BENCH_THIS=0       leave this build out (only the BENCH_CLI ones)
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'  flags for the CLI's node (profiles: see
//                      summarize-cpuprofile.mjs)
//   BENCH_DRY=1        passes with --dry-run (observe + plan only)
// Run after `npm run build` (npm run bench does both).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runsFromEnv } from './lib.mjs';
import { haveGnuTime, runMeasured } from './os-usage.mjs';
import { CLOCK, criticalPath } from './world.mjs';

const LATENCY_MS = 50;
const CONCURRENCY = 8; // the CLI's default (src/scaling/pass-options.ts)
const runs = runsFromEnv(3);
const scales = (process.env.BENCH_SCALES ?? '1,2,4').split(',').map(Number);
const dry = process.env.BENCH_DRY === '1';
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const clis = [
  ...(process.env.BENCH_THIS === '0'
    ? []
    : [{ name: 'this', path: fileURLToPath(new URL('../bin/kasm-scale.js', import.meta.url)) }]),
  ...(process.env.BENCH_CLI ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => ({ name: s.split('=')[0], path: s.slice(s.indexOf('=') + 1) })),
];
const host = fileURLToPath(new URL('./emulator-host.mjs', import.meta.url));
const w = (s) => process.stdout.write(`${s}\n`);

function ask(child, msg, want) {
  return new Promise((resolve, reject) => {
    const on = (m) => {
      if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === want) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function onePass(cli, scale) {
  const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
  const child = fork(host, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await ask(child, { type: 'start', dir, scale, latencyMs: LATENCY_MS }, 'ready');
    const args = [
      ...nodeArgs,
      cli.path,
      'reconcile',
      ready.config,
      '--state-dir',
      join(dir, 'state'),
      '--json',
      ...(dry ? ['--dry-run'] : []),
    ];
    const r = await runMeasured(args, {
      env: { ...process.env, KASM_SCALE_NOW: new Date(CLOCK).toISOString(), NO_COLOR: '1' },
    });
    if (r.code !== 0 && r.code !== 3) {
      // Reported and left out of the medians (a loaded machine can time a call out), not fatal.
      let why = r.stderr
        .split('\n')
        .filter((l) => /warn|error|fail|cannot/i.test(l))
        .slice(0, 3)
        .join(' | ');
      try {
        why ||= JSON.stringify(JSON.parse(r.stdout).warnings ?? '').slice(0, 300);
      } catch {
        why ||= r.stderr.slice(-200);
      }
      w(`  ! ${cli.name} at ${scale}×: reconcile exited ${r.code}: ${why}`);
      return undefined;
    }
    const { calls, cpuMs: emuCpuMs } = await ask(child, { type: 'calls' }, 'calls');
    const cp = criticalPath(calls, { concurrency: CONCURRENCY, latencyMs: LATENCY_MS });
    return { ...r, calls, cp, emuCpuMs, instances: ready.instances, sessions: ready.sessions };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((res) => child.once('exit', res));
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map(); // `${cli}@${scale}` → runs
const floor = [];
for (let i = 0; i < runs; i++) {
  floor.push(await runMeasured(['-e', '0']));
  for (const scale of scales) {
    for (const cli of clis) {
      const key = `${cli.name}@${scale}`;
      if (!results.has(key)) results.set(key, []);
      const r = await onePass(cli, scale);
      if (r) results.get(key).push(r);
    }
  }
}

const med = (xs, f) => median(xs.map(f));
const f0 = (x) => x.toFixed(0);
const f2 = (x) => x.toFixed(2);
const floorCpu = med(floor, (r) => r.cpuMs);
const floorRss = med(floor, (r) => r.maxRssMb);
w(
  `\nreconcile out of process${dry ? ' (--dry-run)' : ''}: 50 pools (40 OCI on 4 providers, 10 GCP on 1), ${LATENCY_MS} ms per call, concurrency ${CONCURRENCY}, ${runs} pass(es) per size and build, medians`,
);
w(
  `  client figures from ${haveGnuTime ? '/usr/bin/time (wait4 rusage of the CLI process)' : "the CLI's own getrusage at exit"}; emulators in a separate process`,
);
w(`  baseline in this run: node -e 0 uses ${f0(floorCpu)} ms CPU, ${f0(floorRss)} MB peak RSS`);
for (const cli of clis) {
  for (const scale of scales) {
    const rs = results.get(`${cli.name}@${scale}`);
    if (!rs.length) continue;
    const r0 = rs[0];
    const wall = med(rs, (r) => r.wallMs);
    const crit = med(rs, (r) => r.cp.ms);
    const cpu = med(rs, (r) => r.cpuMs);
    const rss = med(rs, (r) => r.maxRssMb);
    w(`\n  [${cli.name}] ${scale}×: ${r0.instances} instances, ${r0.sessions} sessions`);
    w(
      `    wall ${f0(wall)} ms   critical path ${f0(crit)} ms (${r0.cp.observeRounds} observe + ${r0.cp.actionRounds} action + ${r0.cp.tagRounds} tag rounds)   wall / critical ${f2(wall / crit)}`,
    );
    w(
      `    client CPU ${f0(cpu)} ms (user ${f0(med(rs, (r) => r.userMs))}, sys ${f0(med(rs, (r) => r.sysMs))}) = ${f2(cpu / wall)} of wall, ${f2(cpu / floorCpu)}× node -e 0`,
    );
    w(
      `    client peak RSS ${f0(rss)} MB (${f2(rss / floorRss)}× node -e 0)   emulators' CPU ${f0(med(rs, (r) => r.emuCpuMs))} ms`,
    );
    w(
      `    actions: ${r0.cp.launches} launch call(s), ${r0.cp.terminations} termination(s), ${r0.cp.tagUpdates} tag update(s)`,
    );
    for (const cloud of ['kasm', 'oci', 'gcp']) {
      const c = r0.calls[cloud];
      const total = Object.values(c).reduce((s, v) => s + v, 0);
      w(
        `    calls ${cloud.padEnd(4)} ${String(total).padStart(4)}: ${Object.entries(c)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    }
    w(
      `    per run: ${rs.map((r) => `${f0(r.wallMs)} ms/${f0(r.cpuMs)} ms CPU/${f0(r.maxRssMb)} MB`).join('; ')}`,
    );
  }
  if (scales.length > 1) {
    const at = (s, f) => med(results.get(`${cli.name}@${s}`), f);
    const base = scales[0];
    w(
      `  [${cli.name}] growth from ${base}×: ${scales
        .slice(1)
        .map(
          (s) =>
            `${s}×: CPU ${f2(at(s, (r) => r.cpuMs) / at(base, (r) => r.cpuMs))}×, RSS ${f2(at(s, (r) => r.maxRssMb) / at(base, (r) => r.maxRssMb))}×`,
        )
        .join('   ')}`,
    );
  }
}
if (clis.length > 1 && clis[0].name === 'this') {
  w('');
  for (const cli of clis.slice(1)) {
    for (const scale of scales) {
      const a = results.get(`this@${scale}`);
      const b = results.get(`${cli.name}@${scale}`);
      w(
        `  this / ${cli.name} at ${scale}×: wall ${f2(med(a, (r) => r.wallMs) / med(b, (r) => r.wallMs))}, CPU ${f2(med(a, (r) => r.cpuMs) / med(b, (r) => r.cpuMs))}, peak RSS ${f2(med(a, (r) => r.maxRssMb) / med(b, (r) => r.maxRssMb))}`,
      );
    }
  }
}
