import { spawnSync } from 'node:child_process';
import { CLOUD_LIST, type CloudName } from '../clouds/registry.js';
import type { CloudWizard } from '../clouds/wizard-types.js';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, InputError } from '../core/errors.js';
import type { Output } from '../core/output.js';
import { closest } from '../core/fields/common.js';
import { echoValue } from '../core/echo.js';
import { checkWritableTarget, expandHome, readInput } from '../core/files.js';
import { absPath, fieldCheck, fileProblem } from '../core/wizard/answer-checks.js';
import { answerToText } from '../core/wizard/parse.js';
import { type Ask, runFlow } from './flow.js';
import { WriteJournal } from './journal.js';
import { allQuestionIds, type Answers, type Ctx, EXTRA_ANSWER_KEYS } from './questions.js';
import { buildConfig, configYaml, defaultSecretFile, sameContent, writeSecretFileAtomic } from './write.js';

export interface InitOptions {
  answers?: string;
  yes?: boolean;
  config?: string;
  force?: boolean;
  /** Commands this CLI has (`doctor`, `config submit`, `reconcile`): offered only if present. */
  available: string[];
  /**
   * Each cloud's own flags by commander's name: its endpoint flag (`--<cloud>-endpoint` →
   * `<cloud>Endpoint`: a base URL for its calls, also written as the provider's `endpoint`)
   * and any other its wizard reads.
   */
  [cloudFlag: string]: unknown;
}

/** Exit code for Ctrl-C, as shells report a SIGINT. */
export const EXIT_INTERRUPTED = 130;

/**
 * `kasm-scale init`: asks (or reads the answers file), writes what the chosen cloud's
 * wizard makes (a key pair and its profile, say), the Kasm secret files and the config,
 * then checks the config with the same code as `config validate`. Returns the exit code.
 */
export async function runInit(opts: InitOptions, out: Output): Promise<number> {
  try {
    return await init(opts, out);
  } catch (err) {
    // inquirer rejects with ExitPromptError when the person presses Ctrl-C.
    if (err instanceof Error && err.name === 'ExitPromptError') {
      out.info('\ninit cancelled; no config file was written');
      return EXIT_INTERRUPTED;
    }
    throw err;
  }
}

