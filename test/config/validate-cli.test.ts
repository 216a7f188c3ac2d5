import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { baseConfig, testKeys } from './fixtures.js';

/** The built CLI, as a user runs it: exit codes, human lines, --json, no secrets. */
describe('kasm-scale config validate / schema (built CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, 'kasm-scale.yaml'), stringify(baseConfig()), { mode: 0o600 });
    const bad = baseConfig();
    bad.providers[0].oci_fingerprint = '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff';
    bad.providers[1].gcp_custom_labels = { Env: 'prod' };
    bad.autoscale[0].vm_provider_config_name = 'missing';
    await writeFile(join(dir, 'bad.yaml'), stringify(bad), { mode: 0o600 });
  });
  afterAll(() => cleanup());

  it('exit 0 for a valid file (default ./kasm-scale.yaml)', async () => {
    const r = await runCli(['config', 'validate'], { cwd: dir, env: { HOME: dir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kasm-scale\.yaml is valid: 2 providers/);
  });

  it('exit 2 with every problem, one line each with file:line:col and path', async () => {
    const r = await runCli(['config', 'validate', 'bad.yaml'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => /^bad\.yaml:\d+:\d+: providers\[0\]\.oci_fingerprint: does not match the private key/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.yaml:\d+:\d+: providers\[1\]\.gcp_custom_labels\.Env: expected a label key/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.yaml:\d+:\d+: autoscale\[0\]\.vm_provider_config_name: no provider named "missing"/.test(l))).toBe(true);
    expect(r.stderr).toMatch(/3 problems/);
    expect(r.stdout + r.stderr).not.toContain(testKeys().ociPem.split('\n')[1]);
  });

  it('--json prints one document; --config and KASM_SCALE_CONFIG pick the file', async () => {
    const r = await runCli(['config', 'validate', '--json', '--config', 'bad.yaml'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.problems).toHaveLength(3);
    expect(doc.problems[0]).toMatchObject({ file: join(dir, 'bad.yaml'), line: expect.any(Number), column: expect.any(Number) });
    const ok = await runCli(['config', 'validate', '--json'], { cwd: dir, env: { HOME: dir, KASM_SCALE_CONFIG: 'kasm-scale.yaml' } });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, problems: [], providers: [{ name: 'oci-a', cloud: 'oci' }, { name: 'gcp-a', cloud: 'gcp' }] });
  });

  it.each([
    ['an unknown token', (c: ReturnType<typeof baseConfig>) => (c.providers[0].startup_script = '#!/bin/bash\necho {sever_id}\n'), /^tok\.yaml:\d+:\d+: providers\[0\]\.startup_script: provider "oci-a" startup script line 2:6: \{sever_id\} is not a token Kasm fills .*did you mean \{server_id\}\?/],
    ['a malformed brace', (c: ReturnType<typeof baseConfig>) => (c.providers[1].startup_script = '#!/bin/bash\necho done }\n'), /^tok\.yaml:\d+:\d+: providers\[1\]\.startup_script: provider "gcp-a" startup script line 2:11: single '\}' \(write '\}\}' for a literal brace\)$/],
    ['{manager_token} without kasm.manager_token', (c: ReturnType<typeof baseConfig>) => (c.providers[0].startup_script = '#!/bin/bash\nM={manager_token}\n'), /^tok\.yaml:\d+:\d+: providers\[0\]\.startup_script: provider "oci-a" startup script line 2:3: \{manager_token\} needs kasm\.manager_token, which is not set.*manager_token: \$\{KASM_MANAGER_TOKEN\}/],
  ])('a startup script with %s is one line, exit 2', async (_what, change, line) => {
    const c = baseConfig();
    change(c);
    await writeFile(join(dir, 'tok.yaml'), stringify(c), { mode: 0o600 });
    const r = await runCli(['config', 'validate', 'tok.yaml'], { cwd: dir, env: { HOME: dir, KASM_MANAGER_TOKEN: undefined } });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it('a missing file is one line, exit 2', async () => {
    const r = await runCli(['config', 'validate', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope\.yaml does not exist/);
  });

  it('config schema prints the JSON Schema', async () => {
    const r = await runCli(['config', 'schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['kasm', 'providers', 'autoscale']));
  });
});
