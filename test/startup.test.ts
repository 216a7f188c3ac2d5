import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, tempDir } from './helpers/cli.js';
import { ociKeyPair } from './helpers/keys.js';

/**
 * Start-up stays light: `--version` and `--help` must not load a cloud SDK. NODE_DEBUG=module
 * only covers CommonJS, so we trace both module systems: a module.register() resolve hook
 * sees every ESM import (static and dynamic), and a wrapper around Module._load sees every
 * require() (the SDKs are CommonJS inside).
 */
const SDK =
  /(^|[/\\:])(oci-[a-z]+|@google-cloud|google-gax|googleapis|google-auth-library|sshpk|jssha)([/\\]|$)/;

let dir: string;
let cleanup: () => Promise<void>;
let register: string;
const root = join(__dirname, '..');

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-startup-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.KASM_SCALE_TRACE, 'esm ' + specifier + ' ' + r.url + '\\n');
  return r;
}
`,
  );
  register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  appendFileSync(process.env.KASM_SCALE_TRACE, 'cjs ' + request + '\\n');
  return load.apply(this, arguments);
};
`,
  );
});
afterAll(() => cleanup?.());

/** Runs node with the tracer and returns every module specifier it resolved. */
function traced(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number | null; stdout: string; modules: string[] } {
  const trace = join(dir, `${name}.trace`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, ...args], {
    cwd: root,
    env: { ...process.env, KASM_SCALE_TRACE: trace, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean),
  };
}

describe('start-up loads no cloud SDK', () => {
  it('the tracer sees an SDK when one is loaded (control)', () => {
    const r = traced('control', [
      '--input-type=module',
      '-e',
      "await import('oci-common'); import.meta.resolve('@google-cloud/compute')",
    ]);
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.includes('oci-common'))).toBe(true);
    expect(r.modules.some((m) => m.includes('@google-cloud/compute'))).toBe(true);
    expect(r.modules.some((m) => SDK.test(m.split(' ')[1]))).toBe(true);
  });

  const sdkIn = (modules: string[]) =>
    modules.filter((m) => SDK.test(m.split(' ')[1]) || SDK.test(m.split(' ')[2] ?? ''));

  for (const args of [['--help'], ['keys', '--help'], ['keys', 'generate', '--help'], ['config', '--help']]) {
    it(`kasm-scale ${args.join(' ')}`, () => {
      const r = traced(args.join('_'), [CLI, ...args]);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.modules.some((m) => m.includes('commander'))).toBe(true); // the tracer saw our own imports
      expect(sdkIn(r.modules)).toEqual([]);
    });
  }

  it('kasm-scale --version answers before the command tree is built (no commander, no colours)', () => {
    const r = traced('version', [CLI, '--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.modules.some((m) => m.includes('dist/cli/main.js'))).toBe(true); // the tracer saw our own imports
    expect(r.modules.filter((m) => /commander|chalk/.test(m))).toEqual([]);
  });

  it('a command builds only itself: `keys fingerprint` loads no other command module and not node-forge', () => {
    const key = ociKeyPair();
    const pub = join(dir, 'fp_public.pem');
    writeFileSync(pub, key.publicPem);
    const r = traced('fingerprint', [CLI, 'keys', 'fingerprint', pub]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(key.fingerprint);
    expect(r.modules.some((m) => m.includes('dist/cli/commands/keys.js'))).toBe(true);
    expect(
      r.modules.filter((m) =>
        /dist\/cli\/commands\/(reconcile|doctor|demo|simulate|status|init|emulator)\.js|node-forge/.test(m),
      ),
    ).toEqual([]);
  });

  it('config validate checks a whole OCI config without loading a cloud SDK', () => {
    const key = ociKeyPair();
    const home = join(dir, 'home');
    mkdirSync(join(home, '.oci'), { recursive: true });
    writeFileSync(join(home, '.oci', 'oci_api_key.pem'), key.privatePem, { mode: 0o600 });
    const r = traced('validate', [CLI, 'config', 'validate', join(root, 'examples/oci.yaml')], {
      HOME: home,
      KASM_API_KEY: 'k',
      KASM_API_KEY_SECRET: 's',
      KASM_MANAGER_TOKEN: 't',
      OCI_FINGERPRINT: key.fingerprint,
    });
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.includes('dist/config/'))).toBe(true);
    expect(sdkIn(r.modules)).toEqual([]);
  });
});
