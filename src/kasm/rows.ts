/**
 * Reads one big list out of a Kasm answer row by row. `get_kasms` with 20,000 sessions is
 * ~10 MB of JSON; JSON.parse of the whole answer builds every row with its image, user and
 * agent objects at once (~40 MB of heap) only for the pass to keep a few keys of each.
 * RowReader is fed the answer in pieces (decoded from the bytes a slice at a time, so the
 * whole answer never exists as one string either), finds the rows of the top-level `key`
 * array, parses each on its own and hands it to `onRow` (which keeps what it needs); the
 * rest of the answer is parsed with that array left empty. Every byte still goes through
 * JSON.parse: the skeleton and each row are checked by it, the reader only finds their
 * bounds (and the commas between rows). Anything it does not expect — the key missing or
 * given twice, a row that is not an object — makes it step aside (undefined), and the
 * caller parses the whole text as before; a row that is not JSON throws.
 */
import { StringDecoder } from 'node:string_decoder';

const QUOTE = 0x22;

export class RowReader<T> {
  readonly rows: T[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false; // the piece ended inside a string right after a backslash
  private keyParts: string[] | undefined; // a string at depth 1 being read (a key, maybe ours)
  private pendingKey: string | undefined;
  private stage: 'before' | 'in' | 'after' = 'before';
  private rowParts: string[] | undefined; // the row being read
  private afterRow = false;
  private afterComma = false;
  private readonly skeleton: string[] = [];
  private failed = false;
  private seenStart = false;

  constructor(
    private readonly key: string,
    private readonly onRow: (row: unknown) => T,
  ) {}

  /** Reads the next piece of the answer; false once the reader has stepped aside. */
  feed(s: string): boolean {
    if (this.failed) return false;
    const n = s.length;
    let i = 0;
    let keep = 0; // start of the part of `s` not yet copied to the skeleton or the row
    // The next backslash at or after i, found once per backslash (not once per string:
    // searching the rest of the piece for every string would be quadratic).
    let backslash = -2;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const q = s.indexOf('"', i);
        if (backslash !== -1 && backslash < i) backslash = s.indexOf('\\', i);
        const b = backslash;
        if (b !== -1 && (q === -1 || b < q)) {
          if (b + 1 >= n) {
            this.escaped = true;
            i = n;
          } else i = b + 2;
          continue;
        }
        if (q === -1) {
          i = n;
          continue;
        }
        this.inString = false;
        if (this.keyParts) {
          this.keyParts.push(s.slice(keep, q));
          this.pendingKey = this.keyParts.join('');
          this.skeleton.push(this.pendingKey);
          this.keyParts = undefined;
          keep = q; // the closing quote goes to the skeleton
          if (this.stage === 'after' && this.pendingKey === this.key) return this.stepAside(); // JSON.parse keeps the last
        }
        i = q + 1;
        continue;
      }
      const c = s.charCodeAt(i);
      if (!this.seenStart) {
        if (isSpace(c)) {
          i++;
          continue;
        }
        if (c !== 0x7b /* { */) return this.stepAside();
        this.seenStart = true;
      }
      if (c === QUOTE) {
        if (this.stage === 'in' && this.depth === 2) return this.stepAside(); // a string row
        this.inString = true;
        if (this.depth === 1) {
          this.skeleton.push(s.slice(keep, i + 1));
          keep = i + 1;
          this.keyParts = [];
        }
      } else if (c === 0x7b || c === 0x5b /* { [ */) {
        if (this.depth === 1 && c === 0x5b && this.pendingKey === this.key && this.stage === 'before') {
          this.skeleton.push(s.slice(keep, i), '[]');
          keep = i + 1;
          this.stage = 'in';
        } else if (this.stage === 'in' && this.depth === 2) {
          if (c !== 0x7b || this.afterRow) return this.stepAside(); // rows are objects, separated by commas
          keep = i;
          this.rowParts = [];
        }
        this.depth++;
      } else if (c === 0x7d || c === 0x5d /* } ] */) {
        this.depth--;
        if (this.stage === 'in' && this.depth === 2 && this.rowParts) {
          this.rowParts.push(s.slice(keep, i + 1));
          keep = i + 1;
          this.rows.push(this.onRow(JSON.parse(this.rowParts.join(''))));
          this.rowParts = undefined;
          this.afterRow = true;
          this.afterComma = false;
        } else if (this.stage === 'in' && this.depth === 1) {
          if (this.afterComma) return this.stepAside(); // a trailing comma
          keep = i + 1;
          this.stage = 'after';
        }
      } else if (c === 0x2c /* , */) {
        if (this.depth === 1) this.pendingKey = undefined;
        else if (this.stage === 'in' && this.depth === 2) {
          if (!this.afterRow) return this.stepAside();
          this.afterRow = false;
          this.afterComma = true;
          keep = i + 1;
        }
      } else if (this.stage === 'in' && this.depth === 2) {
        if (!isSpace(c)) return this.stepAside(); // a number, true, false or null row
        keep = i + 1;
      }
      i++;
    }
    // Carry the unfinished part over to the next piece.
    if (this.stage === 'in' && this.rowParts) this.rowParts.push(s.slice(keep));
    else if (this.stage !== 'in' || this.depth < 2) {
      if (this.keyParts) this.keyParts.push(s.slice(keep));
      else this.skeleton.push(s.slice(keep));
    }
    return true;
  }

  /** The rest of the answer (the list left empty) and the rows; undefined when the reader stepped aside. */
  end(): { doc: Record<string, unknown>; rows: T[] } | undefined {
    if (this.failed || this.stage !== 'after' || this.inString) return undefined;
    const doc = JSON.parse(this.skeleton.join('')) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    const list = (doc as Record<string, unknown>)[this.key];
    if (!Array.isArray(list) || list.length > 0) return undefined; // the key spelt with escapes, given twice
    return { doc: doc as Record<string, unknown>, rows: this.rows };
  }

  private stepAside(): false {
    this.failed = true;
    this.skeleton.length = 0;
    this.rows.length = 0;
    return false;
  }
}

/** The whole text at once (tests, and answers already held as text). */
export function parseRows<T>(
  text: string,
  key: string,
  onRow: (row: unknown) => T,
): { doc: Record<string, unknown>; rows: T[] } | undefined {
  const reader = new RowReader(key, onRow);
  return reader.feed(text) ? reader.end() : undefined;
}

/** The answer's bytes, decoded a slice at a time (UTF-8 sequences split across slices are kept whole). */
export function parseRowsFromBytes<T>(
  bytes: Buffer,
  key: string,
  onRow: (row: unknown) => T,
  sliceBytes = 1 << 20,
): { doc: Record<string, unknown>; rows: T[] } | undefined {
  const reader = new RowReader(key, onRow);
  const decoder = new StringDecoder('utf8');
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    if (!reader.feed(decoder.write(bytes.subarray(at, at + sliceBytes)))) return undefined;
  }
  return reader.feed(decoder.end()) ? reader.end() : undefined;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
