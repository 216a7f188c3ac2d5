import { afterEach, beforeEach, expect, vi } from 'vitest';
import { CloudError } from '../../../src/clouds/types.js';
import type { OciProvider } from '../../../src/config/types.js';
import {
  startOciEmulator,
  type OciEmulator,
  type OciEmulatorOptions,
} from '../../../src/emulators/oci/index.js';
import { ociKeyPair, type OciTestKey } from '../../helpers/keys.js';
import { emulatedOciProvider, OCI_IDS, ociSeed } from '../../helpers/oci.js';

export const {
  tenancy: TENANCY,
  user: USER,
  compartment: COMPARTMENT,
  image: IMAGE,
  subnet: SUBNET,
  nsg1: NSG1,
  nsg2: NSG2,
  ad1: AD1,
  ad2: AD2,
} = OCI_IDS;

/** A fresh API key pair (private PEM encrypted when a passphrase is given). */
export const rsaKey = (passphrase?: string): OciTestKey => ociKeyPair(passphrase);

export function provider(
  key: { privatePem: string; fingerprint: string },
  endpoint: string,
  extra: Partial<OciProvider> = {},
): OciProvider {
  return emulatedOciProvider(key, endpoint, {
    startup_script:
      '#!/bin/bash\necho "server {server_id} token {manager_token} at {upstream_auth_address}"\n',
    oci_custom_tags: { team: 'vdi' },
    ...extra,
  });
}

/** Adds a GPU shape offered in AD-2 only and an Ampere flex shape to the common seed. */
export const SEED = ociSeed(OCI_IDS, [
  { shape: 'VM.GPU3.1', ocpus: 6, memoryInGBs: 90, gpus: 1, availabilityDomains: [AD2] },
  {
    shape: 'VM.Standard.A1.Flex',
    ocpus: 1,
    memoryInGBs: 6,
    isFlexible: true,
    processorDescription: '3.0 GHz Ampere Altra',
  },
]);

/** An emulator on a fake clock with one registered key; `tick(ms)` advances the clock. */
export async function setup(opts: Partial<OciEmulatorOptions> = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: OciEmulator = await startOciEmulator({
    now: () => clock,
    provisioningDelayMs: 60_000,
    terminatingDelayMs: 30_000,
    seed: SEED,
    ...opts,
  });
  const key = rsaKey();
  emu.registerApiKey({ tenancy: TENANCY, user: USER }, key.publicPem);
  return { emu, key, p: provider(key, emu.url), tick: (ms: number) => void (clock += ms), now: () => clock };
}

/**
 * The SDK console.warn()s on every failed request; the CLI silences that (src/cli/quiet.ts,
 * covered by quiet.test.ts). In tests it would only clutter the output. Call at file level.
 */
export function silenceSdkWarnings(): void {
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => void vi.restoreAllMocks());
}

/** The CloudError `p` rejects with (the test fails when it resolves or throws anything else). */
export async function caught(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CloudError);
    return e as CloudError;
  }
  throw new Error('expected a CloudError');
}
