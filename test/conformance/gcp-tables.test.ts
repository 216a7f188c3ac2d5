import { describe, expect, it } from 'vitest';
import { GCP_MESSAGES, type GcpFieldSpec } from '../../src/clouds/gcp/fields.generated.js';
import { gcpOverrideProblems } from '../../src/clouds/gcp/override.js';
import { gcpModelVerdict, sdkEnumValues } from './gcp-model.js';

/**
 * The conformance table checks one body per rule; this checks the whole generated table:
 * for EVERY field reachable from Instance, a spread of JSON values gets the same verdict
 * from the override check (our tables) and from the library's own protobuf handling
 * (gcp-model.ts, which reads nothing of ours). A generator that links a field to the
 * wrong enum, or types it wrongly, fails here.
 */
const POOL: unknown[] = [
  true,
  false,
  'yes',
  'false',
  0,
  7,
  -1,
  1.5,
  3000000000,
  '12',
  'two',
  'x',
  { a: 'b' },
  [],
  ['x'],
];

/** Path from Instance to a field of each message (index 0 through repeated fields). */
function pathsToMessages(): Map<string, (string | number)[]> {
  const paths = new Map<string, (string | number)[]>([['Instance', []]]);
  const queue = ['Instance'];
  while (queue.length) {
    const m = queue.shift()!;
    for (const [name, f] of Object.entries(GCP_MESSAGES[m])) {
      if (f.kind !== 'message' || !f.type || paths.has(f.type)) continue;
      paths.set(f.type, [...paths.get(m)!, name, ...(f.repeated ? [0] : [])]);
      queue.push(f.type);
    }
  }
  return paths;
}

function place(path: (string | number)[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let here: any = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) here[seg] = value;
    else here = here[seg] = typeof path[i + 1] === 'number' ? [] : {};
  });
  return root;
}

describe('the generated GCP tables agree with the compute library on every field', () => {
  it('every field × a spread of values: our check refuses exactly what the library refuses or changes', () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (const [message, at] of pathsToMessages()) {
      for (const [name, f] of Object.entries(GCP_MESSAGES[message]) as [string, GcpFieldSpec][]) {
        const v = f.value;
        // Documented ranges are not in the protos; google.protobuf.Any is opaque.
        if (v.t === 'any' || 'min' in v || 'max' in v) continue;
        // Enum fields: every value either side knows (a value missing from our table, or
        // one the library lacks, disagrees), and a case slip.
        const enumValues = [
          ...new Set([
            ...(v.t === 'enum' ? v.values : []),
            ...sdkEnumValues(message, name).filter((x) => !x.startsWith('UNDEFINED_')),
          ]),
        ];
        const values = enumValues.length ? [...POOL, ...enumValues, enumValues[0].toLowerCase()] : POOL;
        for (const raw of values) {
          const value = f.repeated && !Array.isArray(raw) ? [raw] : raw;
          const path = [...at, name, ...(f.repeated ? [0] : [])];
          const body = place([...at, name], value);
          const ours = gcpOverrideProblems(body).length > 0;
          const theirs = gcpModelVerdict(body, f.repeated ? path : [...at, name]) !== undefined;
          checked++;
          if (ours !== theirs)
            disagreements.push(
              `${message}.${name} = ${JSON.stringify(value)}: ours ${ours ? 'refuses' : 'accepts'}, the library ${theirs ? 'refuses/changes' : 'keeps'}`,
            );
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(disagreements).toEqual([]);
  });
});
