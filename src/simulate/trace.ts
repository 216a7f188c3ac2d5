import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { InputError, oneLine } from '../core/errors.js';
import { parseClock } from './clock.js';
import { parseFaults, type TraceFault } from './trace-faults.js';

export { parseClock } from './clock.js';

/**
 * A demand trace for `simulate` (format in docs/scheduling.md, "Demand traces"): rows of
 * `time,sessions,cores,memory_mb,gpus` (and optionally `zone`); all rows of one time together are the whole demand
 * at that moment, held until the next time. CSV, or JSON as an array of the same rows.
 */
export interface TraceRow {
  /** Seconds since the start of the simulated day. */
  at: number;
  sessions: number;
  cores: number;
  memoryMb: number;
  gpus: number;
  /** Optional `zone` column: the Kasm zone these sessions ask for. */
  zone?: string;
}

/** The demand at one moment: how many sessions of each size should exist. */
export interface DemandStep {
  at: number;
  groups: Array<{ sessions: number; cores: number; memoryMb: number; gpus: number; zone?: string }>;
}

const COLUMNS = ['time', 'sessions', 'cores', 'memory_mb', 'gpus'] as const;

/** The package's examples/ folder (shipped with it: package.json "files"), from dist/simulate or src/simulate. */
const EXAMPLES = new URL('../../examples/', import.meta.url);

/** Traces that ship with kasm-scale, for `--trace builtin:NAME` after a global install. */
export const BUILTIN_TRACES = ['demand-trace'] as const;

/** `builtin:NAME` → the shipped trace's path; anything else is a path (or `-`) as given. */
export function resolveTrace(arg: string): string {
  if (!arg.startsWith('builtin:')) return arg;
  const name = arg.slice('builtin:'.length);
  if (!(BUILTIN_TRACES as readonly string[]).includes(name)) {
    throw new InputError(`--trace ${arg}: no built-in trace named "${name}"`, {
      hint: `built-in traces: ${BUILTIN_TRACES.map((t) => `builtin:${t}`).join(', ')}`,
    });
  }
  return fileURLToPath(new URL(`${name}.csv`, EXAMPLES));
}

/**
 * Most sessions one trace row may ask for. Each session is an object the emulated Kasm
 * keeps and every pass walks; far beyond any one Kasm deployment, well before a replay
 * would take minutes or run out of memory.
 */
export const MAX_SESSIONS_PER_ROW = 5000;

function wholeNumber(value: unknown, column: string, where: string): number {
  if (value === undefined)
    throw new InputError(`${where}: no ${column}`, {
      hint: `each row needs ${COLUMNS.join(', ')} (gpus may be left out)`,
    });
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 0)
    throw new InputError(`${where}: ${column} is "${String(value)}", expected a whole number ≥ 0`, {
      hint: 'fix that cell of the trace',
    });
  return n;
}

function sessionCount(value: unknown, where: string): number {
  const n = wholeNumber(value, 'sessions', where);
  if (n > MAX_SESSIONS_PER_ROW)
    throw new InputError(`${where}: sessions is ${n}; at most ${MAX_SESSIONS_PER_ROW} per row`, {
      hint: 'simulate replays every session through real passes; scale the trace down (a pool behaves the same per agent)',
    });
  return n;
}

function toRow(cells: Record<string, unknown>, where: string): TraceRow {
  return {
    at: parseClock(String(cells.time ?? ''), where),
    sessions: sessionCount(cells.sessions, where),
    cores: wholeNumber(cells.cores, 'cores', where),
    memoryMb: wholeNumber(cells.memory_mb, 'memory_mb', where),
    gpus: wholeNumber(cells.gpus ?? 0, 'gpus', where),
    ...(typeof cells.zone === 'string' && cells.zone.trim() !== '' ? { zone: cells.zone.trim() } : {}),
  };
}