async function init(opts: InitOptions, out: Output): Promise<number> {
  const env = process.env;
  const home = env.HOME || homedir();
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!tty && !opts.answers && !opts.yes) {
    throw new InputError('kasm-scale init asks questions and needs a terminal, but input is not a TTY', {
      hint: 'run it in a terminal, or pass --answers FILE --yes to run it unattended (docs/init.md)',
    });
  }
  // Every cloud's wizard: its answer keys are known whichever cloud the answers choose.
  const wizards = new Map<CloudName, CloudWizard>();
  for (const cloud of CLOUD_LIST) wizards.set(cloud.name, await cloud.wizard());
  const endpoints = new Map<CloudName, string>();
  for (const cloud of CLOUD_LIST) {
    const { flag, what } = wizards.get(cloud.name)!.endpointFlag;
    const url = checkedEndpoint(flag, optionValue(opts, flag), what, cloud.fields.endpoint!);
    if (url) endpoints.set(cloud.name, url);
  }
  const unattended = Boolean(opts.yes) || !tty;
  const fileAnswers = opts.answers ? await loadAnswers(opts.answers, [...wizards.values()]) : {};
  const configFile = resolve(expandHome(opts.config || env.KASM_SCALE_CONFIG || 'kasm-scale.yaml', home));
  const ctx: Ctx = {
    env,
    home,
    force: Boolean(opts.force),
    kasmSecretFileGiven: typeof fileAnswers.kasm_api_key_secret_file === 'string',
    managerTokenFileGiven: typeof fileAnswers.kasm_manager_token_file === 'string',
    managerTokenInEnv: Boolean(env.KASM_MANAGER_TOKEN) && fileAnswers.kasm_manager_token === undefined,
  };

  const prompts = unattended ? undefined : await import('@inquirer/prompts');
  const confirm = async (message: string): Promise<boolean> =>
    prompts ? prompts.confirm({ message, default: false }) : false;

  // Refuse early, before any question: an existing config is replaced only when asked.
  if (existsSync(configFile) && !ctx.force) {
    if (!(await confirm(`${configFile} exists. Replace it at the end?`))) {
      throw new InputError(`${configFile} already exists; nothing was written`, {
        hint: 'pass --force to replace it, or --config PATH for another file',
      });
    }
    ctx.force = true;
  }
  // The files written at the end are checked before the first write (the key pair).
  await checkWritableTarget(configFile, 'config file');
  for (const wizard of wizards.values()) await wizard.prepare?.(ctx, opts);
  if (!unattended)
    out.info(
      out.color.bold(`kasm-scale init: writes ${configFile}. Ctrl-C at any time leaves no config behind.\n`),
    );

  // Every write of this run is journalled: an unattended run that fails takes them all back
  // (nothing half-written, and the rerun does not trip over its own key pair); a person at
  // a terminal is told exactly what was written.
  const journal = new WriteJournal();
  ctx.journal = journal;
  const undo = async (): Promise<string> => {
    const left = await journal.rollback();
    return left.length
      ? `Could not take back: ${left.join(', ')}; remove ${left.length === 1 ? 'it' : 'them'} by hand.`
      : 'Nothing this run wrote was left behind.';
  };
  let shown: string;
  try {
    const ask: Ask = unattended ? answersAsk(fileAnswers, opts.answers) : inquirerAsk(prompts!, fileAnswers);
    const result = await runFlow({
      ask,
      out,
      ctx,
      unattended,
      given: (id) => fileAnswers[id] !== undefined,
      wizards,
      endpoints,
    });
    const chosen = String(result.answers.cloud);
    for (const cloud of endpoints.keys())
      if (cloud !== chosen)
        out.warn(
          `${wizards.get(cloud)!.endpointFlag.flag} is for ${cloud.toUpperCase()} providers; not used for this ${chosen.toUpperCase()} config`,
        );

    // Each Kasm secret: a file given in the answers, or the typed secret in a 0600 file.
    const secretFile = await secretFileFor(
      'kasm_api_key_secret',
      'Kasm API key secret',
      result.answers,
      fileAnswers,
      ctx,
      opts.answers,
      confirm,
    );
    const managerTokenFile =
      result.answers.kasm_manager_token !== undefined || ctx.managerTokenFileGiven
        ? await secretFileFor(
            'kasm_manager_token',
            'Kasm manager token',
            result.answers,
            fileAnswers,
            ctx,
            opts.answers,
            confirm,
          )
        : undefined;

    // What the cloud writes beside the config (an API key's profile for its CLI, say).
    await result.outcome.writeBeside?.();

    const config = buildConfig(result, ctx, secretFile, managerTokenFile);
    await ctx.journal?.record(configFile);
    await writeSecretFileAtomic(configFile, configYaml(config));
    out.info(`${out.color.green('✓')} Wrote ${configFile} (0600)`);

    // The same checks as `config validate`.
    const { checkConfig } = await import('../config/load.js');
    const { problemLine } = await import('../config/problems.js');
    const check = await checkConfig(configFile, { env });
    for (const w of check.warnings) out.warn(w);
    const rel = relative(process.cwd(), configFile);
    shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : configFile;
    if (check.problems.length > 0) {
      out.info(
        out.color.red(
          `✗ config validate found ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}:`,
        ),
      );
      for (const p of check.problems) out.info(`  ${problemLine(p, shown)}`);
      if (unattended) {
        // Unattended, nobody will fix the file by hand: take the whole run back.
        out.info(`Fix the answers, then run init again. ${await undo()}`);
        return 2;
      }
      out.info(`Fix them in ${shown}, then run: kasm-scale config validate ${shown}`);
      return 2;
    }
  } catch (err) {
    if (unattended) {
      const note = await undo();
      if (err instanceof CliError)
        throw new CliError(
          `${err.message}; ${note.charAt(0).toLowerCase()}${note.slice(1).replace(/\.$/, '')}`,
          { exitCode: err.exitCode, hint: err.hint, cause: err },
        );
    } else {
      const written = journal.written();
      if (written.length)
        out.warn(
          `this run wrote ${written.join(', ')}; keep or remove them (a rerun needs --force to replace them)`,
        );
    }
    throw err;
  }
  out.info(`${out.color.green('✓')} config validate: no problems`);

  const has = (c: string) => opts.available.includes(c);
  if (
    !unattended &&
    has('doctor') &&
    (await prompts!.confirm({
      message: 'Run kasm-scale doctor now (checks credentials and reachability)?',
      default: true,
    }))
  ) {
    // init's own doctor failing means the setup does not work yet: say so in the exit code.
    if (runSelf(['doctor', configFile]) !== 0) {
      out.info(out.color.red(`✗ doctor found problems; fix them, then run: kasm-scale doctor ${shown}`));
      return 1;
    }
  }
  if (
    !unattended &&
    has('config submit') &&
    (await prompts!.confirm({
      message: 'Submit the provider config to Kasm now (kasm-scale config submit)?',
      default: false,
    }))
  ) {
    runSelf(['config', 'submit', configFile]);
  }
  const next = has('reconcile')
    ? `kasm-scale reconcile ${shown} --dry-run`
    : `kasm-scale config validate ${shown}`;
  out.result(`Next: ${next}`);
  return 0;
}

