import { generateKeyPairSync } from 'node:crypto';

/**
 * A fresh RSA key pair (PKCS#8 private, SPKI public), made in memory for the emulated
 * clouds' throw-away credentials: it opens nothing but the local emulators.
 */
export function throwawayRsaPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
