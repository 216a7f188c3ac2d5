import type { Command } from 'commander';

/** `kasm-scale config validate | render | schema | submit` (issue 3). */
export function registerConfig(program: Command): void {
  program.command('config').description('check, render, describe and submit Kasm VM provider configs');
}
