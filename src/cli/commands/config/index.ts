import type { Command } from 'commander';
import { registerConfigValidate } from './validate.js';
import { registerConfigRender } from './render.js';
import { registerConfigSubmit } from './submit.js';
import { registerConfigSchema } from './schema.js';

/** `kasm-scale config validate | render | schema | submit` (issue 3). */
export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('check, render, describe and submit Kasm VM provider configs');
  registerConfigValidate(config);
  registerConfigRender(config);
  registerConfigSubmit(config);
  registerConfigSchema(config);
}
