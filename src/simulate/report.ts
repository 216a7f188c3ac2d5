/**
 * How a simulation reads: one brief line per pass that did something, the chart, the
 * totals, a side-by-side table for `--compare`, and the JSON document. Pure functions of
 * a SimulationResult.
 */
import Table from 'cli-table3';
import { formatClock, renderSvgChart, renderTerminalChart, type ChartInput } from './chart.js';
import { formatMoney, moneyDifference } from '../cost/money.js';
import type { PassAction, PassRecord, SimulationResult, Totals } from './engine.js';

/**
 * "launch: free cores 2 < standby 8 (1 of 2) (on oci-spot); weekday … window" → "free cores 2 <
 * standby 8; weekday … window"; "terminate: idle 31 min, no sessions, …" → "idle 31 min". The
 * provider a launch went to is shown apart (poolPart).
 */
export function shortReason(reason: string): string {
  return reason
    .replace(/^[a-z ]+:\s*/i, '')
    .replace(/\s*\(\d+ of \d+\)/, '')
    .replace(/\s*\(on [^()]+\)/, '')
    .split(', ')[0];
}

const shortZone = (zone: string) => zone.replace(/^[A-Za-z0-9]+:[A-Z0-9]+-[A-Z0-9]+-/, '');

function poolPart(pool: string, actions: PassAction[]): string | undefined {
  const parts: string[] = [];
  const launched = actions.filter((a) => a.kind === 'launch' && a.status !== 'failed');
  const terminated = actions.filter(
    (a) => a.kind === 'terminate' && (a.status === 'done' || a.status === 'planned'),
  );
  const failed = actions.filter((a) => a.status === 'failed');
  if (launched.length) {
    const zones = [
      ...new Set(launched.filter((a) => a.zonesTried?.length).map((a) => shortZone(a.zone ?? ''))),
    ];
    const fell = [...new Set(launched.flatMap((a) => a.fellTo ?? []))];
    const where = [...zones, ...fell.map((p) => `${p} (chain fell through)`)];
    parts.push(
      `+${launched.length}${where.length ? ` → ${where.join(', ')}` : ''} (${shortReason(launched[0].reason)})`,
    );
  }
  if (terminated.length) parts.push(`−${terminated.length} (${shortReason(terminated[0].reason)})`);
  if (failed.length) parts.push(`✗${failed.length} ${failed[0].kind} failed (${failed[0].error ?? 'error'})`);
  const deregistered = actions.filter((a) => a.kind === 'deregister' && a.status === 'done');
  if (deregistered.length) parts.push(`${deregistered.length} agent(s) of gone instances deleted from Kasm`);
  return parts.length ? `${pool} ${parts.join(' ')}` : undefined;
}

/** `08:05 oci-pool +2 (free cores 2 < standby 8)  gcp-pool −1 (idle 31 min)`; undefined when the pass did nothing. */
export function briefLine(p: PassRecord): string | undefined {
  const pools = [...new Set(p.actions.map((a) => a.pool))];
  const text = [
    ...p.events.map((e) => `! ${e}`),
    ...pools.flatMap(
      (pool) =>
        poolPart(
          pool,
          p.actions.filter((a) => a.pool === pool),
        ) ?? [],
    ),
  ];
  return text.length ? `${formatClock(p.t)} ${text.join('  ')}` : undefined;
}

export function chartInput(r: SimulationResult, suffix = ''): ChartInput {
  const t = r.samples.map((s) => s.t);
  return {
    times: t,
    series: [
      { name: `agents${suffix}`, values: r.samples.map((s) => s.agents), color: '#1f77b4' },
      { name: `free cores${suffix}`, values: r.samples.map((s) => s.freeCores), color: '#2ca02c' },
      { name: `sessions${suffix}`, values: r.samples.map((s) => s.sessionsRunning), color: '#ff7f0e' },
      { name: `waiting${suffix}`, values: r.samples.map((s) => s.sessionsWaiting), color: '#d62728' },
    ],
  };
}

export function terminalChart(r: SimulationResult, width = 72): string {
  return renderTerminalChart(chartInput(r), { width, rows: 3 });
}

export function svgChart(runs: Array<{ name: string; result: SimulationResult }>): string {
  const [first] = runs;
  const input = chartInput(first.result, runs.length > 1 ? ` (${first.name})` : '');
  for (const other of runs.slice(1)) {
    const more = chartInput(other.result, ` (${other.name})`);
    // The second config's supply, dashed colours apart; demand is the same trace.
    input.series.push({ ...more.series[0], color: '#17becf' }, { ...more.series[1], color: '#bcbd22' });
  }
  return renderSvgChart(input, {
    title: `kasm-scale ${runs.length > 1 ? 'simulate --compare' : 'simulation'}: agents and free cores against sessions`,
  });
}

/** formatClock, except that the end of the day reads 24:00. */
export function dayClock(sec: number): string {
  return sec >= 24 * 3600 && sec % (24 * 3600) === 0 ? '24:00' : formatClock(sec);
}

