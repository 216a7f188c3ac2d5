import type { Command } from 'commander';
import { registerInit } from './init.js';
import { registerKeys } from './keys.js';
import { registerConfig } from './config/index.js';
import { registerEmulator } from './emulator.js';
import { registerReconcile } from './reconcile.js';
import { registerDoctor } from './doctor.js';
import { registerDemo } from './demo.js';
import { registerSimulate } from './simulate.js';
import { registerStatus } from './status.js';

/**
 * Every command, in the order `--help` lists them. A command module adds flags and help
 * text only and imports its implementation inside the action (start-up stays light).
 */
export function registerCommands(program: Command): void {
  registerInit(program);
  registerKeys(program);
  registerConfig(program);
  registerReconcile(program);
  registerStatus(program);
  registerDoctor(program);
  registerDemo(program);
  registerSimulate(program);
  registerEmulator(program);
}
