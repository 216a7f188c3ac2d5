import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertReplaceableSync } from '../../util/files.js';

/**
 * `--state FILE` for the emulators: load JSON at start, save after each change. Writes are
 * synchronous and atomic (temp file + rename) so a Ctrl-C never leaves half a file and
 * two quick changes never interleave.
 */
export function loadStateFile<T>(path: string | undefined): T | undefined {
  if (!path) return undefined;
  // Checked at start too: a --state that is a device node or FIFO is refused before listening.
  assertReplaceableSync(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (text.trim() === '') return undefined;
  return JSON.parse(text) as T;
}

export function saveStateFile(path: string | undefined, state: unknown): void {
  if (!path) return;
  assertReplaceableSync(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  // 0600: an emulator's state may hold (fake) private keys and credentials.
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}