/** Parses a CSV or JSON trace; `name` is the file name shown in errors. */
export function parseTrace(text: string, name: string): DemandStep[] {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new InputError(`${name} is empty`, { hint: 'a trace needs a header and at least one row' });
  let rows: TraceRow[];
  /** Where each row is, as errors name it: `day.csv:7` or `day.json[3]`. */
  const where: string[] = [];
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError(`${name} is not valid JSON: ${(err as Error).message}`, {
        hint: 'write a JSON array of {time, sessions, cores, memory_mb, gpus}',
      });
    }
    rows = (data as unknown[]).map((r, i) => {
      if (!r || typeof r !== 'object')
        throw new InputError(`${name}[${i}] is not an object`, {
          hint: 'each entry is {time, sessions, cores, memory_mb, gpus}',
        });
      where.push(`${name}[${i}]`);
      return toRow(r as Record<string, unknown>, `${name}[${i}]`);
    });
  } else {
    // Keep each line's number in the file (comments and blank lines count) for messages.
    const lines = trimmed
      .split(/\r?\n/)
      .map((text, i) => ({ text, no: i + 1 }))
      .filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
    const header = lines[0].text.split(',').map((h) => h.trim());
    const missing = COLUMNS.filter((c) => !header.includes(c));
    if (missing.length)
      throw new InputError(`${name}:${lines[0].no}: header lacks ${missing.join(', ')}`, {
        hint: `the header is ${COLUMNS.join(',')}`,
      });
    rows = lines.slice(1).map((line) => {
      const cells = line.text.split(',').map((c) => c.trim());
      where.push(`${name}:${line.no}`);
      return toRow(Object.fromEntries(header.map((h, k) => [h, cells[k]])), `${name}:${line.no}`);
    });
  }
  if (rows.length === 0)
    throw new InputError(`${name} has no rows`, { hint: 'add at least one row under the header' });
  const steps: DemandStep[] = [];
  for (const [i, row] of rows.entries()) {
    const last = steps[steps.length - 1];
    if (last && row.at < last.at)
      throw new InputError(
        `${where[i]}: time ${clock(row.at)} comes after ${clock(last.at)} of an earlier row`,
        { hint: 'keep the rows in time order' },
      );
    const step =
      last && last.at === row.at ? last : (steps.push({ at: row.at, groups: [] }), steps[steps.length - 1]);
    if (row.sessions > 0)
      step.groups.push({
        sessions: row.sessions,
        cores: row.cores,
        memoryMb: row.memoryMb,
        gpus: row.gpus,
        ...(row.zone ? { zone: row.zone } : {}),
      });
  }
  return steps;
}

/** The demand in force at `at` (the last step at or before it; none before the first). */
export function demandAt(steps: DemandStep[], at: number): DemandStep['groups'] {
  let current: DemandStep['groups'] = [];
  for (const s of steps) {
    if (s.at > at) break;
    current = s.groups;
  }
  return current;
}

/** 08:30 for a trace time (seconds since the start of the day). */
function clock(sec: number): string {
  return `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`;
}

/** A whole trace: demand, and what the clouds do meanwhile (trace-faults.ts). */
export interface Trace {
  steps: DemandStep[];
  faults: TraceFault[];
}

/** A document trace starts `{` (JSON) or has a top-level `demand:` / `faults:` line (YAML). */
function isDocument(trimmed: string): boolean {
  if (trimmed.startsWith('{')) return true;
  const first = trimmed.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return /^(demand|faults)\s*:/.test(first);
}

/**
 * Parses any trace: CSV or a JSON array (demand only), or a YAML/JSON document
 * `{demand: <CSV text or a list of rows>, faults: [...]}`.
 */
export function parseTraceFile(text: string, name: string): Trace {
  const trimmed = text.trim();
  if (!isDocument(trimmed)) return { steps: parseTrace(text, name), faults: [] };
  let doc: unknown;
  try {
    doc = parseYaml(trimmed);
  } catch (err) {
    throw new InputError(`${name} is not valid YAML/JSON: ${oneLine(err)}`, {
      hint: 'a trace document has demand: (CSV text or rows) and faults: (a list)',
    });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new InputError(`${name} is not a trace document`, { hint: 'write demand: and faults: at the top' });
  const d = doc as Record<string, unknown>;
  const extra = Object.keys(d).find((k) => k !== 'demand' && k !== 'faults');
  if (extra)
    throw new InputError(`${name}: unknown key "${extra}"`, {
      hint: 'a trace document has demand: and faults:',
    });
  const demand = d.demand;
  const steps =
    typeof demand === 'string'
      ? parseTrace(demand, `${name} demand`)
      : Array.isArray(demand)
        ? parseTrace(JSON.stringify(demand), `${name} demand`)
        : (() => {
            throw new InputError(`${name}: demand is missing`, {
              hint: 'demand: | followed by the CSV (time,sessions,cores,memory_mb,gpus), or a list of rows',
            });
          })();
  return { steps, faults: parseFaults(d.faults, name) };
}
