import type { CloudName } from '../clouds/registry.js';
import type { CloudWizard, WizardOutcome } from '../clouds/wizard-types.js';
import type { Output } from '../core/output.js';
import type { WizardCtx } from '../core/wizard/question.js';
import {
  AGENT,
  type Answers,
  AUTOSCALE,
  type Choice,
  type Ctx,
  KASM,
  type Question,
  START,
} from './questions.js';

/**
 * The wizard's one flow. It never talks to a terminal itself: every answer comes from
 * `ask` (inquirer on a TTY, the answers file when unattended), and every line it shows
 * goes through Output, so both modes walk exactly the same path. After the first questions
 * (the cloud, the provider config's name) the chosen cloud's wizard takes over and says
 * when the questions every cloud shares come.
 *
 * `ask` gets the question, its default, the check for a typed answer, and the values to
 * pick from when they are known (Question.pick); it returns the accepted answer (text, or
 * a boolean for a confirm).
 */
export type Ask = (
  q: Question<never>,
  def: string | boolean | undefined,
  check: (raw: string) => string | undefined,
  pick?: Choice[],
) => Promise<string | boolean>;

export interface FlowResult {
  answers: Answers;
  /** What the chosen cloud's questions came to: its config section, the files it writes beside. */
  outcome: WizardOutcome;
}

export interface FlowDeps {
  ask: Ask;
  out: Output;
  ctx: Ctx;
  /** Unattended: no human to wait for (a cloud's wizard then pauses for nothing). */
  unattended: boolean;
  /** An answer for this question id is already given (answers file): nothing to look up for it. */
  given?: (id: string) => boolean;
  /** Each cloud's wizard, loaded for this run. */
  wizards: ReadonlyMap<CloudName, CloudWizard>;
  /** The checked endpoint flag given for each cloud. */
  endpoints: ReadonlyMap<CloudName, string>;
}

/** Values typed as `none` mean "leave this out" for optional questions with a default. */
function normalize(q: Question<never>, raw: string): string {
  return q.optional && raw.trim().toLowerCase() === 'none' ? '' : raw;
}

async function askOne<C extends WizardCtx>(
  q: Question<C>,
  answers: Answers,
  ctx: C,
  deps: FlowDeps,
): Promise<void> {
  if (q.when && !q.when(answers, ctx)) return;
  const def = typeof q.default === 'function' ? q.default(answers, ctx) : q.default;
  const check = (raw: string): string | undefined => {
    const v = normalize(q, raw);
    if (v.trim() === '' && q.optional) return undefined;
    if (v.trim() === '' && q.kind !== 'password') return `an answer is needed (${q.message})`;
    return q.validate?.(v, answers, ctx);
  };
  const pick = q.pick?.(answers, ctx);
  const value = await deps.ask(q, def, check, pick?.length ? pick : undefined);
  answers[q.id] = typeof value === 'string' ? normalize(q, value).trim() : value;
}

async function askAll(list: Question[], answers: Answers, deps: FlowDeps): Promise<void> {
  for (const q of list) await askOne(q, answers, deps.ctx, deps);
}

export async function runFlow(deps: FlowDeps, answers: Answers = {}): Promise<FlowResult> {
  await askAll(START, answers, deps);
  const cloud = answers.cloud as CloudName;
  const outcome = await deps.wizards.get(cloud)!.run({
    answers,
    ctx: deps.ctx,
    out: deps.out,
    unattended: deps.unattended,
    endpoint: deps.endpoints.get(cloud),
    given: (id) => deps.given?.(id) ?? false,
    ask: (q, ctx) => askOne(q, answers, ctx, deps),
    // The questions every cloud shares, after (or around) the cloud-specific ones.
    askShared: async () => {
      await askAll(AGENT, answers, deps);
      await askAll(KASM, answers, deps);
      await askAll(AUTOSCALE, answers, deps);
    },
  });
  return { answers, outcome };
}
