import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../action.js';

interface StatusFlags extends CommonOptions {
  config?: string;
  autoscale?: string[];
  stateDir?: string;
}

/** `kasm-scale status [FILE]`: per pool what the cloud, Kasm and the state dir say now; reads only (issue 6). */
export function registerStatus(program: Command): void {
  const cmd = program
    .command('status')
    .description(
      'per pool: instances by state, agents, sessions, free vs standby capacity (as reconcile computes it), backoff windows, last pass result and time; reads only: no lock, no state written, nothing launched, terminated or tagged',
    )
    .option('--autoscale <name...>', 'only these autoscale configs (default: every enabled one)')
    .option(
      '--state-dir <dir>',
      'state folder reconcile uses (default: $XDG_STATE_HOME/kasm-scale or ~/.local/state/kasm-scale)',
    );
  configFile(cmd);
  common(cmd);
  cmd.addHelpText(
    'after',
    '\nExit codes: 0 everything read, 3 something could not be read (Kasm, a provider, the state file; the rest is shown), 2 invalid input.\n',
  );
  examples(cmd, [
    'kasm-scale status',
    'kasm-scale status prod.yaml --state-dir /var/lib/kasm-scale',
    "kasm-scale status --json | jq '.pools[] | {pool, free: .observed.free, standby: .observed.standby}'",
  ]);
  cmd.action(
    action<StatusFlags>(async ({ options, args, out }) => {
      const { statusCommand } = await import('../../status/command.js');
      return statusCommand(
        {
          file: configFileOf(args, options),
          autoscale: options.autoscale,
          stateDir: options.stateDir,
          nowText: process.env.KASM_SCALE_NOW,
        },
        out,
      );
    }),
  );
}
