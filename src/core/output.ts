import { Chalk, type ChalkInstance } from 'chalk';
import { Writable } from 'node:stream';

/**
 * Where a command's words go. The conventions (README "Conventions"):
 * - `--json`: stdout carries exactly one JSON document; everything human goes to stderr.
 * - without `--json`: results go to stdout, progress and warnings to stderr.
 * - `NO_COLOR` (any value) or a stream that is not a TTY gives plain text.
 */
export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  /** Colours for human text on stderr (plain when NO_COLOR or not a TTY). */
  readonly color: ChalkInstance;
  /** Colours for human results on stdout. */
  readonly colorOut: ChalkInstance;
  /** A human result line: stdout, or stderr when `--json` is set. */
  result(line: string): void;
  /** Progress and information: always stderr. */
  info(line: string): void;
  warn(line: string): void;
  /** Only with `--verbose`. */
  debug(line: string): void;
  /** The one JSON document of a `--json` run. */
  printJson(doc: unknown): void;
  /** A progress indicator on stderr for work that may take more than a second. */
  progress(text: string): Progress;
}

export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export interface OutputOptions {
  json?: boolean;
  verbose?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

export function colorLevelFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): 0 | 1 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  return stream.isTTY ? 1 : 0;
}

export function createOutput(opts: OutputOptions = {}): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const json = opts.json ?? false;
  const verbose = opts.verbose ?? false;
  const color = new Chalk({ level: colorLevelFor(stderr, env) });
  const colorOut = new Chalk({ level: json ? 0 : colorLevelFor(stdout, env) });
  const interactive = Boolean(stderr.isTTY) && colorLevelFor(stderr, env) > 0;
  const write = (s: NodeJS.WritableStream, line: string) => s.write(line.endsWith('\n') ? line : `${line}\n`);

  return {
    json,
    verbose,
    color,
    colorOut,
    result: (line) => write(json ? stderr : stdout, line),
    info: (line) => write(stderr, line),
    warn: (line) => write(stderr, `${color.yellow('warning:')} ${line}`),
    debug: (line) => {
      if (verbose) write(stderr, color.dim(line));
    },
    printJson: (doc) => write(stdout, JSON.stringify(doc, null, 2)),
    progress: (text) => (interactive ? spinnerProgress(text, stderr) : plainProgress(text, stderr, color)),
  };
}

/** Non-TTY progress: one line when something starts and one when it ends; no animation. */
function plainProgress(text: string, stderr: NodeJS.WritableStream, color: ChalkInstance): Progress {
  stderr.write(`${text}\n`);
  return {
    update: () => {},
    succeed: (t) => {
      if (t) stderr.write(`${color.green('✓')} ${t}\n`);
    },
    fail: (t) => {
      if (t) stderr.write(`${color.red('✗')} ${t}\n`);
    },
    stop: () => {},
  };
}

function spinnerProgress(text: string, stderr: NodeJS.WritableStream): Progress {
  // nanospinner is tiny and loads no further dependencies: start-up stays fast.
  let spinner:
    | {
        update(o: { text: string }): void;
        success(o?: { text: string }): void;
        error(o?: { text: string }): void;
        stop(): void;
      }
    | undefined;
  let pending = text;
  void import('nanospinner').then(({ createSpinner }) => {
    spinner = createSpinner(pending, { stream: stderr as unknown as NodeJS.WriteStream }).start();
  });
  return {
    update: (t) => {
      pending = t;
      spinner?.update({ text: t });
    },
    succeed: (t) => (spinner ? spinner.success(t ? { text: t } : undefined) : t && stderr.write(`✓ ${t}\n`)),
    fail: (t) => (spinner ? spinner.error(t ? { text: t } : undefined) : t && stderr.write(`✗ ${t}\n`)),
    stop: () => spinner?.stop(),
  };
}

/** A Writable that collects text: for tests of rendering functions. */
export class MemoryStream extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}
