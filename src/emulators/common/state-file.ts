import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { fsErrorToInput, InputError } from '../../core/errors.js';
import { dirname } from 'node:path';
import { assertReplaceableSync } from '../../core/files.js';

/**
 * `--state FILE` for the emulators: load JSON at start, save after each change. Writes are
 * synchronous and atomic (temp file + rename) so a Ctrl-C never leaves half a file and
 * two quick changes never interleave.
 */
export function loadStateFile<T>(path: string | undefined): T | undefined {
  if (!path) return undefined;
  // Checked at start too: a --state that is a device node or FIFO is refused before listening.
  assertStateTarget(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsErrorToInput(err, path, '--state file');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InputError(`--state file ${path} is not JSON: ${(err as Error).message}`, {
      hint: 'give a state file an emulator wrote, or a new path (it is created)',
    });
  }
}

/** Before listening: a state file that could never be saved is refused up front, not at the first change. */
export function checkStateFileWritable(path: string | undefined): void {
  if (!path) return;
  const dir = dirname(path);
  try {
    accessSync(existsSync(dir) ? dir : dirname(dir), constants.W_OK);
  } catch {
    throw new InputError(`--state file ${path} cannot be written: folder ${dir} is not writable`, {
      hint: 'choose a folder you can write to',
    });
  }
}

/** A --state that is a directory, device node or FIFO is never replaced; the error names the flag. */
function assertStateTarget(path: string): void {
  try {
    assertReplaceableSync(path);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`--state file ${err.message}`, { hint: err.hint });
    throw err;
  }
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
