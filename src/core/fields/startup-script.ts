import { InputError } from '../errors.js';

/**
 * Kasm fills `{token}` placeholders in a provider's startup script with Python's
 * `str.format`, so kasm-scale does the same, with the same rules: `{{` → `{`, `}}` → `}`,
 * `{name}` → the token's value, and anything else Python would refuse (a single `}`, an
 * unclosed `{`, `{}`, an unknown name) is an error here too — better at `config validate`
 * than as a launch that never registers its agent.
 */

/**
 * The tokens Kasm's Docker-agent startup scripts use (kasmtech/workspaces-autoscale-startup-scripts):
 * the last two of the first six only with DNS registration; nginx_* up to Kasm 1.16.
 */
export const SCRIPT_TOKENS = [
  'server_id',
  'provider_name',
  'manager_token',
  'upstream_auth_address',
  'server_hostname',
  'server_external_fqdn',
  'nginx_cert_in',
  'nginx_key_in',
] as const;
export type ScriptToken = (typeof SCRIPT_TOKENS)[number];

/**
 * The tokens a kasm-scale launch fills (reconcile): the other Kasm tokens need Kasm's own
 * DNS registration or its nginx certificates (up to 1.16), which kasm-scale does not have,
 * so `config validate` refuses them in the script of a provider an autoscale config here
 * launches on, rather than filling them with "".
 */
export const LAUNCH_TOKENS = [
  'server_id',
  'provider_name',
  'manager_token',
  'upstream_auth_address',
] as const satisfies readonly ScriptToken[];

export interface ScriptField {
  /** The field name as Python sees it (`VAR` in `${VAR}`). */
  name: string;
  /** Conversion/format spec after `!` or `:` (kasm-scale does not support them). */
  spec?: string;
  /** Offset of the `{` and its 1-based line/column. */
  index: number;
  line: number;
  column: number;
}

export interface ScriptSyntaxError {
  message: string;
  index: number;
  line: number;
  column: number;
}

/** Every replacement field and every syntax error of a script, in order. */
export function scanStartupScript(script: string): { fields: ScriptField[]; errors: ScriptSyntaxError[] } {
  const fields: ScriptField[] = [];
  const errors: ScriptSyntaxError[] = [];
  const at = (index: number) => {
    const before = script.slice(0, index);
    const line = before.split('\n').length;
    return { index, line, column: index - before.lastIndexOf('\n') };
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '}') {
      if (script[i + 1] === '}') i++;
      else errors.push({ message: "single '}' (write '}}' for a literal brace)", ...at(i) });
      continue;
    }
    if (c !== '{') continue;
    if (script[i + 1] === '{') {
      i++;
      continue;
    }
    // Python finds the closing brace counting nested ones (they belong to a format spec).
    let depth = 1;
    let j = i + 1;
    for (; j < script.length && depth > 0; j++) {
      if (script[j] === '{') depth++;
      else if (script[j] === '}') depth--;
    }
    if (depth > 0) {
      errors.push({ message: "'{' is never closed (write '{{' for a literal brace)", ...at(i) });
      break;
    }
    const inner = script.slice(i + 1, j - 1);
    const cut = inner.search(/[!:]/);
    const name = cut < 0 ? inner : inner.slice(0, cut);
    if (name === '')
      errors.push({
        message: "'{}' is a positional field, which Kasm never fills (write '{{}}' for literal braces)",
        ...at(i),
      });
    else fields.push({ name, ...(cut < 0 ? {} : { spec: inner.slice(cut) }), ...at(i) });
    i = j - 1;
  }
  return { fields, errors };
}

/** Names used in `{...}` fields that are not Kasm tokens (deduplicated, in order of use). */
export function unknownTokens(script: string): string[] {
  const known = new Set<string>(SCRIPT_TOKENS);
  return [
    ...new Set(
      scanStartupScript(script)
        .fields.map((f) => f.name)
        .filter((n) => !known.has(n)),
    ),
  ];
}

/** `str.format(**tokens)`: throws InputError (naming line:column) where Python would raise. */
export function fillStartupScript(script: string, tokens: Record<string, string>): string {
  const { fields, errors } = scanStartupScript(script);
  const first = errors[0];
  if (first) throw new InputError(`startup script line ${first.line}:${first.column}: ${first.message}`);
  for (const f of fields) {
    if (f.spec !== undefined)
      throw new InputError(
        `startup script line ${f.line}:${f.column}: {${f.name}${f.spec}} uses a conversion or format spec, which kasm-scale does not support`,
        { hint: 'write the plain {token}' },
      );
    if (!Object.hasOwn(tokens, f.name))
      throw new InputError(
        `startup script line ${f.line}:${f.column}: {${f.name}} is not a token Kasm fills`,
        {
          hint: `known tokens: ${SCRIPT_TOKENS.join(', ')}; write a literal brace doubled, e.g. \${{${f.name}}}`,
        },
      );
  }
  let out = '';
  let last = 0;
  // Second pass: rebuild the text, unescaping doubled braces outside fields.
  const unescape = (s: string) => s.replace(/\{\{|\}\}/g, (m) => m[0]);
  for (const f of fields) {
    out += unescape(script.slice(last, f.index)) + tokens[f.name];
    last = f.index + f.name.length + 2;
  }
  return out + unescape(script.slice(last));
}
