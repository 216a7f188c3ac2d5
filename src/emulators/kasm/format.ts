import { randomBytes } from 'node:crypto';

/** Kasm's ids: 32 lowercase hex characters (a UUID without dashes). */
export function newKasmId(): string {
  return randomBytes(16).toString('hex');
}

/** Kasm's dates: `2024-03-05 22:18:50.063048` (UTC, no zone, microseconds). */
export function kasmDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-03-05T22:18:50.063Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** What Kasm shows instead of a stored secret. */
export const MASK = '**********';
