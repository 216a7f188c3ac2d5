/**
 * `kasm-scale init`: the wizard from nothing to a checked config. The flow itself lives in
 * run.ts; this is where the command starts, like every other `src/<feature>/command.ts`.
 */
import type { Output } from '../core/output.js';
import type { InitOptions } from './run.js';

export type { InitOptions } from './run.js';

/** Loads the wizard only when `init` runs (its prompts and key generation are not light). */
export async function initCommand(opts: InitOptions, out: Output): Promise<number> {
  const { runInit } = await import('./run.js');
  return runInit(opts, out);
}
