/**
 * The state file (`<state dir>/state.json`): pool memory between one-shot passes, written
 * atomically (temp file + fsync + rename). Read leniently: a missing file is a fresh
 * start (a CronJob without a volume has none, and must still be safe: see memory.ts); a
 * corrupt one is moved aside for a person to look at and the pass runs carefully.
 */
import { readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { fsErrorToInput } from '../core/errors.js';
import { writeFileAtomic } from '../core/files.js';
import { emptyState, type ScalingState } from './memory.js';

export const STATE_FILE = 'state.json';

/** $XDG_STATE_HOME/kasm-scale, else ~/.local/state/kasm-scale (XDG base directory spec). */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'kasm-scale');
  return join(env.HOME || homedir(), '.local', 'state', 'kasm-scale');
}

const iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date');
const StateSchema = z.object({
  version: z.literal(1),
  pools: z.record(
    z.string(),
    z.object({
      lastLaunchAt: iso.optional(),
      launches: z.array(
        z.object({
          serverId: z.string(),
          at: iso,
          outcome: z.enum(['registered', 'never_registered']).optional(),
          resolvedAt: iso.optional(),
        }),
      ),
      unhealthySince: z.record(z.string(), iso),
      lastPass: z.object({ at: iso, result: z.enum(['ok', 'partial', 'failed']) }).optional(),
      registerSeconds: z.array(z.number().nonnegative()).optional(),
      agentProviders: z.record(z.string(), z.string()).optional(),
    }),
  ),
  backoff: z.record(
    z.string(),
    z.object({
      until: iso,
      delaySec: z.number().positive(),
      failures: z.number().int().nonnegative(),
      lastFailureAt: iso,
      lastError: z.string().optional(),
    }),
  ),
  lastSuccessAt: iso.optional(),
});

export interface LoadedState {
  state: ScalingState;
  status: 'ok' | 'missing' | 'corrupt';
  /** For a corrupt file: what was wrong and where the file was moved. */
  note?: string;
}

export async function readState(
  dir: string,
  opts: {
    now?: Date;
    /** status: never move a corrupt file aside (touch nothing). */ readOnly?: boolean;
  } = {},
): Promise<LoadedState> {
  const file = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState(), status: 'missing' };
    throw fsErrorToInput(err, file, 'state file');
  }
  let problem: string;
  try {
    const parsed = StateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { state: parsed.data as ScalingState, status: 'ok' };
    const issue = parsed.error.issues[0];
    problem = `${issue.path.join('.') || 'top level'}: ${issue.message}`;
  } catch (err) {
    problem = `not JSON (${(err as Error).message.split('\n')[0]})`;
  }
  if (opts.readOnly)
    return { state: emptyState(), status: 'corrupt', note: `state file ${file} is corrupt (${problem})` };
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.corrupt-${stamp}`;
  let where = `kept as ${aside}`;
  try {
    await rename(file, aside);
  } catch {
    where = 'could not be moved aside';
  }
  return {
    state: emptyState(),
    status: 'corrupt',
    note: `state file ${file} is corrupt (${problem}); ${where}`,
  };
}

export async function writeState(dir: string, state: ScalingState): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
