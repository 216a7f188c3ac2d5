/**
 * The exit codes every command uses. Documented in README.md ("Exit codes");
 * keep the two in step.
 */
export const ExitCode = {
  /** Done, including "nothing to do". */
  Ok: 0,
  /** An operation failed: a cloud, Kasm or the file system said no. */
  Failed: 1,
  /** Invalid usage or input: a flag, a config file, a key. Also `--detailed-exitcode --dry-run`: changes to make. */
  Invalid: 2,
  /** Some actions failed, the rest were done (reconcile). */
  Partial: 3,
  /** Another reconcile pass holds the lock for this state dir. */
  Locked: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** With `--detailed-exitcode --dry-run`: there are changes to make (as `terraform plan`). */
export const ExitChangesPresent = 2;
