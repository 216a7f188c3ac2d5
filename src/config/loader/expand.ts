import type { PathSegments } from '../problems.js';

/**
 * `${NAME}` in any string value becomes the environment variable's value; `$${` writes a
 * literal `${`. A variable that is not set is a problem (never an empty string: an empty
 * secret would only fail later, at the cloud). Startup scripts are left alone: they are
 * shell scripts whose own `${{VAR}}` braces belong to Kasm's str.format.
 */
const REF = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Any `${` (not `$${`): what is left of it after REF is a broken reference such as `${}` or `${BAD-NAME}`. */
const BROKEN = /(?<!\$)\$\{[^}\s]{0,40}\}?/;
const SKIP = new Set(['startup_script']);

export interface ExpandResult {
  value: unknown;
  missing: { path: PathSegments; name: string }[];
  /** `${}`, `${BAD-NAME}`, an unclosed `${`: a mistake, never kept as literal text. */
  broken: { path: PathSegments; text: string }[];
}

export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): ExpandResult {
  const missing: ExpandResult['missing'] = [];
  const broken: ExpandResult['broken'] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const bad = BROKEN.exec(v.replace(REF, ''));
      if (bad) broken.push({ path, text: bad[0] });
      return v.replace(REF, (all, escaped: string | undefined, name: string) => {
        if (escaped) return all.slice(1);
        const got = env[name];
        if (got === undefined) {
          missing.push({ path, name });
          return all;
        }
        return got;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = SKIP.has(k) ? x : walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, []), missing, broken };
}

/** True when a raw string holds its value inline (not only `${ENV}` references). */
export function isInline(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '' && v.replace(REF, '').trim() !== '';
}
