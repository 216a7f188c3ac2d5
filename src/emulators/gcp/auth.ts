import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Verifies the bearer token @google-cloud/compute sends when it is given a service
 * account key with `scopes: []`: a self-signed JWT (RS256, header `kid` = the key's
 * private_key_id, iss = sub = client_email, aud = "https://compute.googleapis.com/",
 * one hour lifetime). The real service accepts it without a token server, and so does
 * this emulator — but only when the signature checks out against the public key that was
 * registered for the account, as Google checks against the uploaded key.
 *
 * Google also takes the JWT in its scope form, as gcloud (with
 * auth/service_account_use_self_signed_jwt) and google-auth's `always_use_jwt_access` send
 * it: a `scope` claim and no `aud`. The scopes must then cover Compute Engine; a read-only
 * scope allows reads only (403 "insufficient authentication scopes" otherwise).
 */

export const COMPUTE_AUDIENCE = 'https://compute.googleapis.com/';

export interface ServiceAccountRecord {
  clientEmail: string;
  keyId?: string;
  publicKeyPem: string;
  /** Projects the account may use; undefined = all seeded projects. Others answer 403. */
  projects?: string[];
  /** A viewer-only account: writes answer 403 (missing roles/compute.instanceAdmin). */
  readOnly?: boolean;
}

/** Scopes that reach Compute Engine, and the ones of them that allow reads only. */
export const COMPUTE_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/compute',
  'https://www.googleapis.com/auth/cloud-platform.read-only',
  'https://www.googleapis.com/auth/compute.readonly',
];
const READ_ONLY_SCOPES = new Set(COMPUTE_SCOPES.slice(2));

/** Scopes that reach Cloud Storage (the storage library asks for full_control and cloud-platform). */
export const STORAGE_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/devstorage.full_control',
  'https://www.googleapis.com/auth/devstorage.read_write',
];

/** `readOnlyScope`: a scope-form JWT whose scopes allow reads only. `insufficientScope`: none reach Compute (403). */
export type VerifyResult =
  | { ok: true; account: ServiceAccountRecord; readOnlyScope?: boolean }
  | { ok: false; reason: string; insufficientScope?: true };

/** Leeway for iat/exp, as Google allows for clock skew. */
const LEEWAY_S = 300;

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `nowMs` is the real clock by default, not the emulator's lifecycle clock: the library
 * stamps iat/exp from the real clock, and tests that fast-forward instance lifecycles
 * must not make every token look expired.
 */
