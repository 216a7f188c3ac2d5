import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { relative, resolve } from 'node:path';
import { fsErrorToInput, InputError } from '../core/errors.js';
import { cloudNamed } from '../clouds/registry.js';
import { checkReferences } from './checks/autoscale.js';
import { checkLock } from './checks/lock.js';
import { checkStartupScripts } from './checks/startup-script.js';
import type { CheckContext } from '../core/fields/check-context.js';
import { expandEnv, isInline } from './loader/expand.js';
import { checkCaFile, modeOf, readFileKeys } from './loader/files.js';
import { fromZodIssues, valueAt, type RawProblem } from './loader/issues.js';
import { locate, parseSource, type ParsedSource } from './loader/parse.js';
import { ConfigInvalidError, formatPath, type ConfigProblem, type PathSegments } from './problems.js';
import { fileSchema } from './schema/file.js';
import { describeFound, isSecretPath, SECRET_KEYS } from './secret-keys.js';
import type { KasmScaleConfig } from './types.js';

export { ConfigInvalidError, type ConfigProblem } from './problems.js';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** loadConfig only: called with each warning (checkConfig returns them). */
  onWarning?: (warning: string) => void;
}

export interface CheckResult {
  config?: KasmScaleConfig;
  problems: ConfigProblem[];
  warnings: string[];
}

export const DEFAULT_CONFIG_FILE = 'kasm-scale.yaml';

/** `--config FILE`, else $KASM_SCALE_CONFIG, else ./kasm-scale.yaml; absolute. */
export function resolveConfigPath(file: string | undefined, opts: LoadOptions = {}): string {
  const env = opts.env ?? process.env;
  return resolve(opts.cwd ?? process.cwd(), file || env.KASM_SCALE_CONFIG || DEFAULT_CONFIG_FILE);
}

/** Loads and validates; throws ConfigInvalidError (exit 2) listing every problem. */
export async function loadConfig(file?: string, opts: LoadOptions = {}): Promise<KasmScaleConfig> {
  const { config, problems, warnings } = await checkConfig(file, opts);
  for (const w of warnings) opts.onWarning?.(w);
  if (!config) throw new ConfigInvalidError(resolveConfigPath(file, opts), problems);
  return config;
}

/**
 * Reads the file and reports every problem in one run: syntax, `${ENV}`, `*_file` keys,
 * each field's own rules (the zod schemas) and the rules across fields and sections.
 * Only an unreadable config file throws (InputError); everything else is a problem.
 */
