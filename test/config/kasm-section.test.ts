import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check } from './fixtures.js';

describe('kasm.manager_token and the reconcile section', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('reads manager_token_file into kasm.manager_token and takes reconcile.concurrency', async () => {
    await writeFile(join(dir, 'token'), 'mgr-token-123');
    const c = baseConfig();
    Object.assign(c.kasm, { manager_token_file: 'token' });
    const r = await check(dir, { ...c, reconcile: { concurrency: 4 } });
    expect(r.problems).toEqual([]);
    expect(r.config?.kasm?.manager_token).toBe('mgr-token-123');
    expect(r.config?.reconcile?.concurrency).toBe(4);
  });

  it('refuses a concurrency outside 1..256 and never shows the token in a problem', async () => {
    const c = baseConfig();
    Object.assign(c.kasm, { manager_token: 'mgr-secret-xyz', manager_token_file: 'token' });
    const r = await check(dir, { ...c, reconcile: { concurrency: 0 } });
    const text = JSON.stringify(r.problems);
    expect(r.problems.map((p) => p.path)).toContain('reconcile.concurrency');
    expect(text).not.toContain('mgr-secret-xyz');
  });
});
