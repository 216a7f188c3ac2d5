import type { Provider } from '../types.js';
import { cloudOf } from '../../clouds/registry.js';
import { JSON_FIELDS, KASM_KEYS, SUBMIT_FIELDS } from './fields.js';

/**
 * What `config submit` sends to Kasm for one provider: Kasm's own keys only (never
 * `endpoint`, `*_file` or other kasm-scale keys; the loader has already read every `*_file`
 * into its value). JSON-typed fields go as strings holding JSON, the way Kasm's admin UI
 * sends its "(JSON)" text areas, so Kasm parses them on its best-trodden path; Kasm
 * accepts native values too, and comparisons treat both forms alike (compare.ts).
 */

export { JSON_FIELDS, KASM_KEYS, SECRET_FIELDS } from './fields.js';

/** Keys whose Kasm name is not confirmed (reference: Kasm's docs): sent, compared only when Kasm's answer has them. */
export const UNCONFIRMED_FIELDS = new Set(
  Object.values(SUBMIT_FIELDS)
    .flat()
    .filter((f) => f.unconfirmed)
    .map((f) => f.key),
);

/**
 * Kasm's keys of the provider. An optional key the file leaves out is sent as its
 * "cleared" value (fields.ts), so that deleting it from the file clears it in Kasm.
 */
export function toKasmPayload(p: Provider): Record<string, unknown> {
  // `spot` is kasm-scale's key: Kasm learns it through the cloud's config override (submitProvider).
  const src = cloudOf(p).submitProvider(p) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of SUBMIT_FIELDS[p.vm_provider_name]) {
    const v = src[f.key] ?? (f.presence === 'optional' ? f.cleared : undefined);
    // A required key is never missing from a validated config; leaving it out changes nothing in Kasm.
    if (v === undefined || v === null) continue;
    out[f.key] = JSON_FIELDS.has(f.key) && typeof v !== 'string' ? JSON.stringify(v) : v;
  }
  return out;
}

/** Keys of a provider entry that are kasm-scale's own and never reach Kasm (for the report). */
export function localOnlyKeys(p: Provider): string[] {
  const kasm = new Set(KASM_KEYS[p.vm_provider_name]);
  return Object.keys(p).filter(
    (k) => !kasm.has(k) && (p as unknown as Record<string, unknown>)[k] !== undefined,
  );
}
