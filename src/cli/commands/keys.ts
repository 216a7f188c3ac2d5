import type { Command } from 'commander';

/** `kasm-scale keys generate | fingerprint | oci-config` (issue 2). */
export function registerKeys(program: Command): void {
  program.command('keys').description('OCI API key pair, fingerprint and ~/.oci/config profile');
}
