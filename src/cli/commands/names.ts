/**
 * The top-level command names, in the order `--help` lists them. Kept apart from the
 * loaders in index.ts so a command (init offers the commands this CLI has) can read the
 * list without importing the module that imports it.
 */
export const COMMAND_NAMES = [
  'init',
  'keys',
  'config',
  'reconcile',
  'status',
  'doctor',
  'demo',
  'simulate',
  'emulator',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
