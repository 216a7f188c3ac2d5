import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KasmScaleConfig } from '../../src/config/types.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { startGcpEmulator, type GcpEmulator } from '../../src/emulators/gcp/index.js';
import { acquireLease } from '../../src/lease/registry.js';
import { emulatedGcpProvider } from '../helpers/gcp.js';
import { serviceAccountKey } from '../helpers/keys.js';
import { leaseContract } from './contract.js';

let emu: GcpEmulator;
let config: KasmScaleConfig;
const key = serviceAccountKey();

beforeAll(async () => {
  emu = await startGcpEmulator({ serviceAccounts: [key], buckets: ['ops'] });
  config = {
    file: '/etc/kasm-scale.yaml',
    providers: [emulatedGcpProvider(key, emu.url)],
    autoscale: [],
    lock: { type: 'gcs', provider: 'gcp-test', bucket: 'ops', ttl_seconds: 30 },
  };
});
afterAll(() => emu.close());

const holder = () => {
  const data = emu.object('ops', 'kasm-scale/reconcile.lease');
  return data ? (JSON.parse(data.toString('utf8')) as { holder: string }).holder : undefined;
};

describe('Cloud Storage lease (@google-cloud/storage against the emulator)', () => {
  leaseContract(() => ({ config, holderInStore: holder }));

  it('writes only with ifGenerationMatch (0 to create), authenticated by the service account', async () => {
    const before = emu.requests.length;
    const l = await acquireLease(config, { stateDir: '/nonexistent', warn: () => {}, holder: 'x' });
    await l.confirm();
    await l.release();
    const writes = emu.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(
      writes.map((r) => [
        r.method,
        r.query.ifGenerationMatch === '0' ? '0' : r.query.ifGenerationMatch ? 'n' : null,
      ]),
    ).toEqual([
      ['POST', '0'],
      ['POST', 'n'],
      ['DELETE', 'n'],
    ]);
  });

  it('a bucket that does not exist is one operational line (exit 1)', async () => {
    const bad = { ...config, lock: { ...config.lock!, bucket: 'nope' } } as KasmScaleConfig;
    const err = await acquireLease(bad, { stateDir: '/x', warn: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Failed });
    expect((err as Error).message).toMatch(/^lock bucket nope does not exist in Cloud Storage/);
  });

  it('a key the emulator does not know is refused (401), one line', async () => {
    const stranger = {
      ...config,
      providers: [
        emulatedGcpProvider(
          serviceAccountKey('kasm-test-project', 'x@kasm-test-project.iam.gserviceaccount.com'),
          emu.url,
        ),
      ],
    };
    const err = await acquireLease(stranger, { stateDir: '/x', warn: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Failed });
    expect((err as Error).message).not.toMatch(/\n/);
  });
});
