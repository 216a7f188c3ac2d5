import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');

/**
 * The OCI SDK console.warn()s on every failed call. In a CLI process (quietSdkNoise() at
 * start-up, as src/cli/main does) none of it may reach the terminal, and none of our OCI
 * code writes to the console itself. Runs the built code (npm test builds dist/ first).
 */
describe('OCI SDK console noise', () => {
  it('a failing adapter call in a quieted process prints nothing', async () => {
    const script = `
      const { quietSdkNoise } = await import(${JSON.stringify(join(root, 'dist/cli/quiet.js'))});
      quietSdkNoise({});
      const { startOciEmulator } = await import(${JSON.stringify(join(root, 'dist/emulators/oci/index.js'))});
      const { createOciAdapter } = await import(${JSON.stringify(join(root, 'dist/clouds/oci/adapter.js'))});
      const { generateKeyPairSync } = await import('node:crypto');
      const emu = await startOciEmulator({});
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const a = createOciAdapter({ vm_provider_name: 'oci', vm_provider_config_name: 'q', oci_user_ocid: 'ocid1.user.oc1..u',
        oci_tenancy_ocid: 'ocid1.tenancy.oc1..t', oci_fingerprint: '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff',
        oci_private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), oci_region: 'us-ashburn-1',
        oci_compartment_ocid: 'ocid1.compartment.oc1..c', oci_availability_domains: ['AD-1'], endpoint: emu.url }, { sleep: async () => {} });
      try { await a.listOwned(); } catch (e) { process.stdout.write(JSON.stringify({ kind: e.kind })); }
      await emu.close();
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, KASM_SCALE_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ kind: 'auth' });
  });

  it('no OCI module of ours calls console.*', () => {
    const files = ['src/clouds/oci', 'src/emulators/oci'].flatMap((d) =>
      readdirSync(join(root, d), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(root, d, f)),
    );
    files.push(join(root, 'src/clouds/retry.ts'));
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\bconsole\.[a-z]+\(/);
  });
});
