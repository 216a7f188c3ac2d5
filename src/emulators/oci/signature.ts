import { createHash, createPublicKey, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Server side of OCI request signing (HTTP Signatures draft, `version="1"`), as the real
 * service checks it: rebuild the signing string from the header list named in the
 * Authorization header and verify it with the registered public key (RSA-SHA256).
 *
 * Signing string: one `name: value` line per entry in `headers="..."`, joined by `\n`;
 * `(request-target)` is the lowercased method, a space, and the path with its query string.
 * For POST/PUT/PATCH OCI also requires `x-content-sha256` (base64 SHA-256 of the body),
 * `content-type` and `content-length` to be signed, and the hash must match the body.
 */
export interface SignedRequest {
  method: string;
  /** Path and query string exactly as sent (`req.url` of node:http). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `clockSkew`: the signed date is too far from the server's clock; `reason` is then OCI's own message. */
export type VerifyResult = { ok: true; keyId: string } | { ok: false; reason: string; clockSkew?: true };

export interface VerifyOptions {
  /** With a clock: reject a signed date further than `maxSkewMs` (default 5 minutes) from now(). */
  now?: () => number;
  maxSkewMs?: number;
  /**
   * The body is not signed (Object Storage PutObject: the SDK signs only x-date,
   * (request-target) and host, as the service requires for object bodies).
   */
  unsignedBody?: boolean;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const ALWAYS_SIGNED = ['(request-target)', 'host'];
const BODY_SIGNED = ['content-type', 'content-length', 'x-content-sha256'];

export function verifyOciSignature(
  req: SignedRequest,
  publicKeyFor: (keyId: string) => string | undefined,
  opts: VerifyOptions = {},
): VerifyResult {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return fail('missing Authorization header');
  const params = parseSignatureHeader(auth);
  if (!params) return fail('Authorization header is not an HTTP Signature');
  const { keyId, signature } = params;
  if (params.version !== undefined && params.version !== '1')
    return fail(`unsupported signature version ${params.version}`);
  if (!keyId) return fail('signature has no keyId');
  if (!signature) return fail('signature has no signature value');
  if (params.algorithm && params.algorithm.toLowerCase() !== 'rsa-sha256')
    return fail(`unsupported algorithm ${params.algorithm}`);
  // A security token (instance/resource principal, session): "ST$<token>".
  if (!keyId.startsWith('ST$') && keyId.split('/').length !== 3)
    return fail('keyId is not <tenancy>/<user>/<fingerprint> or ST$<security token>');

  // The draft's default list is just "date"; OCI always sends one.
  const signed = (params.headers ?? 'date').trim().toLowerCase().split(/\s+/).filter(Boolean);
  const method = req.method.toUpperCase();
  const bodySigned = BODY_METHODS.has(method) && !opts.unsignedBody;
  const required = [...ALWAYS_SIGNED, ...(bodySigned ? BODY_SIGNED : [])];
  for (const name of required) if (!signed.includes(name)) return fail(`header ${name} is not signed`);
  if (!signed.includes('date') && !signed.includes('x-date'))
    return fail('neither date nor x-date is signed');

  const lines: string[] = [];
  for (const name of signed) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${method.toLowerCase()} ${req.path}`);
      continue;
    }
    const value = headerValue(req.headers, name);
    if (value === undefined) return fail(`signed header ${name} is missing from the request`);
    lines.push(`${name}: ${value}`);
  }

  if (bodySigned) {
    const expected = createHash('sha256').update(req.body).digest('base64');
    if (headerValue(req.headers, 'x-content-sha256') !== expected)
      return fail('x-content-sha256 does not match the body');
    if (Number(headerValue(req.headers, 'content-length')) !== req.body.length)
      return fail('content-length does not match the body');
  }

  if (opts.now) {
    const dateText = headerValue(req.headers, 'x-date') ?? headerValue(req.headers, 'date');
    const at = dateText ? Date.parse(dateText) : NaN;
    if (Number.isNaN(at)) return fail('the signed date is not a date');
    const now = opts.now();
    const max = opts.maxSkewMs ?? 5 * 60_000;
    if (Math.abs(at - now) > max)
      return { ok: false, clockSkew: true, reason: clockSkewMessage(at, now, max) };
  }

  const pem = publicKeyFor(keyId);
  if (!pem)
    return fail(
      keyId.startsWith('ST$') ? 'security token is not valid or has expired' : `unknown keyId ${keyId}`,
    );
  let ok: boolean;
  try {
    ok = verify(
      'RSA-SHA256',
      Buffer.from(lines.join('\n')),
      createPublicKey(pem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return fail('signature cannot be checked with the registered key');
  }
  return ok ? { ok: true, keyId } : fail('signature does not verify with the registered public key');
}

/** OCI's words for a date outside the window (as its 401 NotAuthenticated answers say it). */
export function clockSkewMessage(at: number, now: number, maxSkewMs: number): string {
  const d = (ms: number) => new Date(ms).toUTCString().replace(/GMT$/, 'UTC');
  return `Date '${d(at)}' is not within allowed clock skew. Current '${d(now)}', valid datetime range: ['${d(now - maxSkewMs)}', '${d(now + maxSkewMs)}']`;
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** `Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"` */
export function parseSignatureHeader(value: string): Record<string, string> | undefined {
  const m = /^\s*Signature\s+(.*)$/i.exec(value);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
  let part: RegExpExecArray | null;
  let last = 0;
  while ((part = re.exec(m[1])) !== null) {
    out[part[1]] = part[2];
    last = re.lastIndex;
    if (last >= m[1].length) break;
  }
  if (last < m[1].trim().length) return undefined;
  return out;
}