/** Runs another kasm-scale command in this terminal (same binary, inherited stdio); its exit code. */
function runSelf(args: string[]): number {
  return spawnSync(process.execPath, [process.argv[1], ...args], { stdio: 'inherit' }).status ?? 1;
}

/** A cloud's flag as commander names it: `--<cloud>-endpoint` → `<cloud>Endpoint`. */
function optionValue(opts: InitOptions, flag: string): string | undefined {
  const value = opts[flag.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
  return typeof value === 'string' ? value : undefined;
}

/** A cloud's endpoint flag, checked by its provider schema's own rule (it is written as `endpoint`). */
function checkedEndpoint(
  flag: string,
  value: string | undefined,
  what: string,
  schema: Parameters<typeof fieldCheck>[0],
): string | undefined {
  const url = value?.trim();
  if (url === undefined) return undefined;
  const problem = fieldCheck(schema)(url);
  if (problem)
    throw new InputError(`${flag} ${JSON.stringify(value)}: ${problem}`, {
      hint: `give the base URL of ${what}`,
    });
  return url;
}

/**
 * Where one Kasm secret lives: the `<id>_file` the answers name (checked), or the typed
 * answer written to a 0600 file under $XDG_CONFIG_HOME/kasm-scale/ (another secret
 * already there is replaced only when confirmed or with --force).
 */
async function secretFileFor(
  id: 'kasm_api_key_secret' | 'kasm_manager_token',
  what: string,
  answers: Answers,
  fileAnswers: Record<string, unknown>,
  ctx: Ctx,
  answersFile: string | undefined,
  confirm: (message: string) => Promise<boolean>,
): Promise<string> {
  const given = fileAnswers[`${id}_file`];
  if (typeof given === 'string') {
    const problem = fileProblem(given, ctx, `the file holding the ${what}`);
    if (problem) throw new InputError(`answers ${answersFile}: ${id}_file: ${problem}`);
    return absPath(given, ctx);
  }
  const file = defaultSecretFile(ctx, id);
  const secret = String(answers[id]);
  if (existsSync(file) && !sameContent(file, secret) && !ctx.force) {
    if (!(await confirm(`${file} holds another ${what}. Replace it?`))) {
      throw new InputError(`${file} already holds a different ${what}; no config was written`, {
        hint: `pass --force to replace it, or give ${id}_file in --answers`,
      });
    }
  }
  await ctx.journal?.record(file);
  await writeSecretFileAtomic(file, secret);
  return file;
}

async function loadAnswers(file: string, wizards: readonly CloudWizard[]): Promise<Record<string, unknown>> {
  const text = (await readInput(file, 'answers file')).toString('utf8');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new InputError(
      `answers file ${file} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`,
      { hint: 'see docs/init.md for the format' },
    );
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`answers file ${file} must be a map of question id → answer`, {
      hint: `e.g. cloud: ${CLOUD_LIST[0]!.name}`,
    });
  }
  const known = new Set<string>([...allQuestionIds(wizards), ...EXTRA_ANSWER_KEYS]);
  for (const key of Object.keys(data as object)) {
    if (!known.has(key)) {
      const near = closest(key, known);
      throw new InputError(`answers file ${file}: unknown key ${key}`, {
        hint: near ? `did you mean ${near}?` : 'see docs/init.md for the answer keys',
      });
    }
  }
  return data as Record<string, unknown>;
}

