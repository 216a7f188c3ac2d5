import type { Command } from 'commander';
import { registerConfigRender } from './render.js';
import { registerConfigSubmit } from './submit.js';

/** `kasm-scale config validate | render | schema | submit` (issue 3). */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('check, render, describe and submit Kasm VM provider configs');
  registerConfigRender(config);
  registerConfigSubmit(config);
}
