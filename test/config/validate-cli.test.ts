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
    expect(
      lines.some((l) =>
        /^bad\.yaml:\d+:\d+: providers\[0\]\.oci_fingerprint: does not match the private key/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^bad\.yaml:\d+:\d+: providers\[1\]\.gcp_custom_labels\.Env: expected a label key/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^bad\.yaml:\d+:\d+: autoscale\[0\]\.vm_provider_config_name: no provider named "missing"/.test(l),
      ),
    ).toBe(true);
    expect(r.stderr).toMatch(/3 problems/);
    expect(r.stdout + r.stderr).not.toContain(testKeys().ociPem.split('\n')[1]);
  });

  it('override values: one line per wrong value at its own line, exit 2, for validate and render alike', async () => {
    const doc = baseConfig();
    doc.providers[0].oci_config_override = {
      launch_instance_details: {
        agent_config: { plugins_config: [{ name: 'Bastion', desired_state: 'ENABLD' }] },
      },
    };
    doc.providers[1].gcp_config_override = { scheduling: { automaticRestart: 'false' } };
    const text = stringify(doc);
    await writeFile(join(dir, 'values.yaml'), text, { mode: 0o600 });
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const r = await runCli(['config', 'validate', 'values.yaml'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([
      `values.yaml:${lineOf('desired_state: ENABLD')}:${text.split('\n')[lineOf('desired_state: ENABLD') - 1].indexOf('ENABLD') + 1}: providers[0].oci_config_override.launch_instance_details.agent_config.plugins_config[0].desired_state: expected one of ENABLED, DISABLED (did you mean "ENABLED"?) (found "ENABLD")`,
      `values.yaml:${lineOf('automaticRestart: "false"')}:${text.split('\n')[lineOf('automaticRestart: "false"') - 1].indexOf('"false"') + 1}: providers[1].gcp_config_override.scheduling.automaticRestart: expected true or false (a boolean, not a string)`,
    ]);
    const render = await runCli(['config', 'render', 'values.yaml'], { cwd: dir, env: { HOME: dir } });
    expect(render.code).toBe(2);
    expect(render.stdout).toBe('');
    expect(render.stderr.trim().split('\n')).toHaveLength(1);
    expect(render.stderr).toMatch(
      /^error: \S*values\.yaml:\d+:\d+: providers\[0\]\.oci_config_override\..*desired_state: expected one of ENABLED, DISABLED .*\(and 1 more problem\)/,
    );
    expect(render.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json prints one document; --config and KASM_SCALE_CONFIG pick the file', async () => {
    const r = await runCli(['config', 'validate', '--json', '--config', 'bad.yaml'], {
      cwd: dir,
      env: { HOME: dir },
    });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.problems).toHaveLength(3);
    expect(doc.problems[0]).toMatchObject({
      file: join(dir, 'bad.yaml'),
      line: expect.any(Number),
      column: expect.any(Number),
    });
    const ok = await runCli(['config', 'validate', '--json'], {
      cwd: dir,
      env: { HOME: dir, KASM_SCALE_CONFIG: 'kasm-scale.yaml' },
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      valid: true,
      problems: [],
      providers: [
        { name: 'oci-a', cloud: 'oci' },
        { name: 'gcp-a', cloud: 'gcp' },
      ],
    });
  });

  it.each([
    [
      'an unknown token',
      (c: ReturnType<typeof baseConfig>) =>
        (c.providers[0].startup_script = '#!/bin/bash\necho {sever_id}\n'),
      /^tok\.yaml:\d+:\d+: providers\[0\]\.startup_script: provider "oci-a" startup script line 2:6: \{sever_id\} is not a token Kasm fills .*did you mean \{server_id\}\?/,
    ],
    [
      'a malformed brace',
      (c: ReturnType<typeof baseConfig>) => (c.providers[1].startup_script = '#!/bin/bash\necho done }\n'),
      /^tok\.yaml:\d+:\d+: providers\[1\]\.startup_script: provider "gcp-a" startup script line 2:11: single '\}' \(write '\}\}' for a literal brace\)$/,
    ],
    [
      '{manager_token} without kasm.manager_token',
      (c: ReturnType<typeof baseConfig>) =>
        (c.providers[0].startup_script = '#!/bin/bash\nM={manager_token}\n'),
      /^tok\.yaml:\d+:\d+: providers\[0\]\.startup_script: provider "oci-a" startup script line 2:3: \{manager_token\} needs kasm\.manager_token, which is not set.*manager_token: \$\{KASM_MANAGER_TOKEN\}/,
    ],
  ])('a startup script with %s is one line, exit 2', async (_what, change, line) => {
    const c = baseConfig();
    change(c);
    await writeFile(join(dir, 'tok.yaml'), stringify(c), { mode: 0o600 });
    const r = await runCli(['config', 'validate', 'tok.yaml'], {
      cwd: dir,
      env: { HOME: dir, KASM_MANAGER_TOKEN: undefined },
    });
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
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['kasm', 'providers', 'autoscale']),
    );
  });
});
