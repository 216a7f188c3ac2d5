import { cloudOf } from '../../clouds/registry.js';
import type { KasmVmProviderConfig } from '../../kasm/types.js';
import type { Provider } from '../types.js';
import { canonical, isEmptyValue, sameValue } from './compare.js';
import { SUBMIT_FIELDS } from './fields.js';
import { SECRET_FIELDS, toKasmPayload, UNCONFIRMED_FIELDS } from './payload.js';

/**
 * The upsert plan, apart from carrying it out (changesets-style): for each provider in the
 * file, match Kasm's list on (vm_provider_name, vm_provider_config_name), then create,
 * update by id, leave unchanged (every non-secret key Kasm has equal), or refuse when
 * several Kasm configs share the name. Pure: no I/O.
 */

export type SubmitAction = 'create' | 'update' | 'unchanged' | 'conflict';

export interface FieldChange {
  field: string;
  /** added: Kasm has no value; removed: the file clears it; changed: both have values. */
  kind: 'added' | 'changed' | 'removed';
  /** Only for short, non-secret scalar values (numbers, booleans, short strings). */
  from?: unknown;
  to?: unknown;
  /** removed: the empty value sent to clear it (fields.ts): "", 0, "{}", ... */
  sent?: unknown;
}

export interface SubmitItem {
  name: string;
  vm_provider_name: Provider['vm_provider_name'];
  action: SubmitAction;
  /** Kasm's id for update/unchanged (and conflict: every matching id). */
  vm_provider_config_id?: string;
  conflict_ids?: string[];
  changes: FieldChange[];
  /** The body to send. Holds secrets: never print it. */
  payload: Record<string, unknown>;
  /** Per-provider remarks for the report. */
  notes: string[];
}

export interface SubmitPlan {
  items: SubmitItem[];
  /** Secret fields sent by this plan, which Kasm masks and so were not compared. */
  uncomparedSecrets: string[];
}

/** Values worth showing next to a changed field: short, one line, never a secret or script. */
function showable(field: string, v: unknown): unknown {
  if ((SECRET_FIELDS as readonly string[]).includes(field) || field === 'startup_script') return undefined;
  const c = canonical(v);
  if (c === null) return undefined;
  if (typeof c === 'number' || typeof c === 'boolean') return c;
  const s = typeof c === 'string' ? c : JSON.stringify(c);
  return s.length <= 60 && !s.includes('\n') ? s : undefined;
}

/** `leftOut`: the optional keys the file does not have (sent as their cleared value), shown as "cleared". */
export function diffConfig(
  payload: Record<string, unknown>,
  current: Record<string, unknown>,
  leftOut?: ReadonlySet<string>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, want] of Object.entries(payload)) {
    if ((SECRET_FIELDS as readonly string[]).includes(field)) continue;
    if (field === 'vm_provider_name' || field === 'vm_provider_config_name') continue;
    if (UNCONFIRMED_FIELDS.has(field) && !Object.hasOwn(current, field)) continue;
    const have = current[field];
    if (sameValue(want, have, field)) continue;
    const cleared = leftOut ? leftOut.has(field) || isEmptyValue(want) : isEmptyValue(want, field);
    const kind: FieldChange['kind'] = isEmptyValue(have, field) ? 'added' : cleared ? 'removed' : 'changed';
    const from = showable(field, have);
    const to = kind === 'removed' ? undefined : showable(field, want);
    // A cleared key is sent as its type's empty value (fields.ts): short, never a secret.
    changes.push({
      field,
      kind,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(kind === 'removed' ? { sent: want } : {}),
    });
  }
  return changes;
}

/** `resendSecrets`: update a provider even when every comparable field is equal, so a rotated secret reaches Kasm. */
export function planSubmit(
  providers: Provider[],
  existing: KasmVmProviderConfig[],
  opts: { resendSecrets?: boolean } = {},
): SubmitPlan {
  const secrets = new Set<string>();
  const items = providers.map((p): SubmitItem => {
    const payload = toKasmPayload(p);
    for (const s of SECRET_FIELDS) if (s in payload) secrets.add(s);
    const base = {
      name: p.vm_provider_config_name,
      vm_provider_name: p.vm_provider_name,
      payload,
      notes: [] as string[],
    };
    base.notes.push(...(cloudOf(p).submitNotes?.(p) ?? []));
    const matches = existing.filter(
      (c) =>
        c.vm_provider_name === p.vm_provider_name && c.vm_provider_config_name === p.vm_provider_config_name,
    );
    if (matches.length > 1) {
      return {
        ...base,
        action: 'conflict',
        conflict_ids: matches.map((m) => m.vm_provider_config_id),
        changes: [],
      };
    }
    if (matches.length === 0) return { ...base, action: 'create', changes: [] };
    const current = matches[0];
    const src = p as unknown as Record<string, unknown>;
    const leftOut = new Set(
      SUBMIT_FIELDS[p.vm_provider_name]
        .filter((f) => f.presence === 'optional' && (src[f.key] === undefined || src[f.key] === null))
        .map((f) => f.key),
    );
    const changes = diffConfig(payload, current, leftOut);
    if (changes.length === 0 && opts.resendSecrets) {
      for (const s of SECRET_FIELDS) if (s in payload) changes.push({ field: s, kind: 'changed' });
    }
    return {
      ...base,
      action: changes.length ? 'update' : 'unchanged',
      vm_provider_config_id: current.vm_provider_config_id,
      changes,
    };
  });
  return { items, uncomparedSecrets: [...secrets] };
}
