/**
 * Reads one big list out of a Kasm answer row by row. `get_kasms` with 20,000 sessions is
 * ~10 MB of JSON; JSON.parse of the whole answer builds every row with its image, user and
 * agent objects at once (~40 MB of heap) only for the pass to keep a few keys of each.
 * Here the text is scanned once for the rows of the top-level `key` array, each row is
 * parsed and handed to `onRow` (which keeps what it needs) on its own, and the rest of the
 * answer is parsed with that array left empty. Every byte still goes through JSON.parse:
 * the skeleton and each row are checked by it, the scanner only finds their bounds (and
 * the commas between rows). Anything it does not expect — the key missing, a row that is
 * not an object — returns undefined, and the caller parses the whole text as before.
 */
export function parseRows<T>(text: string, key: string, onRow: (row: unknown) => T): { doc: Record<string, unknown>; rows: T[] } | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x7b /* { */) return undefined;
  let depth = 0;
  let pendingKey: string | undefined;
  let arrStart = -1;
  let arrEnd = -1;
  let inTarget = false;
  let rowStart = -1;
  let afterRow = false; // in the array, a row has ended and no comma followed yet
  let afterComma = false;
  const rows: T[] = [];
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const s = i;
      i = stringEnd(text, i);
      if (i < 0) return undefined;
      if (inTarget && depth === 2) return undefined; // a string row
      if (depth === 1) {
        pendingKey = text.slice(s + 1, i);
        // A second `key` would win in JSON.parse: let it parse the whole text.
        if (arrEnd >= 0 && pendingKey === key) return undefined;
      }
      continue;
    }
    if (c === 0x7b || c === 0x5b /* { [ */) {
      if (depth === 1 && c === 0x5b && pendingKey === key && arrStart < 0) {
        arrStart = i;
        inTarget = true;
      } else if (inTarget && depth === 2) {
        if (c !== 0x7b || afterRow) return undefined; // rows are objects, separated by commas
        rowStart = i;
      }
      depth++;
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      if (inTarget && depth === 2 && rowStart >= 0) {
        rows.push(onRow(JSON.parse(text.slice(rowStart, i + 1))));
        rowStart = -1;
        afterRow = true;
        afterComma = false;
      } else if (inTarget && depth === 1) {
        if (afterComma) return undefined; // a trailing comma
        arrEnd = i;
        inTarget = false;
      }
    } else if (c === 0x2c /* , */) {
      if (depth === 1) pendingKey = undefined;
      else if (inTarget && depth === 2) {
        if (!afterRow) return undefined;
        afterRow = false;
        afterComma = true;
      }
    } else if (inTarget && depth === 2 && !isSpace(c)) {
      return undefined; // a number, true, false or null row
    }
  }
  if (arrStart < 0 || arrEnd < 0) return undefined;
  const doc = JSON.parse(`${text.slice(0, arrStart)}[]${text.slice(arrEnd + 1)}`) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  return { doc: doc as Record<string, unknown>, rows };
}

/** Index of the quote that closes the string opened at `open` (indexOf: native speed), or -1. */
function stringEnd(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q > 0) {
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === 0x5c; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
