import { escapeControl } from './escape.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error meant for the person at the terminal: one line saying what went wrong and
 * where, plus an optional hint saying how to fix it. Anything thrown that is not a
 * CliError is a bug and is reported as such (with the stack under --verbose).
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  constructor(message: string, opts: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CliError';
    this.exitCode = opts.exitCode ?? ExitCode.Failed;
    this.hint = opts.hint;
  }
}

/** Bad flags, bad files, bad keys: exit 2. */
export class InputError extends CliError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, exitCode: ExitCode.Invalid });
    this.name = 'InputError';
  }
}

/** A cloud, Kasm or the file system failed us: exit 1. */
export class OperationalError extends CliError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, exitCode: ExitCode.Failed });
    this.name = 'OperationalError';
  }
}

/** The one line shown for an error: `message (hint)`, newlines folded so it stays one line. */
export function errorLine(err: CliError): string {
  const text = err.hint ? `${err.message}; ${err.hint}` : err.message;
  return escapeControl(text.replace(/\s*\n\s*/g, ' '));
}

/** Node's own file-system errors, turned into a line that names the file. */
export function fsErrorToInput(err: unknown, path: string, what = 'file'): CliError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new InputError(`${what} ${path} does not exist`, { hint: 'check the path' });
    case 'EISDIR':
      return new InputError(`${what} ${path} is a directory, not a file`, {
        hint: 'give the path of a file',
      });
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${what} ${path} cannot be read: permission denied`, {
        hint: 'check its owner and mode',
      });
    default:
      return new OperationalError(`${what} ${path}: ${(err as Error)?.message ?? String(err)}`);
  }
}

/**
 * Any thrown value's message folded onto one line, for a check result, a warning or a
 * failed action in a report. SDK errors are not always Errors ({message} objects too).
 */
export function oneLine(err: unknown): string {
  const message =
    err instanceof Error ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
  return message.replace(/\s+/g, ' ').trim();
}
