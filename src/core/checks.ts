/**
 * What `doctor` checks and reports. A check is a read-only question to a cloud or to Kasm
 * ("does the image exist?"); its answer is a status, one line of detail, and a fix hint
 * when it is not ok. Checks are data so one runner schedules them all and one renderer
 * prints them.
 */

/** ok ✓; fail ✗ (exit 1); warn ! (reported, not a failure); skip – (a check it needs did not pass). */
export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export interface Outcome {
  status: Exclude<CheckStatus, 'skip'>;
  /** One line: what was found. Never a secret. */
  detail: string;
  /** How to fix it (for fail/warn). */
  hint?: string;
  /** The cloud's request id, for support tickets. */
  requestId?: string;
}

export interface Check {
  /** Unique within its group: "credentials", "nsg:ocid1...", "shape:AD-2". */
  id: string;
  /** Short human title: "credentials authenticate", "shape VM.Standard.E4.Flex in AD-2". */
  title: string;
  /** Ids (same group) that must pass (ok or warn) before this one runs; otherwise it is skipped. */
  needs?: string[];
  run(): Promise<Outcome>;
}

export interface CheckGroup {
  /** The provider's vm_provider_config_name, "kasm", or the lock type. */
  name: string;
  /** A cloud's name (clouds/registry.ts CloudName), 'kasm' or 'lease': how the report titles the group. */
  kind: string;
  checks: Check[];
  /**
   * Loads the SDK and builds clients before any check's clock starts (a cold SDK import can
   * take seconds on a busy machine). Never throws: a failure is reported by the checks.
   */
  prepare?(): Promise<void>;
  /** Releases clients once every check of the group is done. */
  close?(): Promise<void>;
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
  requestId?: string;
  /** Wall time of the check (ms). */
  ms: number;
}

export interface GroupResult {
  name: string;
  kind: CheckGroup['kind'];
  checks: CheckResult[];
}

export interface DoctorReport {
  file: string;
  ok: boolean;
  summary: { checks: number; passed: number; failed: number; warnings: number; skipped: number };
  groups: GroupResult[];
}

export const ok = (detail: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'ok',
  detail,
  ...extra,
});
export const fail = (detail: string, hint?: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'fail',
  detail,
  ...(hint ? { hint } : {}),
  ...extra,
});
export const warn = (detail: string, hint?: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'warn',
  detail,
  ...(hint ? { hint } : {}),
  ...extra,
});

/** A lazily started, shared promise: several checks read one answer (e.g. one get_zones call). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/** Settles a shared promise into a value-or-error pair, so each check can judge it its own way. */
export async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
