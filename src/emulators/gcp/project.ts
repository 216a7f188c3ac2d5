import { createHash } from 'node:crypto';

/**
 * A project's number and its default compute service account, as Compute Engine names them:
 * `serviceAccounts[].email: "default"` on an instance means
 * `PROJECT_NUMBER-compute@developer.gserviceaccount.com`. The emulator has no Resource
 * Manager, so the number is a stable 12-digit value derived from the project ID.
 */
export function projectNumber(project: string): string {
  const n = createHash('sha256').update(project).digest().readBigUInt64BE(0) % 900_000_000_000n;
  return String(100_000_000_000n + n);
}

export function defaultComputeAccount(project: string): string {
  return `${projectNumber(project)}-compute@developer.gserviceaccount.com`;
}

/** An instance's serviceAccounts as Google answers them: "default" resolved to the address. */
export function resolveServiceAccounts(project: string, accounts: unknown): unknown {
  if (!Array.isArray(accounts)) return accounts ?? [];
  return accounts.map((a) =>
    a && typeof a === 'object' && (a as { email?: unknown }).email === 'default'
      ? { ...a, email: defaultComputeAccount(project) }
      : a,
  );
}
