import type { Command } from 'commander';
import { CliError, errorLine } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Output } from '../core/output.js';

/** The options every command has (added by `common()`). */
export interface CommonOptions {
  json?: boolean;
  verbose?: boolean;
}

/** Adds `--json` and `--verbose` to a command, with the wording every command shares. */
export function common(cmd: Command, opts: { json?: boolean } = { json: true }): Command {
  if (opts.json !== false)
    cmd.option('--json', 'print one JSON document on stdout (human text goes to stderr)');
  return cmd.option('--verbose', 'more detail, and a stack trace on unexpected errors');
}

/** `Examples:` appended to a command's --help. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

export type ActionBody<O> = (args: {
  options: O;
  args: string[];
  out: Output;
}) => Promise<number | void> | number | void;

/**
 * Wraps a command body: builds the Output from --json/--verbose, turns a CliError into
 * one line on stderr with its exit code, and anything else into one line plus a hint to
 * rerun with --verbose (where the stack is shown). Sets process.exitCode instead of
 * calling process.exit so pending writes reach the terminal.
 */
export function action<O extends CommonOptions>(body: ActionBody<O>) {
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const options = cmd.optsWithGlobals() as O;
    const args = (cmd.args ?? []) as string[];
    // Loaded here, not at start-up: --help and --version never need colours (chalk).
    const { createOutput } = await import('../core/output.js');
    const out = createOutput({ json: Boolean(options.json), verbose: Boolean(options.verbose) });
    try {
      const code = await body({ options, args, out });
      process.exitCode = code ?? ExitCode.Ok;
    } catch (err) {
      process.exitCode = reportError(err, out);
    }
  };
}

/** Writes the one line for an error and returns its exit code. */
export function reportError(err: unknown, out: Output): number {
  if (err instanceof CliError) {
    out.info(`${out.color.red('error:')} ${errorLine(err)}`);
    if (out.verbose && err.cause) out.info(out.color.dim(describeCause(err.cause)));
    if (out.json)
      out.printJson({ error: { message: err.message, hint: err.hint ?? null, exit_code: err.exitCode } });
    return err.exitCode;
  }
  const message =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err && 'message' in err
        ? String((err as { message: unknown }).message)
        : String(err);
  out.info(
    `${out.color.red('error:')} unexpected: ${message.split('\n')[0]}${out.verbose ? '' : ' (rerun with --verbose for details)'}`,
  );
  if (out.verbose && err instanceof Error && err.stack) out.info(out.color.dim(err.stack));
  if (out.json)
    out.printJson({
      error: { message: `unexpected: ${message.split('\n')[0]}`, hint: null, exit_code: ExitCode.Failed },
    });
  return ExitCode.Failed;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? cause.message;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}

/**
 * The config file, the same way on every command that reads one: `[file]` or
 * `-c/--config` (the argument wins), else $KASM_SCALE_CONFIG, else ./kasm-scale.yaml
 * (resolved by the config loader).
 */
export function configFile(cmd: Command): Command {
  return cmd
    .argument('[file]', 'config file (default: --config, $KASM_SCALE_CONFIG, ./kasm-scale.yaml)')
    .option('-c, --config <file>', 'config file (same as FILE)');
}

export function configFileOf(args: string[], options: { config?: string }): string | undefined {
  return args[0] ?? options.config;
}
