/**
 * A failed unattended `init` leaves nothing half-written: what the run wrote (key pair,
 * secret file, profile) is taken back, the files it found are as they were, and a rerun
 * with the fixed answer works. Destinations that cannot be written are refused before the
 * first write. Built CLI, as a script would run it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ociAnswers, writeAnswers } from './fixtures.js';

let dir: string;
let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-init-rb-'));
  home = join(dir, 'home');
  mkdirSync(join(home, '.oci'), { recursive: true, mode: 0o700 });
});
afterEach(() => cleanup());

const env = () => ({
  HOME: home,
  XDG_CONFIG_HOME: '',
  KASM_SCALE_CONFIG: '',
  KASM_MANAGER_TOKEN: 'test-manager-token',
});

describe('init, unattended, failing part-way', () => {
  it('a profile that already exists: the generated key pair is taken back, ~/.oci/config is untouched, the rerun works', async () => {
    const ociConfig = join(home, '.oci', 'config');
    const before = '[DEFAULT]\r\nuser=ocid1.user.oc1..someoneelse\r\n';
    writeFileSync(ociConfig, before, { mode: 0o600 });
    const r = await runCli(
      ['init', '--answers', writeAnswers(dir, ociAnswers({ oci_profile: 'DEFAULT' })), '--yes'],
      { env: env(), cwd: dir },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/profile \[DEFAULT\] already exists/);
    expect(r.stderr).toMatch(/nothing this run wrote was left behind/);
    expect(readdirSync(join(home, '.oci'))).toEqual(['config']);
    expect(readFileSync(ociConfig, 'utf8')).toBe(before);
    expect(existsSync(join(home, '.config', 'kasm-scale', 'kasm_api_key_secret'))).toBe(false);
    expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);

    const again = await runCli(
      ['init', '--answers', writeAnswers(dir, ociAnswers({ oci_profile: 'kasm' })), '--yes'],
      { env: env(), cwd: dir },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(ociConfig, 'utf8').startsWith(before)).toBe(true);
  });

  it('a config file that cannot be written is refused before the first write', async (ctx) => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    try {
      execFileSync('chattr', ['+i', locked], { stdio: 'pipe' });
    } catch (err) {
      ctx.skip(`chattr +i is not allowed here (${String((err as { stderr?: Buffer }).stderr ?? '').trim()})`);
    }
    try {
      const r = await runCli(
        [
          'init',
          '--answers',
          writeAnswers(dir, ociAnswers()),
          '--yes',
          '--config',
          join(locked, 'kasm-scale.yaml'),
        ],
        { env: env(), cwd: dir },
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/config file .*kasm-scale\.yaml cannot be written: folder .* is not writable/);
      expect(readdirSync(join(home, '.oci'))).toEqual([]);
      expect(existsSync(join(home, '.config'))).toBe(false);
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
  });
});
