import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/**
 * Each command's page in docs/, by command path. docs/ ships in the npm package beside
 * dist/, so the help prints the page's absolute path on this machine: it opens with
 * `less` wherever kasm-scale was installed (a repository-relative path would name a file
 * only in a checkout, and a web link would show another version than the one installed).
 */
export const DOCS_PAGES: Record<string, string> = {
  init: 'init.md',
  keys: 'keys.md',
  'keys generate': 'keys.md',
  'keys fingerprint': 'keys.md',
  'keys oci-config': 'keys.md',
  config: 'config-file.md',
  'config validate': 'config-file.md',
  'config render': 'render.md',
  'config schema': 'config.md',
  'config submit': 'submit.md',
  reconcile: 'reconcile.md',
  status: 'reconcile.md',
  doctor: 'doctor.md',
  demo: 'trial.md',
  simulate: 'simulate.md',
  emulator: 'emulators.md',
};

/** The absolute path of a page: <package>/docs/<page> (this file is <package>/{src,dist}/cli/). */
export function docsPath(page: string): string {
  return fileURLToPath(new URL(`../../docs/${page}`, import.meta.url));
}

/** Ends the help of `cmd` and of each of its subcommands with the line naming its page. */
export function linkDocs(cmd: Command, parents: string[] = []): void {
  const path = [...parents, cmd.name()];
  const page = DOCS_PAGES[path.join(' ')];
  if (page !== undefined) {
    const file = docsPath(page);
    cmd.addHelpText('after', `\nDocs: ${file}${existsSync(file) ? '' : ' (not installed)'}\n`);
  }
  for (const sub of cmd.commands) linkDocs(sub, path);
}
