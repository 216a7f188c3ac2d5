/**
 * Throw-away GCP credentials for `demo`, the built-in providers and the scenario tests: a
 * service account key shaped like the JSON Google's console downloads. The emulator accepts
 * it once seeded with a provider that carries it (seed-from-config.ts registers the
 * account); it opens nothing else.
 */
import { randomBytes } from 'node:crypto';
import type { GcpServiceAccountKey } from '../../clouds/gcp/schema.js';
import { throwawayRsaPair } from '../common/throwaway-rsa.js';

export function gcpDemoServiceAccount(
  project: string,
  email = `kasm-scale@${project}.iam.gserviceaccount.com`,
): GcpServiceAccountKey {
  const { privatePem } = throwawayRsaPair();
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privatePem,
    client_email: email,
    client_id: String(100000000000000000000n + BigInt(randomBytes(4).readUInt32BE(0))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  };
}
