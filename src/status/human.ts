/** The human view of `status`: a header, then per pool a few lines and reconcile's capacity table. */
import type { ChalkInstance } from 'chalk';
import { figuresLines } from '../report/human.js';
import { scheduleLine } from '../report/schedule.js';
import type { PoolStatus, StatusReport } from './collect.js';

/** `3 min ago`, `2 h 5 min ago`, `in 4 min`: times relative to the status's own clock. */
export function relative(iso: string, nowIso: string): string {
  const ms = Date.parse(nowIso) - Date.parse(iso);
  const mins = Math.floor(Math.abs(ms) / 60_000);
  const span =
    mins < 1
      ? `${Math.floor(Math.abs(ms) / 1000)} s`
      : mins < 60
        ? `${mins} min`
        : `${Math.floor(mins / 60)} h ${mins % 60} min`;
  return ms >= 0 ? `${span} ago` : `in ${span}`;
}

const STATE_WORDS: Record<StatusReport['state']['status'], string> = {
  ok: 'ok',
  missing: 'no state file yet (no pass has run with this --state-dir)',
  corrupt: 'corrupt',
  unreadable: 'unreadable',
};

export function renderStatus(r: StatusReport, c: ChalkInstance): string[] {
  const lines: string[] = [];
  lines.push(
    `${c.bold('kasm-scale status')} ${c.dim(`at ${r.now} · state ${r.stateDir}: ${STATE_WORDS[r.state.status]}`)}`,
  );
  if (r.state.note) lines.push(c.yellow(`! ${r.state.note}`));
  if (!r.kasm.usable)
    lines.push(
      c.yellow(
        `! ${r.kasm.reason ?? 'Kasm could not be read'}: agents, sessions and free capacity are unknown; cloud instances and state are shown`,
      ),
    );
  lines.push(
    r.lastSuccessAt
      ? `last fully successful pass ${r.lastSuccessAt} (${relative(r.lastSuccessAt, r.now)})`
      : c.dim('no fully successful pass recorded'),
  );
  for (const note of r.notes) lines.push(c.yellow(`! ${note}`));
  for (const p of r.pools) lines.push('', ...poolLines(p, r, c));
  if (r.orphans.length) {
    lines.push(
      '',
      c.bold('orphans') +
        c.dim(
          '  our instances whose autoscale config is not in the file; reconcile drains and terminates them after orphan_grace',
        ),
    );
    for (const o of r.orphans)
      lines.push(
        `  ${o.instance.name} ${c.dim(`pool ${o.poolLabel} · ${o.provider} · ${o.instance.state} · orphan since ${o.since} · agent ${o.agentStatus ?? 'none'} · ${o.sessions} session(s)`)}`,
      );
  }
  return lines;
}

function poolLines(p: PoolStatus, r: StatusReport, c: ChalkInstance): string[] {
  const lines = [c.bold(p.pool) + c.dim(`  provider ${p.provider} · zone ${p.zone}`)];
  const last = p.lastPass
    ? `last pass ${p.lastPass.result === 'ok' ? c.green('ok') : c.red(p.lastPass.result)} at ${p.lastPass.at} (${relative(p.lastPass.at, r.now)})`
    : 'no pass recorded';
  lines.push(
    `  ${last}${p.lastLaunchAt ? ` · last launch ${p.lastLaunchAt} (${relative(p.lastLaunchAt, r.now)})` : ''}`,
  );
  if (p.error) {
    lines.push(`  ${c.red('✗')} ${p.error.message}`);
  } else if (p.figures && r.kasm.usable) {
    lines.push(...figuresLines(p.figures, p.provider));
  } else if (p.figures) {
    const f = p.figures;
    const inst =
      Object.entries(f.instances)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'none';
    lines.push(
      `  instances ${inst} · ${f.providerInstances}/${f.maxInstances} on ${p.provider} · agents, sessions, capacity unknown (Kasm)`,
    );
  }
  if (p.providers.length > 1) {
    lines.push(c.dim(`  chain ${p.providers.join(' → ')}`));
    for (const m of p.chainMoves) lines.push(c.yellow(`  chain: ${m.provider} passed over: ${m.why}`));
    for (const i of p.instances) lines.push(c.dim(`  ${i.name} on ${i.provider} · ${i.zone} · ${i.state}`));
  }
  if (p.costPerHour)
    lines.push(
      `  running cost ${p.costPerHour.amount.toFixed(2)} ${p.costPerHour.currency}/h ${c.dim(`(${p.costPerHour.instances} billed instance(s) at the provider's price)`)}`,
    );
  for (const b of p.backoff)
    lines.push(
      c.yellow(
        `  backoff ${b.provider} ${b.zone} until ${b.until} (${relative(b.until, r.now)}; ${b.delaySec / 60} min window, ${b.failures} failure(s)${b.lastError ? `: ${b.lastError}` : ''})`,
      ),
    );
  if (p.breaker)
    lines.push(
      c.red(
        `  launches stopped: ${p.breaker.failed} of the last ${p.breaker.resolved} launches never registered${p.breaker.trialAt ? `; one trial launch from ${p.breaker.trialAt.toISOString()}` : ''}`,
      ),
    );
  if (p.schedule) lines.push(`  ${scheduleLine(p.schedule, (iso) => relative(iso, r.now))}`);
  if (!p.error)
    lines.push(
      `  next pass: ${p.next.launch} to launch, ${p.next.terminate} to terminate${p.next.launch + p.next.terminate ? c.dim(' (reconcile --dry-run shows why)') : ''}`,
    );
  for (const note of p.notes) lines.push(c.dim(`  · ${note}`));
  return lines;
}
