/**
 * Test credentials made at test time with node:crypto (never committed): an OCI API key
 * pair with its fingerprint, and a Google service account key JSON. The fingerprint is
 * computed here, independently of src/keys, so tests of our key code have a second opinion.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { GcpServiceAccountKey } from '../../src/config/types.js';
import { gcpDemoServiceAccount } from '../../src/simulate/builtin.js';

export interface OciTestKey {
  /** PKCS#8 PEM; encrypted (aes-256-cbc) when a passphrase was given. */
  privatePem: string;
  /** SPKI PEM, what the OCI console (and our emulator) is given. */
  publicPem: string;
  /** OCI's fingerprint: MD5 of the DER public key, colon-separated hex. */
  fingerprint: string;
  privateKey: KeyObject;
}

/** OCI's API key fingerprint of a public key, or of a private key's public half (PEM or KeyObject). */
export function ociFingerprint(key: KeyObject | string): string {
  // createPublicKey takes a private key (PEM or KeyObject) too and returns its public half.
  const pub = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
  const der = pub.export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

/** A fresh RSA 2048 OCI API key pair. */
export function ociKeyPair(passphrase?: string): OciTestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: passphrase
      ? encryptedPem(privateKey, passphrase)
      : privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: ociFingerprint(publicKey),
    privateKey,
  };
}

/** The same private key as encrypted PKCS#8 (what `openssl genpkey -aes-256-cbc` writes). */
export function encryptedPem(privateKey: KeyObject, passphrase: string): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** A service account key shaped like the JSON Google's console downloads (demo's maker, src/simulate). */
export function serviceAccountKey(project = 'kasm-test-project', email?: string): GcpServiceAccountKey {
  return gcpDemoServiceAccount(project, email);
}
