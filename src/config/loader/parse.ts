import { extname } from 'node:path';
import {
  isAlias,
  isMap,
  isSeq,
  isScalar,
  isPair,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import type { PathSegments } from '../problems.js';

/** A parsed config file that still knows where each value came from. */
export interface ParsedSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain value (before `${ENV}` expansion). */
  value: unknown;
  /** Syntax errors, already located. */
  errors: { message: string; line?: number; column?: number }[];
}

/**
 * YAML or JSON by extension. JSON is parsed with JSON.parse first (so what passes is
 * strict JSON), then through the YAML parser (JSON is YAML 1.2) to keep positions.
 */
export function parseSource(file: string, text: string): ParsedSource {
  const lines = new LineCounter();
  const isJson = extname(file).toLowerCase() === '.json';
  const errors: ParsedSource['errors'] = [];
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? lineCol(text, Number(pos[1])) : {};
      errors.push({ message: `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, ...at });
    }
  }
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  if (!errors.length) {
    for (const e of doc.errors) {
      const p = lines.linePos(e.pos[0]);
      errors.push({
        message: `not valid ${isJson ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`,
        line: p.line,
        column: p.col,
      });
    }
  }
  let value: unknown;
  if (!errors.length) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // The yaml library refuses an alias that would expand past maxAliasCount nodes (a
      // "billion laughs" file): a problem with the file, not a bug of ours.
      if (!/alias/i.test((err as Error).message)) throw err;
      errors.push({
        message: `not valid YAML: its aliases (*name) expand to too much data (more than ${MAX_ALIAS_COUNT} nodes per alias); write the values out instead`,
        ...firstAlias(doc, lines),
      });
    }
  }
  return { file, doc, lines, value, errors };
}

/** How many nodes one alias may expand to; a real config needs a handful at most. */
const MAX_ALIAS_COUNT = 100;

function firstAlias(doc: Document.Parsed, lines: LineCounter): { line?: number; column?: number } {
  let at: { line?: number; column?: number } = {};
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node) || !node.range) return;
      const p = lines.linePos(node.range[0]);
      at = { line: p.line, column: p.col };
      return visit.BREAK;
    },
  });
  return at;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * line:column of the deepest node on `path` (a path into a JSON string stops at that
 * string). `atKey` points at the key of the last segment, for unknown keys.
 */
export function locate(
  src: ParsedSource,
  path: PathSegments,
  atKey = false,
): { line?: number; column?: number } {
  let node: Node | null | undefined = src.doc.contents as Node | null;
  let best: Node | null | undefined = node;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair: Pair<unknown, unknown> | undefined = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      const last = i === path.length - 1;
      const next: Node = (last && atKey) || pair.value == null ? (pair.key as Node) : (pair.value as Node);
      node = next;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | undefined;
      if (!node) break;
    } else break;
    best = node;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return {};
  const p = src.lines.linePos(offset);
  return { line: p.line, column: p.col };
}
