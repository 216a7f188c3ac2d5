import type { z } from 'zod';
import { closest } from '../../core/fields/common.js';
import { autoscaleFields } from '../schema/autoscale.js';
import { cloudNamed } from '../../clouds/registry.js';
import { kasmFields } from '../../kasm/schema.js';
import { scheduleWindowSchema } from '../schema/schedule.js';
import type { PathSegments } from '../problems.js';

/** A zod issue turned into our words: path, message (with what is expected), and whether it names a key. */
export interface RawProblem {
  path: PathSegments;
  message: string;
  atKey?: boolean;
  /** The value to describe as "found" when it is not the one at `path`. */
  found?: unknown;
}

const TOP_KEYS = ['kasm', 'providers', 'autoscale', '$schema'];

/** The keys an object at `path` may have, for "did you mean". */
function knownKeys(root: unknown, path: PathSegments): string[] {
  const [a, , c] = path;
  if (path.length === 0) return TOP_KEYS;
  if (a === 'kasm' && path.length === 1) return Object.keys(kasmFields);
  if (a === 'autoscale' && path.length === 2) return Object.keys(autoscaleFields);
  if (a === 'autoscale' && c === 'schedules' && path.length === 4)
    return Object.keys(scheduleWindowSchema.shape);
  if (a === 'providers') {
    const p = valueAt(root, path.slice(0, 2)) as { vm_provider_name?: unknown } | undefined;
    // An unknown cloud has no keys to suggest: never another cloud's names.
    const cloud = cloudNamed(p?.vm_provider_name);
    if (!cloud) return [];
    if (path.length === 2) return Object.keys(cloud.fields);
    if (typeof c === 'string' && cloud.nestedKeys && Object.hasOwn(cloud.nestedKeys, c))
      return cloud.nestedKeys[c]!;
  }
  return [];
}

/** The value at `path`, looking inside strings that hold JSON (Kasm's JSON fields). */
export function valueAt(root: unknown, path: PathSegments): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        return undefined;
      }
    }
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], root: unknown): RawProblem[] {
  const out: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const known = knownKeys(root, path);
          const guess = closest(key, known);
          out.push({
            path: [...path, key],
            message: `unknown key "${key}"${guess ? `; did you mean "${guess}"?` : known.length ? `; expected one of ${known.join(', ')}` : ''}`,
            atKey: true,
          });
        }
        break;
      case 'invalid_type': {
        const value = valueAt(root, path);
        const custom = issue.message.startsWith('expected')
          ? issue.message
          : `expected ${issue.expected === 'record' ? 'object' : issue.expected}`;
        out.push({
          path,
          message:
            value === undefined ? `missing ${String(path[path.length - 1] ?? 'value')}; ${custom}` : custom,
        });
        break;
      }
      case 'invalid_key':
        // A record key failed its own schema: its messages say what a key must look like.
        out.push({ path, message: issue.issues.map((i) => i.message).join('; '), atKey: true });
        break;
      case 'invalid_union':
        out.push({
          path,
          message: issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`,
        });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}
