import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/exit-codes.js';
import { registerCommands } from './commands/index.js';
import { linkDocs } from './docs-pages.js';
import { VERSION } from '../version.js';

/**
 * The commander tree. Command modules register flags and help only; each action imports
 * its implementation lazily, so `--version` and `--help` load no cloud SDK. With `command`
 * (the word on the command line) only that command is built.
 */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('kasm-scale')
    .description(
      'OCI API keys, Kasm VM provider configs, and one-shot autoscaling passes for Kasm Workspaces agents on OCI and GCP',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, 1 operation failed, 2 invalid usage or input, 3 partly failed, 4 another pass holds the lock.\nNO_COLOR or a non-TTY gives plain text; --json prints one JSON document on stdout.\n`,
    );
  await registerCommands(program, command);
  for (const group of program.commands) if (group.commands.length) helpWithoutSubcommand(group);
  for (const cmd of program.commands) linkDocs(cmd);
  applyUsageExitCode(program);
  return program;
}

/** `kasm-scale config` alone is a usage error: its help on stderr, exit 2 (not a silent 0). */
function helpWithoutSubcommand(group: Command): void {
  group.action(() => {
    group.outputHelp({ error: true });
    if (wantsJson())
      printUsageJson(`${group.name()} needs a subcommand: ${group.commands.map((c) => c.name()).join(', ')}`);
    process.exit(ExitCode.Invalid);
  });
}

/** --json anywhere on the command line: a usage error is a JSON document too (scripts parse stdout). */
function wantsJson(): boolean {
  return process.argv.includes('--json');
}

function printUsageJson(message: string): void {
  process.stdout.write(
    `${JSON.stringify({ error: { message, hint: 'see --help', exit_code: ExitCode.Invalid } }, null, 2)}\n`,
  );
}

/** Commander exits 1 on bad usage; our convention is 2 for every usage error. */
function applyUsageExitCode(cmd: Command): void {
  cmd.exitOverride((err: CommanderError) => {
    const ok =
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help' ||
      err.exitCode === 0;
    if (!ok && wantsJson()) printUsageJson(err.message.replace(/^error: /, ''));
    process.exit(ok ? ExitCode.Ok : ExitCode.Invalid);
  });
  cmd.configureOutput({
    // One line, whatever commander adds (its "(Did you mean --x?)" comes on a line of its own).
    outputError: (str, write) => write(str.trimEnd().replace(/\s*\n\s*/g, ' ') + ' (see --help)\n'),
  });
  for (const sub of cmd.commands) applyUsageExitCode(sub);
}
