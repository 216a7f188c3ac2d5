import { CliError, errorLine } from '../../core/errors.js';
import type { KasmClient } from '../../kasm/types.js';
import type { SubmitItem, SubmitPlan } from './plan.js';

export type ItemStatus = 'planned' | 'done' | 'unchanged' | 'failed';

export interface SubmitOutcome {
  item: SubmitItem;
  status: ItemStatus;
  /** The id Kasm gave (create) or used (update). */
  vm_provider_config_id?: string;
  /** One line, already free of secrets (the client scrubs them). */
  error?: string;
}

function conflictLine(item: SubmitItem): string {
  return `${item.conflict_ids?.length ?? 0} Kasm ${item.vm_provider_name} VM provider configs are named "${item.name}" (ids ${(item.conflict_ids ?? []).join(', ')}); rename or delete all but one in Kasm`;
}

/**
 * Carries out a plan, one provider after the other (Kasm's API is not built for bursts and
 * the list is short). A failing provider does not stop the others; each failure is kept as
 * its one line. With `dryRun` nothing is sent.
 */
export async function executeSubmit(
  plan: SubmitPlan,
  client: KasmClient,
  opts: { dryRun: boolean },
): Promise<SubmitOutcome[]> {
  const outcomes: SubmitOutcome[] = [];
  for (const item of plan.items) {
    if (item.action === 'conflict') {
      outcomes.push({ item, status: 'failed', error: conflictLine(item) });
      continue;
    }
    if (item.action === 'unchanged') {
      outcomes.push({ item, status: 'unchanged', vm_provider_config_id: item.vm_provider_config_id });
      continue;
    }
    if (opts.dryRun) {
      outcomes.push({ item, status: 'planned', vm_provider_config_id: item.vm_provider_config_id });
      continue;
    }
    try {
      const answer =
        item.action === 'create'
          ? await client.createVmProviderConfig(item.payload)
          : await client.updateVmProviderConfig(item.vm_provider_config_id!, item.payload);
      outcomes.push({
        item,
        status: 'done',
        vm_provider_config_id: answer.vm_provider_config_id || item.vm_provider_config_id,
      });
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      outcomes.push({
        item,
        status: 'failed',
        vm_provider_config_id: item.vm_provider_config_id,
        error: errorLine(err),
      });
    }
  }
  return outcomes;
}