export async function checkConfig(file?: string, opts: LoadOptions = {}): Promise<CheckResult> {
  const env = opts.env ?? process.env;
  const home = env.HOME || homedir();
  const path = resolveConfigPath(file, opts);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!file && !env.KASM_SCALE_CONFIG && (err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError(`config file ${path} does not exist`, {
        hint: 'create one with kasm-scale init, or pass --config FILE (or set KASM_SCALE_CONFIG)',
      });
    throw fsErrorToInput(err, path, 'config file');
  }
  const src = parseSource(path, text);
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  if (src.errors.length)
    return { problems: src.errors.map((e) => ({ file: path, path: '', ...e })), warnings };
  if (
    src.value === null ||
    src.value === undefined ||
    typeof src.value !== 'object' ||
    Array.isArray(src.value)
  ) {
    problems.push({
      file: path,
      path: '',
      line: 1,
      column: 1,
      message: 'expected a mapping with the sections kasm, providers and autoscale',
      found: describeFound(src.value, []) ?? 'an empty file',
    });
    return { problems, warnings };
  }

  const expanded = expandEnv(src.value, env);
  const root = expanded.value as Record<string, unknown>;
  /** formatted target path → where its value was read from */
  const origins = new Map<string, { keyPath: PathSegments; file: string }>();
  const raw: RawProblem[] = expanded.missing.map((m) => ({
    path: m.path,
    message: `environment variable ${m.name} is not set; expected it to hold this value (or write the value here)`,
  }));
  for (const b of expanded.broken)
    raw.push({
      path: b.path,
      message: `${isSecretPath(b.path) ? 'a "${"' : JSON.stringify(b.text)} is not an environment variable reference; expected \${NAME} (letters, digits and _, not starting with a digit), or $\${ for a literal \${`,
    });

  const sections: [Record<string, unknown>, PathSegments][] = [];
  if (isObject(root.kasm)) sections.push([root.kasm, ['kasm']]);
  if (Array.isArray(root.providers))
    root.providers.forEach((p, i) => isObject(p) && sections.push([p, ['providers', i]]));
  for (const [obj, at] of sections) {
    const r = await readFileKeys(obj, at, path, home);
    raw.push(...r.problems);
    for (const [target, origin] of r.origins) origins.set(formatPath([...at, target]), origin);
  }
  if (isObject(root.kasm)) raw.push(...(await checkCaFile(root.kasm, ['kasm'], path, home)));

  warnings.push(...(await secretModeWarnings(src, path)));

  const parsed = fileSchema.safeParse(root);
  if (!parsed.success) raw.push(...fromZodIssues(parsed.error.issues, root));

  const ctx: CheckContext = {
    add: (p, message, o = {}) =>
      raw.push({ path: p, message, atKey: o.atKey, ...(o.found === undefined ? {} : { found: o.found }) }),
    warn: (w) => warnings.push(w),
    fromFile: (p) => origins.get(formatPath(p))?.file,
  };
  if (Array.isArray(root.providers))
    root.providers.forEach((p, i) => {
      if (!isObject(p)) return;
      cloudNamed(p.vm_provider_name)?.check(p, ['providers', i], ctx);
    });
  if (
    isObject(root.kasm) &&
    (root.kasm.api_key_secret === undefined || root.kasm.api_key_secret === '') &&
    root.kasm.api_key_secret_file === undefined
  )
    ctx.add(
      ['kasm', 'api_key_secret'],
      'missing api_key_secret; expected the API key secret (inline or ${ENV}), or api_key_secret_file: a path',
    );
  checkReferences(
    Array.isArray(root.providers) ? root.providers : [],
    Array.isArray(root.autoscale) ? root.autoscale : [],
    ctx,
  );
  checkLock(root.lock, Array.isArray(root.providers) ? root.providers : [], ctx);
  checkStartupScripts(root, ctx, env);

  const seen = new Set<string>();
  for (const r of raw) {
    const origin = findOrigin(origins, r.path);
    const shown = origin ? origin.keyPath : r.path;
    const key = `${formatPath(shown)}\0${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = describeFound('found' in r ? r.found : valueAt(root, r.path), r.path);
    const message = withProviderName(root, r.path, r.message);
    problems.push({
      file: path,
      path: formatPath(shown),
      ...locate(src, shown, r.atKey),
      message: origin && !message.includes(origin.file) ? `${message} (read from ${origin.file})` : message,
      ...(found === undefined ||
      origin ||
      message.startsWith('missing') ||
      message.includes(found.replace(/^"|"$/g, '')) ||
      /startup script line/.test(message)
        ? {}
        : { found }),
    });
  }
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  if (problems.length || !parsed.success) return { problems, warnings };
  return { config: { file: path, ...parsed.data } as KasmScaleConfig, problems, warnings };
}

/**
 * A script problem names its provider: scripts usually live in a file of their own that
 * several providers may share, so `providers[2]` alone is a poor pointer.
 */
function withProviderName(root: Record<string, unknown>, path: PathSegments, message: string): string {
  if (!message.startsWith('startup script line') || path[0] !== 'providers' || path[2] !== 'startup_script')
    return message;
  const p = Array.isArray(root.providers) ? root.providers[path[1] as number] : undefined;
  const name =
    isObject(p) && typeof p.vm_provider_config_name === 'string' ? p.vm_provider_config_name : undefined;
  return name ? `provider "${name}" ${message}` : message;
}

/** A problem under a value read from a `*_file` key is shown at that key. */
function findOrigin(origins: Map<string, { keyPath: PathSegments; file: string }>, path: PathSegments) {
  for (let n = path.length; n > 0; n--) {
    const o = origins.get(formatPath(path.slice(0, n)));
    if (o) return o;
  }
  return undefined;
}

/** A secret written inline in a file others can read is a leak waiting to happen. */
async function secretModeWarnings(src: ParsedSource, file: string): Promise<string[]> {
  const inline: string[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (isObject(v))
      for (const [k, x] of Object.entries(v)) {
        if (SECRET_KEYS.has(k) && (isInline(x) || isObject(x))) inline.push(formatPath([...p, k]));
        else walk(x, [...p, k]);
      }
  };
  walk(src.value, []);
  if (!inline.length) return [];
  const mode = await modeOf(file);
  if (mode === undefined || (mode & 0o077) === 0) return [];
  const shown = relative(process.cwd(), file) || file;
  return [
    `${shown} holds a secret inline (${inline.join(', ')}) and is readable by group/others (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${shown}, or move the secret to \${ENV} or a *_file key`,
  ];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
