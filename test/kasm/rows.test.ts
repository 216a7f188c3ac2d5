import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRows, parseRowsFromBytes, RowReader } from '../../src/kasm/rows.js';

/** parseRows reads exactly what JSON.parse reads, or steps aside (undefined / throws) for the caller's whole-text parse. */
const whole = (text: string, key: string) => {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const rows = doc[key] as unknown[];
  return { doc: { ...doc, [key]: [] }, rows };
};

describe('parseRows: one list of a Kasm answer, row by row', () => {
  it('gives the same rows and the same rest as JSON.parse, whatever the strings hold', () => {
    const tricky = fc.oneof(
      fc.string(),
      fc.constantFrom('"', '\\', '\\"', '{', '}', '[', ']', ',', 'kasms', '"kasms":[', '\u00e9\u{1F600}'),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(tricky, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const row = fc.dictionary(tricky, value, { maxKeys: 5 });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 6 }),
        fc.dictionary(
          fc.string().filter((k) => k !== 'kasms'),
          value,
          { maxKeys: 3 },
        ),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, other, pretty, cuts, sliceBytes) => {
          const text = JSON.stringify(
            { ...other, kasms: rows, current_time: '2025-01-06 09:00:00' },
            null,
            pretty ? 2 : undefined,
          );
          const expected = whole(text, 'kasms');
          expect(parseRows(text, 'kasms', (r) => r)).toEqual(expected);
          // In pieces cut anywhere (inside strings, after a backslash, inside a key)...
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const reader = new RowReader('kasms', (r) => r);
          let from = 0;
          for (const to of [...at, text.length]) {
            expect(reader.feed(text.slice(from, to))).toBe(true);
            from = to;
          }
          expect(reader.end()).toEqual(expected);
          // ...and from bytes decoded a few at a time (UTF-8 sequences split between slices).
          expect(parseRowsFromBytes(Buffer.from(text), 'kasms', (r) => r, sliceBytes)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hands each row to onRow once, in order', () => {
    const seen: unknown[] = [];
    const r = parseRows(
      '{"kasms": [{"a":1}, {"a":2},{"a":3}]}',
      'kasms',
      (x) => (seen.push(x), (x as { a: number }).a * 10),
    );
    expect(r?.rows).toEqual([10, 20, 30]);
    expect(seen).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it.each([
    ['no such key', '{"servers": []}'],
    ['not an object', '[{"kasms": []}]'],
    ['a row that is not an object', '{"kasms": [{"a":1}, 2]}'],
    ['a string row', '{"kasms": ["x"]}'],
    ['a trailing comma', '{"kasms": [{"a":1},]}'],
    ['a missing comma', '{"kasms": [{"a":1} {"a":2}]}'],
    ['the key twice (JSON.parse keeps the last)', '{"kasms": [{"a":1}], "kasms": []}'],
    ['the key spelt with an escape', '{"kas\\u006ds": [{"a":1}]}'],
  ])('steps aside on %s', (_why, text) => {
    expect(parseRows(text, 'kasms', (x) => x)).toBeUndefined();
  });

  it('throws on a row that is not JSON (the caller then parses the whole text and reports it)', () => {
    expect(() => parseRows('{"kasms": [{"a":}]}', 'kasms', (x) => x)).toThrow(SyntaxError);
    expect(() => parseRows('{"kasms": [{"a":1}], }', 'kasms', (x) => x)).toThrow(SyntaxError);
  });
});
