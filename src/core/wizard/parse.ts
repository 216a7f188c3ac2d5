/**
 * Turning a typed answer (one line of text) into the value the config holds. A person
 * types lists as `a, b` and maps as `k=v, k2=v2`; an answers file may give the same as
 * native YAML/JSON lists and maps, or as JSON text. Errors are one short sentence that
 * the prompt shows under the input.
 */

import { echoValue } from '../echo.js';

export class AnswerFormatError extends Error {}

/** `a, b, c`, or a JSON list; empty text is an empty list. */
export function parseList(raw: string): string[] {
  const t = raw.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      throw new AnswerFormatError('expected a comma-separated list or a JSON list');
    }
    if (!Array.isArray(v)) throw new AnswerFormatError('expected a comma-separated list or a JSON list');
    return v.map((x) => String(x));
  }
  return t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `key=value, key2=value2`, or a JSON object; empty text is an empty map. */
export function parseMap(raw: string): Record<string, string> {
  const t = raw.trim();
  if (t === '') return {};
  if (t.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      throw new AnswerFormatError('expected key=value pairs separated by commas, or a JSON object');
    }
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new AnswerFormatError('expected key=value pairs separated by commas, or a JSON object');
    return v as Record<string, string>;
  }
  const out: Record<string, string> = {};
  for (const part of t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new AnswerFormatError(`${echoValue(part)} is not key=value`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** `nvidia-tesla-t4:1, nvidia-l4:2`, or a JSON list of {acceleratorType, acceleratorCount}. */
export function parseAccelerators(raw: string): Array<{ acceleratorType: string; acceleratorCount: number }> {
  const t = raw.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t) as Array<{ acceleratorType: string; acceleratorCount: number }>;
    } catch {
      throw new AnswerFormatError('expected TYPE:COUNT pairs separated by commas, or a JSON list');
    }
  }
  return t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const i = part.lastIndexOf(':');
      const count = i > 0 ? part.slice(i + 1).trim() : '1';
      const type = i > 0 ? part.slice(0, i).trim() : part;
      if (!/^\d+$/.test(count))
        throw new AnswerFormatError(`${echoValue(part)} is not TYPE:COUNT (e.g. nvidia-tesla-t4:1)`);
      return { acceleratorType: type, acceleratorCount: Number(count) };
    });
}

/** An integer as typed; anything else is left as text so the schema names the problem. */
export function parseIntLoose(raw: string): number | string {
  const t = raw.trim();
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/**
 * An answers-file value as the text a person would have typed: lists joined with commas
 * (JSON when an item holds a comma), maps as JSON, numbers and booleans as text.
 */
export function answerToText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' && !x.includes(','))) return v.join(', ');
  return JSON.stringify(v);
}
