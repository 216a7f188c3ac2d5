import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const COMMANDS_DIR = join(ROOT, 'src/cli/commands');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** What each command module loads when its action runs: `await import('…')` targets. */
function loadedModules(source: string): string[] {
  return [...source.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
}

describe('every command body starts in src/<feature>/command.ts', () => {
  const files = tsFiles(COMMANDS_DIR);

  it('each command module calls into a feature only through its command.ts', () => {
    const strays: string[] = [];
    for (const file of files) {
      for (const target of loadedModules(readFileSync(file, 'utf8'))) {
        if (target.startsWith('./')) continue; // the command list loading a command module
        if (!/^(\.\.\/)+[a-z-]+\/command\.js$/.test(target))
          strays.push(`${relative(ROOT, file)} loads ${target}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it('command modules import features for their types only (the body loads when the command runs)', () => {
    const eager: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/^import (?!type )[^;]*from '(\.[^']+)'/gm)) {
        const target = relative(ROOT, resolve(dirname(file), m[1]));
        if (!/^src\/(cli|core)\//.test(target)) eager.push(`${relative(ROOT, file)} imports ${target}`);
      }
    }
    expect(eager).toEqual([]);
  });
});
