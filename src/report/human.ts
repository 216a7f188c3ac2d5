/** The human report of a pass: per pool a short table and its actions, then one summary line. */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { ActionResult } from '../scaling/apply.js';
import type { PassResult } from '../scaling/reconcile.js';
import type { PoolFigures, Resources } from '../scaling/types.js';
import type { Summary } from './summary.js';

const n = (v: number, mem = false) => (mem ? String(Math.round(v)) : String(Math.round(v * 100) / 100));

export function renderHuman(r: PassResult, s: Summary, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const note of r.plan.notes) lines.push(c.yellow(`! ${note}`));
  for (const p of r.plan.pools) {
    lines.push('', c.bold(`${p.pool}`) + c.dim(`  provider ${p.provider} · zone ${p.zone}`));
    if (p.error) {
      lines.push(`  ${c.red('✗')} ${p.error.message}`);
      continue;
    }
    if (p.figures) lines.push(...figuresLines(p.figures, p.provider));
    for (const m of p.chainMoves ?? []) lines.push(c.dim(`  · chain: ${m.provider} passed over: ${m.why}`));
    const mine = r.results.filter((x) => x.action.pool === p.pool);
    lines.push(...mine.map((x) => actionLine(x, c)));
    for (const note of p.notes) lines.push(c.dim(`  · ${note}`));
  }
  const o = r.plan.orphans;
  if (o.instances.length) {
    lines.push('', c.bold('orphans') + c.dim('  our instances whose pool is not in the config file'));
    for (const i of o.instances)
      lines.push(
        `  ${i.instance.name} ${c.dim(`pool ${i.poolLabel} · ${i.provider} · since ${i.since} · agent ${i.agentStatus ?? 'none'} · ${i.sessions} session(s)`)}`,
      );
    lines.push(...r.results.filter((x) => o.actions.includes(x.action)).map((x) => actionLine(x, c)));
    for (const note of o.notes) lines.push(c.dim(`  · ${note}`));
  }
  lines.push('');
  if (s.preempted)
    lines.push(
      c.yellow(
        `${s.preempted} spot instance(s) preempted: ${s.sessionsLostToPreemption} session${s.sessionsLostToPreemption === 1 ? '' : 's'} lost to preemption.`,
      ),
    );
  const agents = s.toChangeAgents ? `, ${s.toChangeAgents} agent(s) to re-enable or deregister` : '';
  if (r.dryRun) lines.push(`Plan: ${s.toLaunch} to launch, ${s.toTerminate} to terminate${agents}.`);
  else
    lines.push(
      `Done: ${s.launched} launched, ${s.terminated} terminated${s.failed ? `, ${s.failed} failed` : ''}${s.failedPools ? `, ${s.failedPools} pool(s) not planned` : ''}.`,
    );
  return lines;
}

const SIGN: Record<string, string> = { launch: '+', terminate: '-', enable: '~', deregister: '-' };

function actionLine(x: ActionResult, c: ChalkInstance): string {
  const sign =
    x.action.kind === 'launch' || x.action.kind === 'enable'
      ? c.green(SIGN[x.action.kind])
      : c.red(SIGN[x.action.kind]);
  const status =
    x.status === 'planned'
      ? c.dim('[planned]')
      : x.status === 'done'
        ? c.green(
            `[done${x.provider ? ` on ${x.provider}` : ''}${x.zone ? ` in ${x.zone}` : ''}${x.zonesTried?.length ? ` after ${x.zonesTried.join(', ')} had no capacity` : ''}${x.chainMoved ? ` (${x.chainMoved})` : ''}]`,
          )
        : x.status === 'kept'
          ? c.yellow(`[${x.note ?? 'kept'}]`)
          : c.red(
              `[failed: ${x.error?.class}: ${x.error?.message}${x.requestId ? ` (request id ${x.requestId})` : ''}]`,
            );
  const target =
    'instance' in x.action
      ? ` ${x.action.instance.name}`
      : x.action.kind === 'deregister'
        ? ` agent ${x.action.serverId}`
        : '';
  return `  ${sign} ${x.action.reason}${c.dim(target)} ${status}`;
}

/** A pool's observed figures: one line (agents, sessions, instances) and the capacity table; shared with `status`. */
export function figuresLines(f: PoolFigures, provider: string): string[] {
  const inst =
    Object.entries(f.instances)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || 'none';
  const lines = [
    `  agents ${f.agents.running} running of ${f.agents.total} (${f.agents.owned} ours, ${f.agents.static} static${f.agents.unhealthy ? `, ${f.agents.unhealthy} unhealthy` : ''})` +
      ` · sessions ${f.sessions.active} active, ${f.sessions.waiting} waiting · instances ${inst} · ${f.chain ? f.chain.map((c) => `${c.instances} ours, ${c.providerInstances}/${c.maxInstances} on ${c.provider}`).join(' → ') : `${f.providerInstances}/${f.maxInstances} on ${provider}`}`,
  ];
  const t = new Table({
    head: ['', 'free', 'of which booting', 'standby', 'waiting', 'agent size'],
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const row = (label: string, k: keyof Resources) => [
    label,
    n(f.free[k], k === 'memoryMb'),
    n(f.pending[k], k === 'memoryMb'),
    n(f.standby[k], k === 'memoryMb'),
    n(f.waiting[k], k === 'memoryMb'),
    f.agentSize ? n(f.agentSize[k], k === 'memoryMb') : '?',
  ];
  t.push(row('cores', 'cores'), row('memory MB', 'memoryMb'), row('GPUs', 'gpus'));
  lines.push(
    ...t
      .toString()
      .split('\n')
      .map((l) => `  ${l}`),
  );
  return lines;
}
