import type { Output } from '../../core/output.js';
import type { SubmitOutcome } from './execute.js';
import type { FieldChange, SubmitPlan } from './plan.js';

/** The words and the JSON document of `config submit`. Works only on plan data: no payloads, so no secrets. */

export interface SubmitSummary {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Dry run: what would be created / updated. */
  to_create: number;
  to_update: number;
}

export function summarize(outcomes: SubmitOutcome[]): SubmitSummary {
  const s: SubmitSummary = { created: 0, updated: 0, unchanged: 0, failed: 0, to_create: 0, to_update: 0 };
  for (const o of outcomes) {
    if (o.status === 'failed') s.failed++;
    else if (o.status === 'unchanged') s.unchanged++;
    else if (o.status === 'planned') {
      if (o.item.action === 'create') s.to_create++;
      else s.to_update++;
    } else if (o.item.action === 'create') s.created++;
    else s.updated++;
  }
  return s;
}

function fmtValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function describeChange(c: FieldChange): string {
  const arrow =
    c.from !== undefined && c.to !== undefined
      ? ` ${fmtValue(c.from)} → ${fmtValue(c.to)}`
      : c.to !== undefined
        ? ` = ${fmtValue(c.to)}`
        : '';
  if (c.kind === 'removed')
    return c.from !== undefined ? `${c.field} ${fmtValue(c.from)} → cleared` : `${c.field} → cleared`;
  return c.kind === 'added' && arrow === '' ? `${c.field} (set)` : `${c.field}${arrow}`;
}

export function secretsNote(plan: SubmitPlan): string | undefined {
  if (plan.uncomparedSecrets.length === 0) return undefined;
  return `secret fields (${plan.uncomparedSecrets.join(', ')}) are not compared: Kasm masks them as "**********"; they are sent with every create and update; an unchanged provider keeps the secret Kasm has (--resend-secrets updates it anyway)`;
}

export function submitDocument(
  baseUrl: string,
  file: string,
  plan: SubmitPlan,
  outcomes: SubmitOutcome[],
  dryRun: boolean,
) {
  return {
    file,
    kasm_url: baseUrl,
    dry_run: dryRun,
    providers: outcomes.map((o) => ({
      name: o.item.name,
      vm_provider_name: o.item.vm_provider_name,
      action: o.item.action,
      status: o.status,
      vm_provider_config_id: o.vm_provider_config_id ?? null,
      changes: o.item.changes,
      ...(o.item.conflict_ids ? { conflict_ids: o.item.conflict_ids } : {}),
      notes: o.item.notes,
      error: o.error ?? null,
    })),
    summary: summarize(outcomes),
    notes: [secretsNote(plan)].filter(Boolean),
  };
}

export function printSubmit(
  out: Output,
  baseUrl: string,
  plan: SubmitPlan,
  outcomes: SubmitOutcome[],
  dryRun: boolean,
): void {
  const c = out.colorOut;
  for (const o of outcomes) {
    const who = `${o.item.name} (${o.item.vm_provider_name})`;
    const id = o.vm_provider_config_id ? ` ${o.vm_provider_config_id}` : '';
    const fields = o.item.changes.length ? `: ${o.item.changes.map(describeChange).join(', ')}` : '';
    if (o.status === 'failed')
      out.result(
        `${c.red('✗')} ${who}: ${o.item.action === 'conflict' ? '' : `${o.item.action} failed: `}${o.error}`,
      );
    else if (o.status === 'unchanged') out.result(`${c.dim('=')} ${who}: unchanged${id}`);
    else if (o.item.action === 'create')
      out.result(`${c.green('+')} ${who}: ${dryRun ? 'would create' : `created${id}`}`);
    else out.result(`${c.yellow('~')} ${who}: ${dryRun ? `would update${id}` : `updated${id}`}${fields}`);
    for (const n of o.item.notes) out.warn(`${o.item.name}: ${n}`);
  }
  const note = secretsNote(plan);
  if (note) out.info(out.color.dim(`note: ${note}`));
  const s = summarize(outcomes);
  const failed = s.failed ? `, ${s.failed} failed` : '';
  if (dryRun)
    out.result(
      `Plan (dry run, nothing sent to ${baseUrl}): ${s.to_create} to create, ${s.to_update} to update, ${s.unchanged} unchanged${failed}`,
    );
  else out.result(`Done: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged${failed}`);
}
