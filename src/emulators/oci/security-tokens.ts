/**
 * OCI security tokens (the `ST$<token>` keyIds of instance principals, resource principals
 * and `oci session authenticate` profiles), as the emulator issues and checks them.
 *
 * What the SDK needs from a token: a JWT it can decode (it reads `exp` to know when to
 * refresh, and claims such as `res_tenant`), and that the service accepts requests signed
 * by the session key the token was issued for. So a token here is an RS256 JWT signed by the
 * emulator's own key and carrying the session public key as a `jwk` claim, as OCI's are; a
 * request with keyId `ST$<token>` verifies against that key only if the token's own
 * signature is the emulator's and it has not expired.
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SecurityTokenClaims {
  /** The principal: an instance OCID, a resource OCID or a user OCID. */
  sub: string;
  tenancy: string;
  /** instance | resource | user (OCI's `ptype`). */
  ptype: 'instance' | 'resource' | 'user';
  /** Session public key (PEM): requests must be signed with its private half. */
  sessionPublicKeyPem: string;
  ttlS?: number;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export class SecurityTokenIssuer {
  private readonly key: { privateKey: KeyObject; publicKey: KeyObject };

  constructor(private readonly now: () => number) {
    this.key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  }

  issue(c: SecurityTokenClaims): string {
    const jwk = createPublicKey(c.sessionPublicKeyPem).export({ format: 'jwk' });
    const iat = Math.floor(this.now() / 1000);
    const body = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'asw' })}.${b64({
      iss: 'authService.oracle.com',
      sub: c.sub,
      tenant: c.tenancy,
      res_tenant: c.tenancy,
      ptype: c.ptype,
      jwk: { ...jwk, kid: 'session', alg: 'RS256', use: 'sig' },
      iat,
      exp: iat + (c.ttlS ?? 3600),
    })}`;
    return `${body}.${sign('RSA-SHA256', Buffer.from(body), this.key.privateKey).toString('base64url')}`;
  }

  /** The session public key (PEM) of a token we issued and that is still valid; else undefined. */
  sessionKey(token: string, nowMs: number): string | undefined {
    const [h, c, s] = token.split('.');
    if (!h || !c || !s) return undefined;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${c}`), this.key.publicKey, Buffer.from(s, 'base64url')))
      return undefined;
    try {
      const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as {
        exp?: number;
        jwk?: Record<string, string>;
      };
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs || !claims.jwk) return undefined;
      const { kty, n, e } = claims.jwk;
      return createPublicKey({ key: { kty, n, e }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    } catch {
      return undefined;
    }
  }
}
