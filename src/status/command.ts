/**
 * `kasm-scale status`: flags in, the status out, an exit code back. Exit 0 when every
 * source (Kasm, each provider, the state file) was read; 3 when some could not be (what
 * could be read is still shown); 2 for bad input.
 */
import { ExitCode } from '../core/exit-codes.js';
import type { Output } from '../core/output.js';
import { DEFAULT_CONCURRENCY, parseNow } from '../scaling/pass-options.js';
import { defaultStateDir } from '../scaling/state.js';
import { expandHome } from '../core/files.js';
import { collectStatus, type StatusReport } from './collect.js';
import { renderStatus } from './human.js';
import { statusJson } from './json.js';

export interface StatusCommandOptions {
  file?: string;
  autoscale?: string[];
  stateDir?: string;
  /** KASM_SCALE_NOW, read by the CLI layer only. */
  nowText?: string;
}

export async function statusCommand(o: StatusCommandOptions, out: Output): Promise<number> {
  const now = parseNow(o.nowText);
  const { loadConfig } = await import('../config/load.js');
  const config = await loadConfig(o.file);
  const stateDir = o.stateDir ? expandHome(o.stateDir) : defaultStateDir();
  const report = await collectStatus({
    config,
    only: o.autoscale ?? [],
    stateDir,
    now,
    concurrency: DEFAULT_CONCURRENCY,
  });
  for (const line of renderStatus(report, out.json ? out.color : out.colorOut)) out.result(line);
  if (out.json) out.printJson(statusJson(report));
  return statusExitCode(report);
}

export function statusExitCode(r: StatusReport): number {
  const incomplete =
    !r.kasm.usable ||
    r.pools.some((p) => p.error) ||
    r.state.status === 'corrupt' ||
    r.state.status === 'unreadable';
  return incomplete ? ExitCode.Partial : ExitCode.Ok;
}
