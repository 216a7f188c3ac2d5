import { Command, CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from '../version.js';

/**
 * The commander tree. Command modules register flags and help only; each action imports
 * its implementation lazily, so `--version` and `--help` load no cloud SDK.
 */
export function buildProgram(): Command {
  const program = new Command('kasm-scale')
    .description('OCI API keys, Kasm VM provider configs, and one-shot autoscaling passes for Kasm Workspaces agents on OCI and GCP')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, 1 operation failed, 2 invalid usage or input, 3 partly failed, 4 another pass holds the lock.\nNO_COLOR or a non-TTY gives plain text; --json prints one JSON document on stdout.\n`,
    );
  registerCommands(program);
  applyUsageExitCode(program);
  return program;
}

/** Commander exits 1 on bad usage; our convention is 2 for every usage error. */
function applyUsageExitCode(cmd: Command): void {
  cmd.exitOverride((err: CommanderError) => {
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' || err.exitCode === 0;
    process.exit(ok ? ExitCode.Ok : ExitCode.Invalid);
  });
  cmd.configureOutput({
    // One line, whatever commander adds (its "(Did you mean --x?)" comes on a line of its own).
    outputError: (str, write) => write(str.trimEnd().replace(/\s*\n\s*/g, ' ') + ' (see --help)\n'),
  });
  for (const sub of cmd.commands) applyUsageExitCode(sub);
}
