import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';

/** Every command and subcommand, with its path ('config render'). */
function walk(cmd: Command, parents: string[] = []): { path: string; cmd: Command }[] {
  const path = [...parents, cmd.name()];
  return [{ path: path.join(' '), cmd }, ...cmd.commands.flatMap((c) => walk(c, path))];
}

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('each command help links its docs page', () => {
  it('ends with "Docs: <file>" naming a file that exists in docs/', async () => {
    const program = await buildProgram();
    const commands = program.commands.flatMap((c) => walk(c));
    expect(commands.length).toBeGreaterThan(10);
    for (const { path, cmd } of commands) {
      const lines = helpOf(cmd).trimEnd().split('\n');
      const last = lines[lines.length - 1];
      const m = /^Docs: (\S+\/docs\/[\w.-]+\.md)$/.exec(last);
      expect(m, `${path}: last help line is "${last}"`).not.toBeNull();
      expect(existsSync(m![1]), `${path}: ${m![1]} exists`).toBe(true);
    }
  });
});
