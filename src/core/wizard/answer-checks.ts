/**
 * Checking a typed answer and reading the files answers name. A wizard answer is checked
 * by the exact schema `config validate` uses for that key, so the message under the prompt
 * is the message `config validate` would print for the same value.
 */
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { expandHome } from '../files.js';
import { AnswerFormatError, parseIntLoose } from './parse.js';

export type FieldCheck = (value: unknown) => string | undefined;

export function fieldCheck(schema: z.ZodType): FieldCheck {
  return (value) => {
    const r = schema.safeParse(value);
    if (r.success) return undefined;
    const issue = r.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return `${where}${issue.message}`;
  };
}

/** A check of `convert(raw)` against a config field schema; text format errors first. */
export function via(convert: (raw: string) => unknown, check: FieldCheck) {
  return (raw: string): string | undefined => {
    let v: unknown;
    try {
      v = convert(raw);
    } catch (err) {
      if (err instanceof AnswerFormatError) return err.message;
      throw err;
    }
    return check(v);
  };
}
const asText = (raw: string) => raw.trim();
export const checkText = (s: z.ZodType) => via(asText, fieldCheck(s));
export const checkInt = (s: z.ZodType) => via(parseIntLoose, fieldCheck(s));

/** `~/x` and relative paths → absolute (relative to the current folder). */
export function absPath(raw: string, ctx: { home: string }): string {
  return resolve(expandHome(raw.trim(), ctx.home));
}

/** Why `raw` is not a readable file; undefined when it is. */
export function fileProblem(raw: string, ctx: { home: string }, what: string): string | undefined {
  if (raw.trim() === '') return `expected the path of ${what}`;
  const p = absPath(raw, ctx);
  try {
    const st = statSync(p);
    if (st.isDirectory()) return `${p} is a folder; expected the path of ${what}`;
    readFileSync(p);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${p} does not exist; expected the path of ${what}`;
    if (code === 'EACCES') return `${p} cannot be read (permission denied)`;
    return `${p} cannot be read (${code ?? 'error'})`;
  }
}

export function readText(raw: string, ctx: { home: string }): string {
  return readFileSync(absPath(raw, ctx), 'utf8');
}

/** `~/x` for paths under the home folder (the config then works for the same user on
 * another machine or in CI), absolute otherwise. */
export function displayPath(p: string, home: string): string {
  const rel = relative(home, p);
  return home && rel && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.startsWith('/')
    ? `~/${rel.split(sep).join('/')}`
    : p;
}
