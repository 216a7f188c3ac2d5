import { CLOUD_LIST, type CloudName } from '../../clouds/registry.js';
import type { SubmitField } from '../../core/fields/submit-kinds.js';

/**
 * Every key `config submit` sends to Kasm, per cloud, and what it sends when the file
 * leaves an optional key out. Kasm's update leaves a key it gets as null (or not at all)
 * unchanged, so "not in the file" can only reach Kasm as the empty value of the key's
 * type that Kasm stores: "" for strings, {} / [] for JSON columns, and for integers a
 * value Kasm reads as "not set". docs/submit.md shows this table (a test keeps the two
 * equal), and test/kasm/submit-clear.test.ts clears each optional key through the emulator.
 */

export type { KasmFieldType, SubmitField } from '../../core/fields/submit-kinds.js';

/** Every cloud's keys, from its registry entry. */
export const SUBMIT_FIELDS = Object.fromEntries(CLOUD_LIST.map((c) => [c.name, c.submitFields])) as Record<
  CloudName,
  SubmitField[]
>;

/** Kasm's keys, per cloud, in the order of Kasm's form. */
export const KASM_KEYS = Object.fromEntries(
  CLOUD_LIST.map((c) => [c.name, c.submitFields.map((f) => f.key)]),
) as Record<CloudName, string[]>;

const BY_KEY = new Map<string, SubmitField>(CLOUD_LIST.flatMap((c) => c.submitFields).map((f) => [f.key, f]));

export function submitField(key: string): SubmitField | undefined {
  return BY_KEY.get(key);
}

export const SECRET_FIELDS = [...BY_KEY.values()].filter((f) => f.type === 'secret').map((f) => f.key);

/** Kasm's "(JSON)" fields (a secret may be one too, e.g. gcp_credentials): sent as strings holding JSON. */
export const JSON_FIELDS = new Set(
  [...BY_KEY.values()]
    .filter((f) => f.type === 'json-list' || f.type === 'json-dict' || f.jsonText === true)
    .map((f) => f.key),
);

function show(v: unknown): string {
  return typeof v === 'string' ? (v === '' ? '`""`' : `\`${v}\``) : `\`${JSON.stringify(v)}\``;
}

/** The table docs/submit.md shows (Markdown), generated from SUBMIT_FIELDS. */
export function submitFieldTable(cloud: CloudName): string {
  const rows = SUBMIT_FIELDS[cloud].map((f) => {
    // A defaulted row's `why` is its default.
    const sent =
      f.presence === 'required'
        ? 'required'
        : f.presence === 'defaulted'
          ? `its default, ${f.why}`
          : show(f.cleared);
    const notes = [
      f.presence === 'defaulted' ? '' : f.why,
      !f.compared ? 'not compared' : '',
      f.unconfirmed ? 'compared only when Kasm returns it' : '',
      f.alsoUnset ? `a stored ${f.alsoUnset.map(show).join(', ')} also counts as not set` : '',
    ].filter(Boolean);
    return `| \`${f.key}\` | ${f.type} | ${sent} | ${notes.join('; ')} |`;
  });
  return ['| key | type | left out of the file, submit sends | notes |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}
