/**
 * What `npm pack` ships: only the launcher, the built code, examples and docs, and the
 * tarball runs on its own through npx (no file of the repository behind it). npm test
 * builds dist/ first, so the pack skips the prepack build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ALLOWED_TOP = new Set(['bin', 'dist', 'examples', 'docs', 'README.md', 'package.json', 'LICENSE']);

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe('npm pack', () => {
  let dir: string;
  let pack: PackResult;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kasm-scale-pack-'));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    pack = (JSON.parse(out) as PackResult[])[0]!;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds only bin/, dist/, examples/, docs/, the README and package.json', () => {
    const top = new Set(pack.files.map((f) => f.path.split('/')[0]!));
    expect([...top].filter((t) => !ALLOWED_TOP.has(t))).toEqual([]);
    for (const must of ['bin/kasm-scale.js', 'dist/cli/main.js', 'dist/clouds/gcp/compute-protos.json'])
      expect(pack.files.map((f) => f.path)).toContain(must);
  });

  it('ships no TypeScript source, test, key or credential file', () => {
    const bad = pack.files
      .map((f) => f.path)
      .filter((p) => /\.ts$|(^|\/)test\/|\.pem$|\.key$|credentials.*\.json$|\.env$/.test(p));
    expect(bad).toEqual([]);
  });

  it('runs from the packed tarball with npx', () => {
    const tgz = join(dir, pack.filename);
    const run = (...args: string[]) =>
      execFileSync('npx', ['--yes', '--prefer-offline', '--package', tgz, 'kasm-scale', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    expect(run('--version').trim()).toMatch(/^\d+\.\d+\.\d+/);
    const schema = JSON.parse(run('config', 'schema')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain('providers');
  });
});
