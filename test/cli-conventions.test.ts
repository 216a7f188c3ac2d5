import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { runCli } from './helpers/cli.js';

describe('CLI conventions', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command is invalid usage: exit 2, one line on stderr, nothing on stdout', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help loads no cloud SDK', async () => {
    const r = await runCli(['--help'], { env: { NODE_DEBUG: 'module' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kasm-scale');
    expect(r.stderr).not.toMatch(/oci-core|oci-common|@google-cloud|google-gax/);
  });
});
