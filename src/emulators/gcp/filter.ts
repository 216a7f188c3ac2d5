import { invalid } from './google-errors.js';

/**
 * The list `filter` of Compute Engine, the part kasm-scale and people at a shell use:
 * `labels.kasm-scale-managed = "true"`, `status != TERMINATED`, `name = kasm-*`,
 * `(a = "x") AND (b = "y")`, `OR`, `NOT`, `labels.k:*` (has), `<`, `>`, `<=`, `>=`
 * (numbers by value, other values such as RFC 3339 timestamps as text), and the older
 * `field eq regex` / `field ne regex` form that gcloud rewrites its --filter into
 * (`(name eq ".*\bkasm\-1\b.*")`: the regex keeps its backslashes, only `\"` is the quote
 * itself). Anything else is a 400, as on the real API,
 * so a typo in our own filter shows up in tests instead of silently matching everything.
 */

type Cmp = '=' | '!=' | ':' | 'eq' | 'ne' | '<' | '>' | '<=' | '>=';
type Node =
  | { op: 'and' | 'or'; items: Node[] }
  | { op: 'not'; item: Node }
  | { op: 'cmp'; field: string; cmp: Cmp; value: string };
const CMPS: readonly string[] = ['=', '!=', ':', 'eq', 'ne', '<', '>', '<=', '>='];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|!=|<=|>=|<|>|=|:|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s()=!:<>"']+)/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw invalid(`Invalid list filter expression '${text}'.`);
    tokens.push(m[1]);
    pos = re.lastIndex;
  }
  return tokens;
}

/**
 * A quoted value without its quotes. A regex operand (eq/ne) keeps every backslash (`\b`,
 * `\-`, `\.` are the regex's own) except before the quote character; other operators take
 * `\x` as a literal x.
 */
function unquote(v: string, regex: boolean): string {
  const q = v[0];
  if ((q === '"' || q === "'") && v.length >= 2 && v.endsWith(q)) {
    const inner = v.slice(1, -1);
    return regex ? inner.split(`\\${q}`).join(q) : inner.replace(/\\(.)/g, '$1');
  }
  return v;
}

export function parseFilter(text: string): Node | undefined {
  if (!text.trim()) return undefined;
  const t = tokenize(text);
  let i = 0;
  const bad = (): never => {
    throw invalid(`Invalid list filter expression '${text}'.`);
  };
  const parseOr = (): Node => {
    const items = [parseAnd()];
    while (t[i]?.toUpperCase() === 'OR') {
      i++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { op: 'or', items };
  };
  const parseAnd = (): Node => {
    const items = [parseUnary()];
    while (i < t.length && t[i] !== ')' && t[i].toUpperCase() !== 'OR') {
      if (t[i].toUpperCase() === 'AND') i++; // adjacency means AND too
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0] : { op: 'and', items };
  };
  const parseUnary = (): Node => {
    if (t[i]?.toUpperCase() === 'NOT' || t[i] === '-') {
      i++;
      return { op: 'not', item: parseUnary() };
    }
    if (t[i] === '(') {
      i++;
      const n = parseOr();
      if (t[i++] !== ')') bad();
      return n;
    }
    const field = t[i++];
    const cmp = t[i++];
    const value = t[i++];
    if (
      !field ||
      !cmp ||
      value === undefined ||
      value === '(' ||
      value === ')' ||
      !/^[A-Za-z_][\w.-]*$/.test(field)
    )
      bad();
    if (!CMPS.includes(cmp)) bad();
    const regex = cmp === 'eq' || cmp === 'ne';
    const node = { op: 'cmp' as const, field, cmp: cmp as Cmp, value: unquote(value, regex) };
    if (regex) {
      try {
        new RegExp(node.value);
      } catch {
        throw invalid(`Invalid regular expression '${node.value}' in list filter expression '${text}'.`);
      }
    }
    return node;
  };
  const node = parseOr();
  if (i !== t.length) bad();
  return node;
}

function fieldValue(obj: Record<string, unknown>, path: string): unknown {
  // labels.<key> may contain '-' and '.'-free label keys: only split the first dot for maps.
  const [head, ...rest] = path.split('.');
  const v = obj[head];
  if (rest.length === 0) return v;
  if (head === 'labels' && v && typeof v === 'object') return (v as Record<string, unknown>)[rest.join('.')];
  if (v && typeof v === 'object') return fieldValue(v as Record<string, unknown>, rest.join('.'));
  return undefined;
}

function glob(value: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

export function matches(node: Node | undefined, obj: Record<string, unknown>): boolean {
  if (!node) return true;
  switch (node.op) {
    case 'and':
      return node.items.every((n) => matches(n, obj));
    case 'or':
      return node.items.some((n) => matches(n, obj));
    case 'not':
      return !matches(node.item, obj);
    case 'cmp': {
      const raw = fieldValue(obj, node.field);
      const v = raw === undefined || raw === null ? undefined : String(raw);
      switch (node.cmp) {
        case '=':
          return v !== undefined && glob(v, node.value);
        case '!=':
          return v === undefined || !glob(v, node.value);
        case ':':
          return v !== undefined && (node.value === '*' || v.includes(node.value));
        case 'eq':
          return v !== undefined && new RegExp(`^(?:${node.value})$`).test(v);
        case 'ne':
          return v === undefined || !new RegExp(`^(?:${node.value})$`).test(v);
        default:
          return v !== undefined && ordered(node.cmp, compare(v, node.value));
      }
    }
  }
  return false;
}

/** Numbers by value when both sides are numbers; otherwise text (RFC 3339 timestamps sort as text). */
function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(cmp: Cmp, c: number): boolean {
  if (cmp === '<') return c < 0;
  if (cmp === '>') return c > 0;
  if (cmp === '<=') return c <= 0;
  return c >= 0;
}
