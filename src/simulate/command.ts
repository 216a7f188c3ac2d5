/**
 * `kasm-scale demo` and `kasm-scale simulate`: flags in, a World per config, the engine,
 * the report out. Both run real reconcile passes against in-process emulators; nothing
 * touches a cloud or the network.
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CliError, fsErrorToInput, InputError } from '../core/errors.js';
import type { Output, Progress } from '../core/output.js';
import type { KasmScaleConfig } from '../config/types.js';
import { assertReplaceable, expandHome, readInput, writeFileAtomic } from '../core/files.js';
import { formatClock } from './chart.js';
import { dayClock } from './report.js';
import type { DemandStep } from './trace.js';
import type { TraceFault } from './trace-faults.js';
import type { ConfigDocument } from './world.js';
import type { SimEvent, SimulationResult } from './engine.js';

export interface SimCommonOptions {
  svg?: string;
  step?: string;
}

/** The demo's window and pace, tuned so a whole run stays well under a minute on 2 cores. */
export const DEMO_FROM = 5 * 3600;
export const DEMO_TO = 23 * 3600;
export const DEMO_STEP_MIN = 10;

export function parseStep(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 60)
    throw new InputError(`--step ${text} is not a whole number of minutes from 1 to 60`, {
      hint: 'for example --step 5 (a reconcile pass every 5 simulated minutes)',
    });
  return n;
}

interface RunSpec {
  name: string;
  document?: ConfigDocument;
  config?: KasmScaleConfig;
  steps: DemandStep[];
  events?: SimEvent[];
  faults?: TraceFault[];
  start: number;
  fromSec: number;
  toSec: number;
  stepSec: number;
}

