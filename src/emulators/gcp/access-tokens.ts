/**
 * OAuth access tokens the emulated Google identity services issue (metadata server, STS,
 * IAM Credentials: ../gcp-identity/) and the emulated Compute API accepts, as Google's
 * front end accepts the ya29 tokens its own token services mint. A token is opaque: only
 * this book knows whose it is and until when; anything else is refused as before.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceAccountRecord } from './auth.js';

export interface IssuedToken {
  /** Who the token speaks for, with the same project/read-only limits a key's account has. */
  account: ServiceAccountRecord;
  expiresAtMs: number;
  /** A federated (STS) token: the service accounts it may impersonate. */
  mayImpersonate?: string[];
}

export class AccessTokenBook {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(account: ServiceAccountRecord, nowMs: number, ttlS = 3600, mayImpersonate?: string[]): string {
    const token = `ya29.emulated-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { account, expiresAtMs: nowMs + ttlS * 1000, mayImpersonate });
    return token;
  }

  /** The token's record, or undefined when unknown or expired. */
  lookup(token: string | undefined, nowMs: number): IssuedToken | undefined {
    if (!token) return undefined;
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (t.expiresAtMs <= nowMs) {
      this.tokens.delete(token);
      return undefined;
    }
    return t;
  }

  /** The bearer token of an Authorization header, if it is one of ours. */
  fromHeader(authorization: string | undefined, nowMs: number): IssuedToken | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    return this.lookup(m?.[1], nowMs);
  }
}
