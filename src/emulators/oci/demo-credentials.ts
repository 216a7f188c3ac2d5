/**
 * Throw-away OCI credentials for `demo`, the built-in providers and the scenario tests: an
 * API key pair and its fingerprint under a made-up tenancy and user. The emulator accepts
 * them once seeded with a provider that carries them (seed-from-config.ts registers the
 * public half); they open nothing else.
 */
import { inspectKey } from '../../clouds/oci/key-inspect.js';
import { throwawayRsaPair } from '../common/throwaway-rsa.js';

export const DEMO_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
export const DEMO_USER = 'ocid1.user.oc1..aaaaaaaauser';

export interface OciDemoKey {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

export function ociDemoKey(): OciDemoKey {
  const pair = throwawayRsaPair();
  return { ...pair, fingerprint: inspectKey(pair.publicPem).fingerprint };
}
