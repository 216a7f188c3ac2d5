/**
 * Google's token endpoint, only as far as gcloud needs it to run against the emulator with
 * `auth/service_account_use_self_signed_jwt` (and `auth/token_host` pointed here): gcloud
 * signs its Compute calls itself, but first asks the token endpoint for an ID token with a
 * service-account assertion (grant_type jwt-bearer, `target_audience`). The assertion is
 * verified against the registered key; the ID token answered is unsigned (`alg: none`):
 * gcloud only reads its expiry, and no emulated API accepts it.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { ServiceAccountRecord } from './auth.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const part = (s: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function tokenAnswer(
  form: URLSearchParams,
  accounts: readonly ServiceAccountRecord[],
  nowMs: number,
): { status: number; body: Record<string, unknown> } {
  const refuse = (description: string) => ({
    status: 400,
    body: { error: 'invalid_grant', error_description: description },
  });
  if (form.get('grant_type') !== JWT_BEARER)
    return {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: `only ${JWT_BEARER} is emulated` },
    };
  const [h, c, sig] = (form.get('assertion') ?? '').split('.');
  const header = h ? part(h) : undefined;
  const claims = c ? part(c) : undefined;
  if (!header || !claims || !sig) return refuse('Invalid JWT assertion.');
  const account =
    accounts.find((a) => a.keyId === header.kid) ?? accounts.find((a) => a.clientEmail === claims.iss);
  if (!account || claims.iss !== account.clientEmail) return refuse('Invalid JWT Signature.');
  if (
    !verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${c}`),
      createPublicKey(account.publicKeyPem),
      Buffer.from(sig, 'base64url'),
    )
  )
    return refuse('Invalid JWT Signature.');
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp + 300 < now)
    return refuse(
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
    );
  if (typeof claims.target_audience !== 'string')
    return refuse(
      'Only ID tokens (target_audience) are emulated; Compute calls take the self-signed JWT itself.',
    );
  const idToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://accounts.google.com', aud: claims.target_audience, sub: account.clientEmail, email: account.clientEmail, iat: now, exp: now + 3600 })}.`;
  return { status: 200, body: { id_token: idToken } };
}
