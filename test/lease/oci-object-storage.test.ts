import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KasmScaleConfig } from '../../src/config/types.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { startOciEmulator, type OciEmulator } from '../../src/emulators/oci/index.js';
import { acquireLease } from '../../src/lease/registry.js';
import { ociKeyPair } from '../helpers/keys.js';
import { emulatedOciProvider, OCI_IDS } from '../helpers/oci.js';
import { leaseContract } from './contract.js';

let emu: OciEmulator;
let config: KasmScaleConfig;
const key = ociKeyPair();

beforeAll(async () => {
  emu = await startOciEmulator({ objectStorage: { buckets: ['ops'] } });
  emu.registerApiKey({ tenancy: OCI_IDS.tenancy, user: OCI_IDS.user }, key.publicPem);
  config = {
    file: '/etc/kasm-scale.yaml',
    providers: [emulatedOciProvider(key, emu.url)],
    autoscale: [],
    lock: { type: 'oci-object-storage', provider: 'oci-test', bucket: 'ops', ttl_seconds: 30 },
  };
});
afterAll(() => emu.close());

const holder = () => {
  const o = emu.objects('ops')['kasm-scale/reconcile.lease'];
  return o
    ? (JSON.parse(Buffer.from(o.body, 'base64').toString('utf8')) as { holder: string }).holder
    : undefined;
};

describe('OCI Object Storage lease (oci-objectstorage against the emulator)', () => {
  leaseContract(() => ({ config, holderInStore: holder }));

  it('writes only with if-none-match / if-match, signed by the provider key', async () => {
    const before = emu.requests.length;
    const l = await acquireLease(config, { stateDir: '/nonexistent', warn: () => {}, holder: 'x' });
    await l.confirm();
    await l.release();
    const seen = emu.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(
      seen.map((r) => [r.method, r.headers['if-none-match'] ?? null, Boolean(r.headers['if-match'])]),
    ).toEqual([
      ['PUT', '*', false],
      ['PUT', null, true],
      ['DELETE', null, true],
    ]);
    expect(seen.every((r) => String(r.headers.authorization).startsWith('Signature version="1"'))).toBe(true);
  });

  it('a bucket that does not exist is one operational line (exit 1), nothing held', async () => {
    const bad = { ...config, lock: { ...config.lock!, bucket: 'nope' } } as KasmScaleConfig;
    const err = await acquireLease(bad, { stateDir: '/x', warn: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Failed });
    expect((err as Error).message).toMatch(
      /^lock bucket nope does not exist in Object Storage namespace emulatedns/,
    );
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it('a lock.provider that names no OCI provider is a config error (exit 2)', async () => {
    const bad = { ...config, lock: { ...config.lock!, provider: 'other' } } as KasmScaleConfig;
    await expect(acquireLease(bad, { stateDir: '/x', warn: () => {} })).rejects.toMatchObject({
      exitCode: ExitCode.Invalid,
      message: expect.stringMatching(/lock.provider other .*no oci provider of that name/),
    });
  });

  it('a request signed with an unknown key is refused (401)', async () => {
    const stranger = { ...config, providers: [emulatedOciProvider(ociKeyPair(), emu.url)] };
    await expect(acquireLease(stranger, { stateDir: '/x', warn: () => {} })).rejects.toThrow(
      /NotAuthenticated|authentication/i,
    );
  });
});