async function runOne(spec: RunSpec, out: Output, onLine: (line: string) => void): Promise<SimulationResult> {
  const { startWorld } = await import('./world.js');
  const { simulate } = await import('./engine.js');
  const { briefLine } = await import('./report.js');
  let progress: Progress | undefined;
  // Ctrl-C or SIGTERM mid-run: the temp dir holds a throw-away key, state and lock; remove
  // it (synchronously: the process ends here) and exit as a shell expects (128 + signal).
  // Listening before the world starts: a signal while it starts is handled once it has.
  let world: Awaited<ReturnType<typeof startWorld>> | undefined;
  let stopped: NodeJS.Signals | undefined;
  const stop = (w: NonNullable<typeof world>, signal: NodeJS.Signals) => {
    progress?.stop();
    rmSync(w.dir, { recursive: true, force: true });
    out.info(`${spec.name}: stopped by ${signal}; its temporary files are removed`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopped = signal;
    if (world) stop(world, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    world = await startWorld({
      start: spec.start + spec.fromSec * 1000,
      ...(spec.document ? { document: spec.document } : { config: spec.config! }),
    });
  } catch (err) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw err;
  }
  if (stopped) stop(world, stopped);
  try {
    for (const note of world.notes) out.warn(note);
    progress = out.progress(
      `${spec.name}: replaying ${formatClock(spec.fromSec)}–${dayClock(spec.toSec)}, a pass every ${spec.stepSec / 60} simulated min`,
    );
    const result = await simulate({
      world,
      steps: spec.steps,
      events: spec.events ?? [],
      faults: spec.faults ?? [],
      stepSec: spec.stepSec,
      fromSec: spec.fromSec,
      toSec: spec.toSec,
      onPass: (p, i, total) => {
        progress?.update(`${spec.name}: ${formatClock(p.t)} (pass ${i + 1}/${total})`);
        const line = briefLine(p);
        if (line) onLine(line);
      },
    });
    progress.stop();
    for (const note of result.notes) out.warn(note);
    for (const line of result.oversized) out.warn(line);
    for (const w of result.warnings) out.debug(`pass warning: ${w}`);
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress?.stop();
    await world.close();
  }
}

async function writeSvg(file: string, svg: string): Promise<void> {
  const path = expandHome(file);
  try {
    await writeFileAtomic(path, svg);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw fsErrorToInput(err, path, '--svg file');
  }
}

export async function demoCommand(o: SimCommonOptions, out: Output): Promise<number> {
  const stepMin = parseStep(o.step, DEMO_STEP_MIN);
  // A target the chart cannot replace is refused before the day is simulated, not after.
  if (o.svg) await assertReplaceable(expandHome(o.svg));
  const started = performance.now();
  const { demoDocument, demoEvents, demoFaults, demoSteps, DEMO_DATE } = await import('./demo-day.js');
  const report = await import('./report.js');
  if (!out.json) {
    out.result(
      'kasm-scale demo: a working day of Kasm sessions on emulated OCI and GCP, with real reconcile passes',
    );
    out.result(
      `(no account, no network: local emulators; ${formatClock(DEMO_FROM)}–${formatClock(DEMO_TO)}, a pass every ${stepMin} simulated min; OCI AD-1 runs out of capacity 08:00–09:00; the spot-first pool meets a preemption wave at 14:00)`,
    );
    out.result('');
  }
  const result = await runOne(
    {
      name: 'demo',
      document: demoDocument(),
      steps: demoSteps(),
      events: demoEvents(),
      faults: demoFaults(),
      start: DEMO_DATE,
      fromSec: DEMO_FROM,
      toSec: DEMO_TO,
      stepSec: stepMin * 60,
    },
    out,
    (line) => {
      if (!out.json) out.result(line);
    },
  );
  const runs = [{ name: 'demo', result }];
  if (o.svg) await writeSvg(o.svg, report.svgChart(runs));
  if (out.json) {
    out.printJson(report.simulationJson(runs));
  } else {
    out.result('');
    out.result(report.terminalChart(result));
    out.result('');
    for (const line of report.totalsLines(result.totals)) out.result(line);
  }
  out.info(
    `simulated ${Math.round((DEMO_TO - DEMO_FROM) / 3600)} h in ${((performance.now() - started) / 1000).toFixed(1)} s${o.svg ? `; chart written to ${o.svg}` : ''}`,
  );
  return 0;
}

export interface SimulateOptions extends SimCommonOptions {
  trace?: string;
  file?: string;
  compare?: string;
}

export async function simulateCommand(o: SimulateOptions, out: Output): Promise<number> {
  if (!o.trace)
    throw new InputError('simulate needs --trace FILE', {
      hint: 'a CSV of time,sessions,cores,memory_mb,gpus; see examples/demand-trace.csv',
    });
  const stepMin = parseStep(o.step, 5);
  if (o.svg) await assertReplaceable(expandHome(o.svg));
  const { parseTraceFile, resolveTrace } = await import('./trace.js');
  const { checkFaultProviders } = await import('./trace-faults.js');
  const tracePath = resolveTrace(o.trace);
  const text = (await readInput(tracePath, 'trace file')).toString('utf8');
  const { steps, faults } = parseTraceFile(text, o.trace === '-' ? 'stdin' : basename(tracePath));
  const { loadConfig, resolveConfigPath } = await import('../config/load.js');
  const files = [o.file, ...(o.compare ? [o.compare] : [])];
  const configs = await Promise.all(files.map((f) => loadConfig(f, { onWarning: (w) => out.warn(w) })));
  for (const c of configs) checkZones(c, steps);
  // A fault hits the providers of that name; with --compare, a config without it is not hit
  // (an on-demand config has no spot provider to lose), but a name in neither is a typo.
  checkFaultProviders(
    faults,
    [...new Set(configs.flatMap((c) => c.providers.map((p) => p.vm_provider_config_name)))],
    configs.map((c) => basename(c.file)).join(' or '),
  );
  const names = files.map((f) => basename(resolveConfigPath(f)));
  if (names.length === 2 && names[0] === names[1])
    names.splice(0, 2, resolveConfigPath(files[0]), resolveConfigPath(files[1]));
  const report = await import('./report.js');
  const fromSec = steps[0]?.at ?? 0;
  const runs: Array<{ name: string; result: SimulationResult }> = [];
  for (let i = 0; i < configs.length; i++) {
    if (!out.json && configs.length > 1) out.result(`── ${names[i]}`);
    const result = await runOne(
      {
        name: names[i],
        config: configs[i],
        steps,
        faults,
        start: Date.UTC(2025, 0, 6),
        fromSec,
        toSec: 24 * 3600,
        stepSec: stepMin * 60,
      },
      out,
      (line) => {
        if (!out.json) out.result(line);
      },
    );
    runs.push({ name: names[i], result });
    if (!out.json) {
      out.result('');
      out.result(report.terminalChart(result));
      out.result('');
      if (configs.length === 1) for (const line of report.totalsLines(result.totals)) out.result(line);
    }
  }
  if (o.svg) await writeSvg(o.svg, report.svgChart(runs));
  if (out.json) out.printJson(report.simulationJson(runs));
  else if (runs.length > 1) out.result(report.compareTable(runs));
  return 0;
}

/** A trace zone no pool scales would leave its sessions waiting forever: say so up front. */
function checkZones(c: KasmScaleConfig, steps: DemandStep[]): void {
  const zones = new Set(c.autoscale.filter((a) => a.enabled).map((a) => a.zone_name));
  if (zones.size === 0)
    throw new InputError(`${c.file} has no enabled autoscale config`, {
      hint: 'simulate replays demand through reconcile passes; enable at least one pool',
    });
  for (const s of steps) {
    for (const g of s.groups) {
      if (g.zone && !zones.has(g.zone))
        throw new InputError(
          `trace zone "${g.zone}" at ${formatClock(s.at)} is not scaled by any autoscale config in ${c.file}`,
          { hint: `zones in the config: ${[...zones].join(', ')}` },
        );
    }
  }
}
