import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check } from './fixtures.js';

/**
 * Which `{tokens}` a script may use depends on who launches with it: kasm-scale (an
 * autoscale config here names the provider) fills only server_id, provider_name,
 * manager_token (from kasm.manager_token) and upstream_auth_address; Kasm's own
 * autoscaler fills the rest itself.
 */
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

function withScript(script: string, opts: { launched?: boolean; kasm?: Record<string, unknown> } = {}) {
  const c = baseConfig();
  c.providers[0].startup_script = script;
  if (opts.kasm) Object.assign(c.kasm, opts.kasm);
  if (opts.launched === false) c.autoscale = c.autoscale.filter((a) => a.vm_provider_config_name !== 'oci-a');
  return c;
}
const messages = (r: Awaited<ReturnType<typeof check>>) => r.problems.map((p) => `${p.path}: ${p.message}`);

describe('startup script tokens', () => {
  it.each(['server_hostname', 'server_external_fqdn', 'nginx_cert_in', 'nginx_key_in'])(
    '{%s} is refused on a provider kasm-scale launches, kept on one only submitted',
    async (token) => {
      const script = `#!/bin/bash\nH={${token}}\n`;
      const launched = messages(await check(dir, withScript(script)));
      expect(launched).toHaveLength(1);
      expect(launched[0]).toMatch(
        new RegExp(
          `^providers\\[0\\]\\.startup_script: provider "oci-a" startup script line 2:3: \\{${token}\\} is filled only by Kasm's own autoscaler .*autoscale config "oci pool"`,
        ),
      );
      expect(messages(await check(dir, withScript(script, { launched: false })))).toEqual([]);
    },
  );

  it('{manager_token} needs kasm.manager_token, inline, ${ENV} or _file; the environment alone is not read', async () => {
    const script = '#!/bin/bash\nM={manager_token}\necho {manager_token}\n';
    const missing = messages(
      await check(dir, withScript(script), { env: { KASM_MANAGER_TOKEN: 'from-env' } }),
    );
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain(
      '{manager_token} needs kasm.manager_token, which is not set (KASM_MANAGER_TOKEN is set in the environment, but the token is read only through the file); set it, e.g. manager_token: ${KASM_MANAGER_TOKEN}',
    );
    expect(
      messages(
        await check(dir, withScript(script, { kasm: { manager_token: '${KASM_MANAGER_TOKEN}' } }), {
          env: { KASM_MANAGER_TOKEN: 'from-env' },
        }),
      ),
    ).toEqual([]);
    const unset = messages(
      await check(dir, withScript(script, { kasm: { manager_token: '${KASM_MANAGER_TOKEN}' } })),
    );
    expect(unset).toEqual([
      'kasm.manager_token: environment variable KASM_MANAGER_TOKEN is not set; expected it to hold this value (or write the value here)',
    ]);
    await writeFile(join(dir, 'token'), 'mgr-token\n', { mode: 0o600 });
    expect(messages(await check(dir, withScript(script, { kasm: { manager_token_file: 'token' } })))).toEqual(
      [],
    );
    expect(messages(await check(dir, withScript(script, { launched: false })))).toEqual([]);
  });

  it('an unknown name is refused wherever it is, with a guess when one is close', async () => {
    const near = messages(await check(dir, withScript('echo {provider}\n', { launched: false })));
    expect(near).toEqual([
      expect.stringMatching(
        /^providers\[0\]\.startup_script: provider "oci-a" startup script line 1:6: \{provider\} is not a token Kasm fills .*did you mean \{provider_name\}\? a literal brace is written doubled: \$\{\{provider\}\}$/,
      ),
    ]);
    const far = messages(await check(dir, withScript('echo {JAVA_HOME}\nX={JAVA_HOME}\nY={JAVA_HOME}\n')));
    expect(far).toHaveLength(1);
    expect(far[0]).toContain(
      'line 1:6: {JAVA_HOME} is not a token Kasm fills (str.format would fail every launch) (also on lines 2, 3); a literal brace',
    );
  });
});
