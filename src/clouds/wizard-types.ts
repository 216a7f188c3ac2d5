/**
 * A cloud's part of `kasm-scale init`, as its room provides it (CloudModule.wizard). The
 * generic wizard (src/init/) asks the questions every cloud shares and hands each cloud a
 * WizardHost: the room never imports init, it is given the way to ask.
 */
import type { Output } from '../core/output.js';
import type { Answers, Question, WizardCtx } from '../core/wizard/question.js';

/** What init gives a cloud's wizard for one run. */
export interface WizardHost {
  /** Every answer so far (the cloud and the provider config's name are known). */
  readonly answers: Answers;
  readonly ctx: WizardCtx;
  readonly out: Output;
  /** No human to wait for (answers file, --yes): nothing may pause for a person. */
  readonly unattended: boolean;
  /** The checked base URL given with this cloud's endpoint flag, if any. */
  readonly endpoint: string | undefined;
  /** An answer for this question id is given in the answers file (nothing to look up for it). */
  given(id: string): boolean;
  /** Asks one question (its when, default and check, seeing `ctx`) and stores the answer under its id. */
  ask<C extends WizardCtx>(q: Question<C>, ctx: C): Promise<void>;
  /** The questions every cloud shares (startup script, max instances, Kasm, autoscale); the cloud says when. */
  askShared(): Promise<void>;
}

/** What a cloud's questions came to. */
export interface WizardOutcome {
  /** Files the cloud writes beside the config (after the Kasm secrets, before the config). */
  writeBeside?(): Promise<void>;
  /**
   * The provider section of the config: `common` (vm_provider_config_name, max_instances,
   * the startup script) goes right after `vm_provider_name`.
   */
  section(common: Record<string, unknown>): Record<string, unknown>;
}

export interface CloudWizard {
  /** The init flag that sends this cloud's calls elsewhere, written as the provider's `endpoint`. */
  readonly endpointFlag: {
    /** `--oci-endpoint` */
    flag: string;
    /** What the URL should point at, for the hint under a bad one. */
    what: string;
  };
  /** Every question id this cloud may ask (an answers file key that is none of them is refused). */
  readonly questionIds: readonly string[];
  /**
   * Before the first question (whichever cloud is chosen): refuse early what would fail at
   * the end. `flags` are init's options by commander's names (`ociConfig`).
   */
  prepare?(ctx: WizardCtx, flags: Readonly<Record<string, unknown>>): Promise<void>;
  /** This cloud's questions, in order, calling host.askShared() where the shared ones belong. */
  run(host: WizardHost): Promise<WizardOutcome>;
}
