/**
 * Prometheus text exposition format for node_exporter's textfile collector: written to a
 * temp file and renamed (the collector must never read half a file).
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { PassResult } from '../scaling/reconcile.js';
import { writeFileAtomic } from '../core/files.js';
import type { Summary } from './summary.js';
import type { Price } from '../core/price.js';
import { poolCostPerHour } from '../cost/running.js';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;

/** `prices`: each provider's price (config); pools on a priced provider get a cost gauge. */
export function renderMetrics(
  r: PassResult,
  s: Summary,
  prices: Map<string, NonNullable<Price>> = new Map(),
): string {
  const out: string[] = [];
  const family = (name: string, help: string, rows: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [l, v] of rows)
      out.push(`${name}${Object.keys(l).length ? labels(l) : ''} ${Number.isFinite(v) ? v : 0}`);
  };
  const pools = r.plan.pools;
  family(
    'kasm_scale_instances',
    'Owned cloud instances of the pool by state.',
    pools.flatMap((p) =>
      Object.entries(p.figures?.instances ?? {}).map(
        ([state, n]) => [{ pool: p.pool, state }, n] as [Record<string, string>, number],
      ),
    ),
  );
  const resources = (
    pick: (p: (typeof pools)[number]) => { cores: number; memoryMb: number; gpus: number } | undefined,
  ) =>
    pools.flatMap((p) => {
      const v = pick(p);
      return v
        ? (
            [
              ['cores', v.cores],
              ['memory_mb', v.memoryMb],
              ['gpus', v.gpus],
            ] as const
          ).map(
            ([resource, n]) =>
              [{ pool: p.pool, resource }, Math.round(n * 100) / 100] as [Record<string, string>, number],
          )
        : [];
    });
  family(
    'kasm_scale_free',
    'Free capacity of the zone (registered agents plus launched, not yet registered).',
    resources((p) => p.figures?.free),
  );
  family(
    'kasm_scale_standby',
    'Standby capacity the pool keeps free.',
    resources((p) => p.figures?.standby),
  );
  family(
    'kasm_scale_waiting',
    'Demand of sessions waiting for an agent.',
    resources((p) => p.figures?.waiting),
  );
  const actionRows = new Map<string, [Record<string, string>, number]>();
  for (const p of pools)
    for (const kind of ['launch', 'terminate'])
      for (const result of ['planned', 'done', 'failed'])
        actionRows.set(`${p.pool}|${kind}|${result}`, [{ pool: p.pool, kind, result }, 0]);
  // Drain outcomes (kept), agent actions (enable, deregister) and orphans' pseudo-pools appear when they happen.
  for (const x of r.results) {
    const key = `${x.action.pool}|${x.action.kind}|${x.status}`;
    const row = actionRows.get(key) ?? [{ pool: x.action.pool, kind: x.action.kind, result: x.status }, 0];
    row[1]++;
    actionRows.set(key, row);
  }
  family(
    'kasm_scale_preempted_instances',
    'Spot instances of the pool found preempted in the last pass.',
    pools.map((p) => [{ pool: p.pool }, p.preempted?.agents.length ?? 0]),
  );
  family(
    'kasm_scale_sessions_lost_to_preemption',
    'Sessions Kasm listed on agents whose spot instance was preempted, found in the last pass.',
    pools.map((p) => [{ pool: p.pool }, p.preempted?.sessionsLost ?? 0]),
  );
  const costs = pools.flatMap((p) => {
    const c = p.figures && poolCostPerHour(p.figures, prices, p.provider);
    return c ? [[{ pool: p.pool, currency: c.currency }, c.amount] as [Record<string, string>, number]] : [];
  });
  // Without any price the family is left out, not written as zeros.
  if (costs.length)
    family(
      'kasm_scale_cost_per_hour',
      "Running cost per hour of the pool's billed instances at its provider's price (currency label: ISO 4217).",
      costs,
    );
  family('kasm_scale_orphans', 'Our instances whose autoscale config is no longer in the file.', [
    [{}, r.plan.orphans.instances.length],
  ]);
  family('kasm_scale_actions', 'Actions of the last pass by kind and result.', [...actionRows.values()]);
  family(
    'kasm_scale_pool_up',
    '1 when the pool could be planned in the last pass (its cloud and Kasm were readable).',
    pools.map((p) => [{ pool: p.pool }, p.error || !r.plan.kasmUsable ? 0 : 1]),
  );
  family('kasm_scale_kasm_usable', '1 when Kasm was readable and plausible in the last pass.', [
    [{}, r.plan.kasmUsable ? 1 : 0],
  ]);
  family('kasm_scale_pass_duration_seconds', 'Wall time of the last pass.', [
    [{}, Math.round(r.durationMs) / 1000],
  ]);
  family('kasm_scale_pass_exit_code', 'Exit code of the last pass (0 done, 1 failed, 3 partial).', [
    [{}, s.exitCode],
  ]);
  family('kasm_scale_last_pass_timestamp_seconds', 'Time of the last pass (its `now`).', [
    [{}, Date.parse(r.plan.now) / 1000],
  ]);
  if (r.lastSuccessAt)
    family(
      'kasm_scale_last_success_timestamp_seconds',
      'Time of the last pass that ended without any failure.',
      [[{}, Date.parse(r.lastSuccessAt) / 1000]],
    );
  return `${out.join('\n')}\n`;
}

export async function writeMetricsFile(
  file: string,
  r: PassResult,
  s: Summary,
  prices?: Map<string, NonNullable<Price>>,
): Promise<void> {
  await writeFileAtomic(file, renderMetrics(r, s, prices), { mode: 0o644 });
}

/**
 * The metrics file's folder must exist before a pass acts: a textfile collector reads one
 * fixed folder, so a missing one is a typo (or an unmounted volume), not something to create.
 */
export async function checkMetricsFolder(file: string): Promise<void> {
  const dir = dirname(resolve(file));
  let st;
  try {
    st = await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new InputError(`--metrics-file ${file}: folder ${dir} does not exist`, {
        hint: 'create it (node_exporter reads a fixed textfile folder), or fix the path',
      });
    throw new InputError(`--metrics-file ${file}: folder ${dir} cannot be read (${code ?? 'error'})`, {
      hint: 'check its owner and mode',
    });
  }
  if (!st.isDirectory())
    throw new InputError(`--metrics-file ${file}: ${dir} is not a folder`, { hint: 'fix the path' });
}
