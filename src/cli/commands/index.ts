import type { Command } from 'commander';
import { COMMAND_NAMES, type CommandName } from './names.js';

export { COMMAND_NAMES } from './names.js';

/**
 * Every command, in the order `--help` lists them. A command module adds flags and help
 * text only and imports its implementation inside the action (start-up stays light).
 * Each module is itself loaded only when needed: `kasm-scale keys generate` builds the
 * `keys` command alone; the whole tree is built for `--help`, for no command, and for a
 * name we do not know (so commander can suggest the nearest one).
 */
const COMMANDS: Record<CommandName, () => Promise<(program: Command) => void>> = {
  init: async () => (await import('./init.js')).registerInit,
  keys: async () => (await import('./keys.js')).registerKeys,
  config: async () => (await import('./config/index.js')).registerConfig,
  reconcile: async () => (await import('./reconcile.js')).registerReconcile,
  status: async () => (await import('./status.js')).registerStatus,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
  demo: async () => (await import('./demo.js')).registerDemo,
  simulate: async () => (await import('./simulate.js')).registerSimulate,
  emulator: async () => (await import('./emulator.js')).registerEmulator,
};

/** Registers `only` (a command name) or, when it is not one, every command. */
export async function registerCommands(program: Command, only?: string): Promise<void> {
  const names: readonly CommandName[] = isCommandName(only) ? [only] : COMMAND_NAMES;
  const registers = await Promise.all(names.map((n) => COMMANDS[n]()));
  for (const register of registers) register(program);
}

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}
