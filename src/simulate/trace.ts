import { InputError } from '../cli/errors.js';

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

export function parseClock(text: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59 || Number(m[1]) > 24) {
    throw new InputError(`${where}: time "${text}" is not HH:MM`, { hint: 'write times like 08:30, from 00:00 to 24:00' });
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

function wholeNumber(value: unknown, column: string, where: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${where}: ${column} is "${String(value)}", expected a whole number ≥ 0`, { hint: 'fix that cell of the trace' });
  return n;
}

function toRow(cells: Record<string, unknown>, where: string): TraceRow {
  return {
    at: parseClock(String(cells.time ?? ''), where),
    sessions: wholeNumber(cells.sessions, 'sessions', where),
    cores: wholeNumber(cells.cores, 'cores', where),
    memoryMb: wholeNumber(cells.memory_mb, 'memory_mb', where),
    gpus: wholeNumber(cells.gpus ?? 0, 'gpus', where),
    ...(typeof cells.zone === 'string' && cells.zone.trim() !== '' ? { zone: cells.zone.trim() } : {}),
  };
}

/** Parses a CSV or JSON trace; `name` is the file name shown in errors. */
export function parseTrace(text: string, name: string): DemandStep[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError(`${name} is empty`, { hint: 'a trace needs a header and at least one row' });
  let rows: TraceRow[];
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError(`${name} is not valid JSON: ${(err as Error).message}`, { hint: 'write a JSON array of {time, sessions, cores, memory_mb, gpus}' });
    }
    rows = (data as unknown[]).map((r, i) => {
      if (!r || typeof r !== 'object') throw new InputError(`${name}[${i}] is not an object`, { hint: 'each entry is {time, sessions, cores, memory_mb, gpus}' });
      return toRow(r as Record<string, unknown>, `${name}[${i}]`);
    });
  } else {
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const header = lines[0].split(',').map((h) => h.trim());
    const missing = COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) throw new InputError(`${name}:1: header lacks ${missing.join(', ')}`, { hint: `the header is ${COLUMNS.join(',')}` });
    rows = lines.slice(1).map((line, i) => {
      const cells = line.split(',').map((c) => c.trim());
      return toRow(Object.fromEntries(header.map((h, k) => [h, cells[k]])), `${name}:${i + 2}`);
    });
  }
  if (rows.length === 0) throw new InputError(`${name} has no rows`, { hint: 'add at least one row under the header' });
  const steps: DemandStep[] = [];
  for (const row of rows) {
    const last = steps[steps.length - 1];
    if (last && row.at < last.at) throw new InputError(`${name}: time ${row.at / 60} min comes after a later time`, { hint: 'keep the rows in time order' });
    const step = last && last.at === row.at ? last : (steps.push({ at: row.at, groups: [] }), steps[steps.length - 1]);
    if (row.sessions > 0) step.groups.push({ sessions: row.sessions, cores: row.cores, memoryMb: row.memoryMb, gpus: row.gpus, ...(row.zone ? { zone: row.zone } : {}) });
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
