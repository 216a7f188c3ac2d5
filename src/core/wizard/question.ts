/**
 * What the `init` wizard asks, as data: the generic flow (src/init/) and each cloud's
 * wizard (src/clouds/<cloud>/wizard.ts) write their questions in these terms, so a room
 * describes its questions without importing the feature that asks them.
 *
 * The `id` is the key in an answers file (docs/init.md, "Unattended", lists them).
 * `validate` returns the problem with a typed answer (the config schema's own message) or
 * undefined.
 */

export type Answers = Record<string, string | boolean>;

/** Where a run records each file before writing it, so a failed run can take it back. */
export interface WizardJournal {
  record(path: string): Promise<void>;
}

/** What every question may look at besides the answers so far. */
export interface WizardCtx {
  env: NodeJS.ProcessEnv;
  home: string;
  force: boolean;
  /** The answers file names a file holding the Kasm API key secret: the secret is not asked. */
  kasmSecretFileGiven?: boolean;
  /** The answers file names a file holding the Kasm manager token: the token is not asked. */
  managerTokenFileGiven?: boolean;
  /** KASM_MANAGER_TOKEN is set and no answer gives the token: the config refers to the variable. */
  managerTokenInEnv?: boolean;
  /** Every file this run writes is recorded here first, so a failed run can take it back. */
  journal?: WizardJournal;
}

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

/** One question; C is the context its functions see (a cloud may extend WizardCtx with its own state). */
export interface Question<C extends WizardCtx = WizardCtx> {
  id: string;
  kind: 'input' | 'password' | 'select' | 'confirm';
  message: string;
  default?: string | boolean | ((a: Answers, ctx: C) => string | boolean | undefined);
  choices?: Choice[];
  when?: (a: Answers, ctx: C) => boolean;
  /** Empty text is a valid answer (the key is left out or empty). */
  optional?: boolean;
  validate?: (raw: string, a: Answers, ctx: C) => string | undefined;
  /**
   * Known values to pick from: a terminal then shows a checkbox (the default's values
   * ticked) instead of a text input; the answer is the ticked values, comma-separated.
   */
  pick?: (a: Answers, ctx: C) => Choice[] | undefined;
}
