import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document } from 'yaml';
import { writeSecretFileAtomic } from '../core/files.js';
import { absPath, displayPath } from '../core/wizard/answer-checks.js';
import { parseIntLoose } from '../core/wizard/parse.js';
import type { FlowResult } from './flow.js';
import type { Ctx } from './questions.js';
import { DOCKER_AGENT_STARTUP_SCRIPT } from './templates/docker-agent.js';

/**
 * From answers to files: the config document (YAML, secrets only as `*_file` paths), and
 * the writes, each atomic and 0600. Nothing here asks anything.
 */

/** Where a typed Kasm secret goes: $XDG_CONFIG_HOME/kasm-scale/NAME (the API key secret by default). */
export function defaultSecretFile(ctx: Ctx, name = 'kasm_api_key_secret'): string {
  const base = ctx.env.XDG_CONFIG_HOME ? resolve(ctx.env.XDG_CONFIG_HOME) : resolve(ctx.home, '.config');
  return resolve(base, 'kasm-scale', name);
}

const num = (v: unknown) => parseIntLoose(String(v ?? ''));
const str = (v: unknown) => String(v ?? '').trim();

export function buildConfig(
  result: FlowResult,
  ctx: Ctx,
  secretFile: string,
  managerTokenFile?: string,
): Record<string, unknown> {
  const a = result.answers;
  const p = (file: string) => displayPath(file, ctx.home);
  const script = str(a.startup_script_file)
    ? { startup_script_file: p(absPath(str(a.startup_script_file), ctx)) }
    : { startup_script: DOCKER_AGENT_STARTUP_SCRIPT };
  const common = {
    vm_provider_config_name: str(a.vm_provider_config_name),
    max_instances: num(a.max_instances),
    ...script,
  };
  const provider = result.outcome.section(common);
  return {
    // The Docker agent template needs {manager_token}; the token stays out of the file: in the
    // 0600 file init wrote (or was given), else ${KASM_MANAGER_TOKEN} when the environment has
    // it. A script without {manager_token} needs neither (the question was not asked).
    kasm: {
      url: str(a.kasm_url),
      api_key: str(a.kasm_api_key),
      api_key_secret_file: p(secretFile),
      ...(managerTokenFile
        ? { manager_token_file: p(managerTokenFile) }
        : ctx.managerTokenInEnv
          ? { manager_token: '${KASM_MANAGER_TOKEN}' }
          : {}),
    },
    providers: [provider],
    autoscale: [
      {
        autoscale_config_name: str(a.autoscale_config_name),
        enabled: true,
        vm_provider_config_name: str(a.vm_provider_config_name),
        zone_name: str(a.zone_name),
        standby_cores: num(a.standby_cores),
        standby_memory_mb: num(a.standby_memory_mb),
        standby_gpus: num(a.standby_gpus),
        downscale_backoff: num(a.downscale_backoff),
        minimum_instances: num(a.minimum_instances),
      },
    ],
  };
}

export function configYaml(config: Record<string, unknown>, now = new Date()): string {
  const doc = new Document(config);
  doc.commentBefore = [
    ` kasm-scale config, written by \`kasm-scale init\` on ${now.toISOString().slice(0, 10)}.`,
    ' Secrets are not in this file: the *_file keys name 0600 files that hold them.',
    ' Check it: kasm-scale config validate <this file>',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Same bytes already there: writing again changes nothing and needs no permission. */
export function sameContent(path: string, data: string): boolean {
  try {
    return readFileSync(path, 'utf8') === data;
  } catch {
    return false;
  }
}

export { writeSecretFileAtomic };
