import { CLOUD_LIST, cloudNamed, isCloudName } from '../clouds/registry.js';
import type { CloudWizard } from '../clouds/wizard-types.js';
import { checkInt, checkText, fieldCheck, fileProblem, readText } from '../core/wizard/answer-checks.js';
import type { Answers, Question, WizardCtx } from '../core/wizard/question.js';
import { autoscale, kasm } from './fields.js';

/**
 * The questions `kasm-scale init` asks whatever the cloud, as data (each cloud's own are in
 * its room: CloudModule.wizard). The flow (flow.ts) walks these lists in order and asks
 * each through an injected `ask`: inquirer on a terminal, the answers file when unattended.
 * The `id` is the key in an answers file (docs/init.md, "Unattended", lists them).
 */

export type { Answers, Choice, Question } from '../core/wizard/question.js';
export type Ctx = WizardCtx;

/** The chosen cloud's provider fields (the first cloud's before one is chosen). */
function fieldsOf(a: Answers) {
  return (cloudNamed(a.cloud) ?? CLOUD_LIST[0]!).fields;
}

/** The startup script answer: empty = the built-in Docker agent template, else a file. */
export const TEMPLATE = '';

export const START: Question[] = [
  {
    id: 'cloud',
    kind: 'select',
    message: 'Which cloud will run the Kasm agents?',
    choices: CLOUD_LIST.map((c) => ({ value: c.name, name: c.label })),
    default: CLOUD_LIST[0]!.name,
    validate: (raw) =>
      isCloudName(raw) ? undefined : `expected ${CLOUD_LIST.map((c) => `'${c.name}'`).join(' or ')}`,
  },
  {
    id: 'vm_provider_config_name',
    kind: 'input',
    message: 'Name of this VM provider config (as Kasm will show it)',
    default: (a) => `${String(a.cloud)}-agents`,
    validate: (raw, a) => checkText(fieldsOf(a).vm_provider_config_name!)(raw),
  },
];

/** Startup script and max instances: both clouds, after the cloud-specific questions. */
export const AGENT: Question[] = [
  {
    id: 'startup_script_file',
    kind: 'input',
    message: "Startup script file (empty: start from kasm-scale's Docker agent template)",
    optional: true,
    validate: (raw, a, ctx) => {
      if (raw.trim() === TEMPLATE) return undefined;
      const problem = fileProblem(raw, ctx, 'the startup script');
      if (problem) return problem;
      return fieldCheck(fieldsOf(a).startup_script!)(readText(raw, ctx));
    },
  },
  {
    id: 'max_instances',
    kind: 'input',
    message: 'Most agents this provider may run at once (max_instances)',
    default: '10',
    validate: (raw, a) => checkInt(fieldsOf(a).max_instances!)(raw),
  },
];

export const KASM: Question[] = [
  {
    id: 'kasm_url',
    kind: 'input',
    message: 'Kasm URL (e.g. https://kasm.example.com)',
    validate: checkText(kasm.url),
  },
  {
    id: 'kasm_api_key',
    kind: 'input',
    message: 'Kasm API key (Admin → Settings → Developers → API Keys)',
    validate: checkText(kasm.api_key),
  },
  {
    id: 'kasm_api_key_secret',
    kind: 'password',
    message: 'Kasm API key secret (stored in a 0600 file, not in the config)',
    when: (_a, ctx) => !ctx.kasmSecretFileGiven,
    validate: (raw) =>
      raw.trim() === '' ? 'expected the Kasm API key secret, not an empty string' : undefined,
  },
  {
    id: 'kasm_manager_token',
    kind: 'password',
    message:
      "Kasm manager token, filled into the startup script's {manager_token} so a new agent can join (stored in a 0600 file)",
    // Not asked when the environment has it (and no answer gives it): the config then says ${KASM_MANAGER_TOKEN}.
    when: (a, ctx) => !ctx.managerTokenFileGiven && !ctx.managerTokenInEnv && scriptNeedsManagerToken(a, ctx),
    validate: (raw) =>
      raw.trim() === ''
        ? 'expected the Kasm manager token (the startup script uses {manager_token}), not an empty string'
        : undefined,
  },
];

/** The built-in template uses {manager_token}; a script of the user's own may not. */
function scriptNeedsManagerToken(a: Answers, ctx: Ctx): boolean {
  const file = String(a.startup_script_file ?? '').trim();
  if (file === TEMPLATE) return true;
  try {
    return readText(file, ctx).includes('{manager_token}');
  } catch {
    return true;
  }
}

export const AUTOSCALE: Question[] = [
  {
    id: 'autoscale_config_name',
    kind: 'input',
    message: 'Autoscale config name',
    default: (a) => String(a.vm_provider_config_name),
    validate: checkText(autoscale.autoscale_config_name),
  },
  {
    id: 'zone_name',
    kind: 'input',
    message: 'Kasm zone whose agents this scales',
    default: 'default',
    validate: checkText(autoscale.zone_name),
  },
  {
    id: 'standby_cores',
    kind: 'input',
    message: 'Standby cores (free cores to keep ready)',
    default: '4',
    validate: checkInt(autoscale.standby_cores),
  },
  {
    id: 'standby_memory_mb',
    kind: 'input',
    message: 'Standby memory, MB',
    default: '8192',
    validate: checkInt(autoscale.standby_memory_mb),
  },
  {
    id: 'standby_gpus',
    kind: 'input',
    message: 'Standby GPUs',
    default: '0',
    validate: checkInt(autoscale.standby_gpus),
  },
  {
    id: 'downscale_backoff',
    kind: 'input',
    message: 'Downscale backoff, seconds an agent must be idle before removal',
    default: '900',
    validate: checkInt(autoscale.downscale_backoff),
  },
  {
    id: 'minimum_instances',
    kind: 'input',
    message: 'Minimum agents to keep running',
    default: '0',
    validate: checkInt(autoscale.minimum_instances),
  },
];

/** Every question id, for the answers-file check (a misspelt key is an error). */
export function allQuestionIds(wizards: readonly CloudWizard[]): string[] {
  const ids = (list: Question[]) => list.map((q) => q.id);
  return [...ids(START), ...wizards.flatMap((w) => w.questionIds), ...ids([...AGENT, ...KASM, ...AUTOSCALE])];
}

/** Answers-file-only keys (no prompt): a secret given as a file instead of typed. */
export const EXTRA_ANSWER_KEYS = ['kasm_api_key_secret_file', 'kasm_manager_token_file'] as const;
