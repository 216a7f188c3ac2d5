/** The emulator's OCI security tokens: only its own, unexpired, untampered tokens name a session key. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecurityTokenIssuer } from '../../../src/emulators/oci/security-tokens.js';

describe('SecurityTokenIssuer', () => {
  const now = Date.UTC(2026, 0, 1);
  const session = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = session.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const claims = {
    sub: 'ocid1.instance.oc1..a',
    tenancy: 'ocid1.tenancy.oc1..t',
    ptype: 'instance' as const,
  };

  it('gives back the session key of its own token until it expires', () => {
    const issuer = new SecurityTokenIssuer(() => now);
    const token = issuer.issue({ ...claims, sessionPublicKeyPem: pub, ttlS: 60 });
    expect(issuer.sessionKey(token, now)).toBe(pub);
    expect(issuer.sessionKey(token, now + 60_000)).toBeUndefined();
  });

  it("refuses another issuer's token and a token whose claims were changed", () => {
    const issuer = new SecurityTokenIssuer(() => now);
    const other = new SecurityTokenIssuer(() => now);
    expect(issuer.sessionKey(other.issue({ ...claims, sessionPublicKeyPem: pub }), now)).toBeUndefined();
    const [h, c, s] = issuer.issue({ ...claims, sessionPublicKeyPem: pub }).split('.');
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(c, 'base64url').toString()), exp: 9e9 }),
    ).toString('base64url');
    expect(issuer.sessionKey(`${h}.${changed}.${s}`, now)).toBeUndefined();
  });
});
