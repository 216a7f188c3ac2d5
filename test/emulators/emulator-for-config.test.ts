import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStream, createOutput } from '../../src/core/output.js';
import { createAdapter } from '../../src/clouds/index.js';
import { emulatorCommand } from '../../src/emulators/command.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { emulatedGcpProvider } from '../helpers/gcp.js';
import { ociKeyPair, serviceAccountKey } from '../helpers/keys.js';
import { emulatedOciProvider } from '../helpers/oci.js';
import { silenceSdkWarnings } from '../clouds/oci/fixture.js';

/**
 * `kasm-scale emulator oci|gcp --for CONFIG`: the emulator accepts the config's own keys
 * and references, so a person can point a real config at it and run doctor/reconcile.
 */
describe('emulator --for CONFIG', () => {
  silenceSdkWarnings();
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  async function start(name: 'oci' | 'gcp', file: string) {
    const stdout = new MemoryStream();
    const stderr = new MemoryStream();
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const done = emulatorCommand(
      { name, port: 0, forConfig: file, until },
      createOutput({ stdout, stderr, env: {} }),
    );
    // Start-up is in-process I/O (config file, emulator modules): poll its output, bounded.
    for (let i = 0; i < 1000 && !/listening on (\S+)/.test(stdout.text); i++)
      await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (\S+)/.exec(stdout.text)?.[1];
    expect(url, stderr.text).toBeTruthy();
    return { url: url as string, stderr, stop: async () => (stop(), await done) };
  }

  it('OCI: the config key signs requests the emulator accepts; another key is refused', async () => {
    const key = ociKeyPair();
    const provider = emulatedOciProvider(key, 'http://127.0.0.1:9');
    const file = join(dir, 'oci.yaml');
    await writeFile(file, stringify({ providers: [{ ...provider, endpoint: undefined }], autoscale: [] }), {
      mode: 0o600,
    });
    const emu = await start('oci', file);
    try {
      expect(emu.stderr.text).toContain('accepting 1 OCI provider');
      const ok = await createAdapter({ ...provider, endpoint: emu.url });
      expect(await ok.listOwned()).toEqual([]);
      expect((await ok.agentSize()).cores).toBe(4);
      const other = ociKeyPair();
      const refused = await createAdapter({
        ...provider,
        endpoint: emu.url,
        oci_private_key: other.privatePem,
        oci_fingerprint: other.fingerprint,
      });
      await expect(refused.listOwned()).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await emu.stop();
    }
  });

  it("GCP: the config's service account authenticates and its machine type is known", async () => {
    const sa = serviceAccountKey();
    const provider = emulatedGcpProvider(sa, 'http://127.0.0.1:9');
    const file = join(dir, 'gcp.yaml');
    await writeFile(file, stringify({ providers: [{ ...provider, endpoint: undefined }], autoscale: [] }), {
      mode: 0o600,
    });
    const emu = await start('gcp', file);
    try {
      const adapter = await createAdapter({ ...provider, endpoint: emu.url });
      expect(await adapter.listOwned()).toEqual([]);
      expect((await adapter.agentSize()).cores).toBeGreaterThan(0);
      await adapter.close?.();
    } finally {
      await emu.stop();
    }
  });

  it('a bad --for is an exit 2 before listening, not an emulator running unseeded (built CLI)', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'providers: [{vm_provider_name: oci}]\n', { mode: 0o600 });
    for (const [name, file] of [
      ['oci', join(dir, 'missing.yaml')],
      ['gcp', bad],
    ]) {
      // Before: the error was printed and the server kept running until killed (code null).
      const r = await runCli(['emulator', name, '--for', file], { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).not.toContain('listening');
      expect(r.stderr).toContain(file);
    }
  });
});
