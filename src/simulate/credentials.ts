/**
 * Throw-away credentials for the emulated clouds, made in memory for `demo` and the
 * scenario tests: an OCI API key pair (PKCS#8 private, SPKI public) and a Google-style
 * service account key JSON. They open nothing but the local emulators.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { GcpServiceAccountKey } from '../config/types.js';
import { inspectKey } from '../clouds/oci/key-inspect.js';

export const DEMO_TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
export const DEMO_USER = 'ocid1.user.oc1..aaaaaaaauser';

export interface OciDemoKey {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

function rsaPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function ociDemoKey(): OciDemoKey {
  const pair = rsaPair();
  return { ...pair, fingerprint: inspectKey(pair.publicPem).fingerprint };
}

/** A key shaped like the JSON Google's console downloads. */
export function gcpDemoServiceAccount(
  project: string,
  email = `kasm-scale@${project}.iam.gserviceaccount.com`,
): GcpServiceAccountKey {
  const { privatePem } = rsaPair();
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
