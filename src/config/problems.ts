import { InputError } from '../core/errors.js';
import { secretKind } from '../core/echo.js';
import { escapeControl } from '../core/escape.js';
import type { PathSegments } from '../core/fields/path.js';

/** One thing wrong with a config file, located as precisely as the file allows. */
export interface ConfigProblem {
  /** Absolute path of the config file (or of the file a `*_file` key names). */
  file: string;
  /** `providers[1].gcp_custom_labels.Env`; '' for the whole file. */
  path: string;
  /** 1-based line and column in `file`, when the file has a node for the path. */
  line?: number;
  column?: number;
  /** What is wrong and what is expected. Never holds a secret. */
  message: string;
  /** A short, secret-free description of the value found (absent when missing or secret). */
  found?: string;
}

export type { PathSegments } from '../core/fields/path.js';

/** ['providers', 1, 'gcp_custom_labels', 'Env'] → `providers[1].gcp_custom_labels.Env` */
export function formatPath(path: PathSegments): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `kasm-scale.yaml:12:5: providers[0].oci_fingerprint: expected ... (found "abc")` */
export function problemLine(p: ConfigProblem, displayFile = p.file): string {
  const where = p.line ? `${displayFile}:${p.line}:${p.column ?? 1}` : displayFile;
  return escapeControl(
    `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}${p.found ? ` (found ${p.found})` : ''}`,
  );
}

/** The config file has problems: exit 2; `.problems` lists every one. */
export class ConfigInvalidError extends InputError {
  readonly problems: ConfigProblem[];
  constructor(file: string, problems: ConfigProblem[]) {
    const first = problems[0];
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    super(`${first ? problemLine(first) : `${file} is not valid`}${more}`, {
      hint: `run kasm-scale config validate ${file} to see every problem`,
    });
    this.name = 'ConfigInvalidError';
    this.problems = problems;
  }
}

/** Keys whose values are secrets: never echoed in a problem. */
export const SECRET_KEYS = new Set([
  'oci_private_key',
  'oci_private_key_passphrase',
  'gcp_credentials',
  'api_key_secret',
  'manager_token',
]);

export function isSecretPath(path: PathSegments): boolean {
  return path.some((s) => typeof s === 'string' && SECRET_KEYS.has(s));
}

/** A short description of a value for "found": type and, for short scalars, the value. */
export function describeFound(value: unknown, path: PathSegments): string | undefined {
  if (value === undefined) return undefined;
  if (isSecretPath(path)) return undefined;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    // A secret pasted into the wrong key: its kind and length only (the one rule: core/echo.ts).
    const kind = secretKind(value);
    if (kind) return `${kind} of ${value.length} characters`;
    if (value.length > 60 || value.includes('\n')) return `a text of ${value.length} characters`;
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length
      ? `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`
      : 'an empty object';
  }
  return typeof value;
}
