/** The shape of one key `config submit` sends to Kasm (see fields.ts), and the helpers each cloud's table is written with. */

export type KasmFieldType = 'string' | 'integer' | 'boolean' | 'json-list' | 'json-dict' | 'secret';

export interface SubmitField {
  key: string;
  type: KasmFieldType;
  /**
   * required: the file must have it (or its `*_file` key), so it is never left out;
   * defaulted: the loader fills the schema's default, which is what is sent;
   * optional: left out of the file, `cleared` is sent.
   */
  presence: 'required' | 'defaulted' | 'optional';
  /** Sent when an optional key is left out (JSON fields: the native empty value; the payload sends its JSON text). */
  cleared?: unknown;
  /** Stored values that also mean "not set" (besides null, "", {} and []). */
  alsoUnset?: unknown[];
  /** Not compared: Kasm masks secrets; the match keys are how the config is found. */
  compared: boolean;
  /** A secret Kasm stores as JSON text (gcp_credentials): sent as a string holding JSON. */
  jsonText?: boolean;
  /** Kasm's name for it is not confirmed: compared only when Kasm's answer has it. */
  unconfirmed?: boolean;
  /** Why this value (for a defaulted key: its default), shown in docs/submit.md. */
  why: string;
}

export const req = (
  key: string,
  type: KasmFieldType,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'required', compared: true, why, ...extra });
export const def = (
  key: string,
  type: KasmFieldType,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'defaulted', compared: true, why, ...extra });
export const opt = (
  key: string,
  type: KasmFieldType,
  cleared: unknown,
  why: string,
  extra: Partial<SubmitField> = {},
): SubmitField => ({ key, type, presence: 'optional', cleared, compared: true, why, ...extra });

/** The keys every cloud's provider config has, first in Kasm's form. */
export const COMMON: SubmitField[] = [
  req('vm_provider_name', 'string', 'with the name, how submit finds the config in Kasm', {
    compared: false,
  }),
  req('vm_provider_config_name', 'string', 'with the type, how submit finds the config in Kasm', {
    compared: false,
  }),
  req('max_instances', 'integer', '0 is a real limit, not "not set"'),
  req('startup_script', 'string', 'never printed'),
];
