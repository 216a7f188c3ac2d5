import { closest } from '../../core/fields/common.js';
import { GCP_MESSAGES } from './fields.generated.js';
import { own } from '../../core/own.js';
import { gcpFieldProblems } from './values.js';

export interface GcpOverrideProblem {
  /** Path inside the override, e.g. ["scheduling", "preemptable"]. */
  path: (string | number)[];
  message: string;
}

/**
 * Every key of a gcp_config_override that is not a field of the compute v1 Instance (at
 * its level), and every value that is not of its field's type (enum values included).
 * The library drops unknown keys and coerces wrong values without a word ("false" →
 * true), so a slip would silently do something else; this makes it an error instead.
 * Map-valued fields (labels, resourceManagerTags, ...) take any key.
 */
export function gcpOverrideProblems(override: Record<string, unknown>): GcpOverrideProblem[] {
  const problems: GcpOverrideProblem[] = [];
  walk(override, 'Instance', [], problems);
  return problems;
}

function walk(
  value: unknown,
  message: string,
  path: (string | number)[],
  problems: GcpOverrideProblem[],
): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = own(GCP_MESSAGES, message);
  if (!fields) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const spec = own(fields, key);
    if (!spec) {
      const hint = closest(key, Object.keys(fields));
      problems.push({
        path: [...path, key],
        message: `"${key}" is not a field of the GCP ${message}${hint ? ` (did you mean "${hint}"?)` : ''}; GCP's JSON field names are camelCase`,
      });
      continue;
    }
    if (spec.kind !== 'message' || !spec.type) {
      problems.push(...gcpFieldProblems(child, spec, [...path, key]));
      continue;
    }
    if (child === null || child === undefined) continue;
    if (spec.repeated && !Array.isArray(child))
      problems.push({ path: [...path, key], message: 'expected a list' });
    else if (spec.repeated)
      (child as unknown[]).forEach((item, i) =>
        walkObject(item, spec.type as string, [...path, key, i], problems),
      );
    else walkObject(child, spec.type, [...path, key], problems);
  }
}

function walkObject(
  value: unknown,
  message: string,
  path: (string | number)[],
  problems: GcpOverrideProblem[],
): void {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    problems.push({ path, message: `expected an object (a GCP ${message})` });
  else walk(value, message, path, problems);
}