export function formatDuration(sec: number): string {
  if (sec < 60) return `${sec} s`;
  const m = Math.round(sec / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * The cost as one text: "31.20 EUR", "31.20 EUR + 4.10 USD" (never added across
 * currencies), "+ 12.0 h unpriced" when some providers have no price; undefined when
 * none has one (then no cost is shown at all, rather than a misleading 0.00).
 */
export function costText(t: Totals): string | undefined {
  const money = formatMoney(t.cost);
  if (!money) return undefined;
  return t.unpricedInstanceHours ? `${money} + ${t.unpricedInstanceHours.toFixed(1)} h unpriced` : money;
}

/** The totals as "label: value" lines. */
export function totalsLines(t: Totals): string[] {
  const moved = t.launchesMoved ? ` (${t.launchesMoved} moved to another AD/zone after out-of-capacity)` : '';
  const cost = costText(t);
  return [
    `Instance-hours:           ${t.instanceHours.toFixed(1)}`,
    ...(cost ? [`Cost:                     ${cost}`] : []),
    ...(t.preemptions
      ? [
          `Preempted instances:      ${t.preemptions} (${t.sessionsLostToPreemption} sessions lost, their users waited again)`,
        ]
      : []),
    `Longest wait for capacity: ${formatDuration(t.longestWaitSec)} (${t.sessionsWaited} of ${t.sessions} sessions waited${t.stillWaiting ? `, ${t.stillWaiting} still waiting at the end` : ''})`,
    `Launches / terminations:  ${t.launches} / ${t.terminations}${moved}`,
    `Failed actions:           ${t.failures}`,
  ];
}

const ROWS: Array<[string, (t: Totals) => string]> = [
  ['instance-hours', (t) => t.instanceHours.toFixed(1)],
  ['longest wait', (t) => formatDuration(t.longestWaitSec)],
  ['sessions that waited', (t) => String(t.sessionsWaited)],
  ['still waiting at the end', (t) => String(t.stillWaiting)],
  ['sessions lost to preemption', (t) => String(t.sessionsLostToPreemption)],
  ['preempted instances', (t) => String(t.preemptions)],
  ['launches', (t) => String(t.launches)],
  ['terminations', (t) => String(t.terminations)],
  ['failed actions', (t) => String(t.failures)],
];

/**
 * The cost rows of `--compare`, when any run has a price: each run's cost, and the
 * difference to the first run only where both are in one and the same currency.
 */
function costRows(runs: Array<{ name: string; result: SimulationResult }>): string[][] {
  const totals = runs.map((r) => r.result.totals);
  if (!totals.some((t) => costText(t))) return [];
  const [first] = totals;
  return [
    ['cost', ...totals.map((t) => costText(t) ?? 'no price')],
    [
      `cost vs ${runs[0].name}`,
      '',
      ...totals.slice(1).map((t) => {
        if (first.unpricedInstanceHours || t.unpricedInstanceHours) return 'n/a (unpriced hours)';
        const d = moneyDifference(first.cost, t.cost);
        if (!d) return 'n/a (other currency)';
        const sign = d.amount >= 0 ? '+' : '−';
        const base = first.cost[d.currency];
        const pct = base ? ` (${sign}${Math.round(Math.abs(d.amount / base) * 100)}%)` : '';
        return `${sign}${Math.abs(d.amount).toFixed(2)} ${d.currency}${pct}`;
      }),
    ],
  ];
}

/** `--compare`: one row per figure, one column per config. */
export function compareTable(runs: Array<{ name: string; result: SimulationResult }>): string {
  const table = new Table({
    head: ['', ...runs.map((r) => r.name)],
    style: { head: [], border: [], compact: true },
  });
  const [hours, ...rest] = ROWS;
  table.push([hours[0], ...runs.map((r) => hours[1](r.result.totals))]);
  for (const row of costRows(runs)) table.push(row);
  for (const [label, value] of rest) table.push([label, ...runs.map((r) => value(r.result.totals))]);
  return table.toString();
}

/** The --json document: per run its totals, samples and the passes that did something. */
export function simulationJson(runs: Array<{ name: string; result: SimulationResult }>): unknown {
  const one = (name: string, r: SimulationResult) => ({
    name,
    start: r.start,
    step_minutes: r.stepSec / 60,
    from: formatClock(r.fromSec),
    to: dayClock(r.toSec),
    pools: r.pools,
    totals: r.totals,
    passes: r.passes
      .filter((p) => p.actions.length || p.events.length)
      .map((p) => ({ time: formatClock(p.t), ...p })),
    samples: r.samples.map((s) => ({ time: formatClock(s.t), ...s })),
    warnings: r.warnings,
    notes: r.notes,
    oversized_sessions: r.oversized,
  });
  if (runs.length === 1) return one(runs[0].name, runs[0].result);
  const [first] = runs;
  return {
    runs: runs.map((r) => one(r.name, r.result)),
    // Each later run's cost minus the first's: null where currencies differ or hours are unpriced.
    cost_difference: runs.slice(1).map((r) => {
      const a = first.result.totals;
      const b = r.result.totals;
      const d =
        a.unpricedInstanceHours || b.unpricedInstanceHours ? undefined : moneyDifference(a.cost, b.cost);
      return { name: r.name, vs: first.name, ...(d ?? { currency: null, amount: null }) };
    }),
  };
}
