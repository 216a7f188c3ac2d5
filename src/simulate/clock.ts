import { InputError } from '../core/errors.js';

/** "08:30" (or "08:30:15", up to "24:00") → seconds since the start of the day; one-line error naming `where`. */
export function parseClock(text: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59 || Number(m[1]) > 24) {
    throw new InputError(`${where}: time "${text}" is not HH:MM`, {
      hint: 'write times like 08:30, from 00:00 to 24:00',
    });
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}