export function verifyBearer(
  authorization: string | undefined,
  accounts: readonly ServiceAccountRecord[],
  nowMs: number,
  api: 'compute' | 'storage' = 'compute',
): VerifyResult {
  const reach = api === 'storage' ? STORAGE_SCOPES : COMPUTE_SCOPES;
  if (!authorization) return { ok: false, reason: 'no Authorization header' };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) return { ok: false, reason: 'Authorization is not a Bearer token' };
  const parts = m[1].split('.');
  if (parts.length !== 3)
    return {
      ok: false,
      reason: 'bearer token is not a JWT (only self-signed service account JWTs are accepted)',
    };
  const header = b64json(parts[0]);
  const claims = b64json(parts[1]);
  if (!header || !claims) return { ok: false, reason: 'JWT header or claims are not JSON' };
  if (header.alg !== 'RS256') return { ok: false, reason: `JWT alg ${String(header.alg)} is not RS256` };
  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  // Google finds the key by kid; fall back to the account (iss/sub) when kid is absent.
  const account =
    (typeof header.kid === 'string' ? accounts.find((a) => a.keyId === header.kid) : undefined) ??
    (header.kid === undefined ? accounts.find((a) => a.clientEmail === iss) : undefined);
  if (!account)
    return {
      ok: false,
      reason: `no registered service account key for kid=${String(header.kid)} iss=${String(iss)}`,
    };
  let key: KeyObject;
  try {
    key = createPublicKey(account.publicKeyPem);
  } catch {
    return { ok: false, reason: 'registered public key is unreadable' };
  }
  const good = verify(
    'RSA-SHA256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    key,
    Buffer.from(parts[2], 'base64url'),
  );
  if (!good) return { ok: false, reason: 'JWT signature does not match the registered key' };
  if (iss !== account.clientEmail || (claims.sub !== undefined && claims.sub !== account.clientEmail)) {
    return { ok: false, reason: "JWT iss/sub is not the key's service account" };
  }
  let readOnlyScope: boolean | undefined;
  if (claims.aud === undefined) {
    if (typeof claims.scope !== 'string' || !claims.scope.trim())
      return { ok: false, reason: 'JWT has neither aud nor scope' };
    const scopes = claims.scope
      .trim()
      .split(/\s+/)
      .filter((x) => reach.includes(x));
    if (scopes.length === 0)
      return {
        ok: false,
        insufficientScope: true,
        reason: `JWT scope ${JSON.stringify(claims.scope)} does not reach ${api === 'storage' ? 'Cloud Storage' : 'Compute Engine'}`,
      };
    readOnlyScope = scopes.every((x) => READ_ONLY_SCOPES.has(x));
  } else if (api === 'storage')
    return { ok: false, reason: 'Cloud Storage takes the scope form of a self-signed JWT' };
  else if (claims.aud !== COMPUTE_AUDIENCE)
    return { ok: false, reason: `JWT aud ${JSON.stringify(claims.aud)} is not ${COMPUTE_AUDIENCE}` };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number')
    return { ok: false, reason: 'JWT lacks iat/exp' };
  if (claims.exp + LEEWAY_S < now) return { ok: false, reason: 'JWT expired' };
  if (claims.iat - LEEWAY_S > now) return { ok: false, reason: 'JWT issued in the future' };
  if (claims.exp - claims.iat > 3600 + LEEWAY_S)
    return { ok: false, reason: 'JWT lifetime exceeds one hour' };
  return { ok: true, account, ...(readOnlyScope === undefined ? {} : { readOnlyScope }) };
}

/** Accepts a PEM public key, a PEM private key, or a service account key JSON (object or text). */
export function toServiceAccountRecord(
  emailOrKey: string | Record<string, unknown>,
  publicKey?: string,
  extra: { keyId?: string; projects?: string[]; readOnly?: boolean } = {},
): ServiceAccountRecord {
  let clientEmail: string;
  let keyText: string | undefined = publicKey;
  let keyId = extra.keyId;
  let key: Record<string, unknown> | undefined;
  if (typeof emailOrKey === 'string' && emailOrKey.trim().startsWith('{'))
    key = JSON.parse(emailOrKey) as Record<string, unknown>;
  else if (typeof emailOrKey === 'object') key = emailOrKey;
  if (key) {
    clientEmail = String(key.client_email ?? '');
    keyText ??= typeof key.private_key === 'string' ? key.private_key : undefined;
    keyId ??= typeof key.private_key_id === 'string' ? key.private_key_id : undefined;
  } else {
    clientEmail = emailOrKey as string;
    if (publicKey && publicKey.trim().startsWith('{')) {
      const k = JSON.parse(publicKey) as Record<string, unknown>;
      keyText = String(k.private_key ?? '');
      keyId ??= typeof k.private_key_id === 'string' ? k.private_key_id : undefined;
    }
  }
  if (!clientEmail) throw new Error('service account needs a client_email');
  if (!keyText) throw new Error(`service account ${clientEmail} needs a public key`);
  // Keep only the public half: the emulator never needs (or stores) a private key.
  const publicKeyPem = createPublicKey(keyText).export({ type: 'spki', format: 'pem' }).toString();
  return { clientEmail, keyId, publicKeyPem, projects: extra.projects, readOnly: extra.readOnly };
}