/** Unattended: every answer from the file, else the default; a bad or missing one is exit 2. */
function answersAsk(answers: Record<string, unknown>, file = '--yes'): Ask {
  const where = file === '--yes' ? '--yes' : `answers file ${file}`;
  return async (q, def, check) => {
    const given = answers[q.id];
    if (q.kind === 'confirm') {
      if (given === undefined) return def === true;
      if (typeof given === 'boolean') return given;
      const t = String(given).toLowerCase();
      if (['yes', 'y', 'true'].includes(t)) return true;
      if (['no', 'n', 'false'].includes(t)) return false;
      throw new InputError(
        `${where}: ${q.id}: expected true or false, not ${echoValue(typeof given === 'string' ? given : JSON.stringify(given))}`,
      );
    }
    const text = given !== undefined ? answerToText(given) : typeof def === 'string' ? def : '';
    if (given === undefined && text === '' && !q.optional) {
      throw new InputError(`${where}: no answer for ${q.id} (${q.message})`, {
        hint: `add "${q.id}: ..." to the answers file`,
      });
    }
    const problem = check(text);
    if (problem) throw new InputError(`${where}: ${q.id}: ${problem}`);
    return text;
  };
}

type Prompts = typeof import('@inquirer/prompts');

/** On a terminal: inquirer, one prompt per question, checked on Enter; answers-file values become defaults. */
function inquirerAsk(p: Prompts, preset: Record<string, unknown>): Ask {
  return async (q, def, check, pick) => {
    const presetValue = preset[q.id];
    if (q.kind === 'confirm') {
      const d = typeof presetValue === 'boolean' ? presetValue : def === true;
      return p.confirm({ message: q.message, default: d });
    }
    const d =
      presetValue !== undefined
        ? answerToText(presetValue)
        : typeof def === 'string' && def !== ''
          ? def
          : undefined;
    const validate = (value: string) => check(value) ?? true;
    if (q.kind === 'select') {
      const choices = q.choices ?? [];
      return p.select({ message: q.message, choices, default: d });
    }
    if (pick) {
      // Known values (e.g. the listed availability domains): tick them, the default ticked.
      const ticked = new Set(typeof def === 'string' ? def.split(',').map((v) => v.trim()) : []);
      const chosen = await p.checkbox({
        message: q.message.replace(/, comma-separated.*$/, ''),
        choices: pick.map((c) => ({
          value: c.value,
          name: c.name,
          description: c.description,
          checked: ticked.has(c.value),
        })),
        validate: (items) => check(items.map((i) => i.value).join(', ')) ?? true,
      });
      return chosen.join(', ');
    }
    if (q.kind === 'password') return p.password({ message: q.message, mask: '*', validate });
    return p.input({
      message: q.optional && d ? `${q.message} ("none" to leave out)` : q.message,
      default: d,
      validate,
    });
  };
}

export type { Answers };
