import { InputError } from '../core/errors.js';
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
