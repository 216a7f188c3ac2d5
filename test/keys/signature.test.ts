import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, verifyOciSignature } from '../../src/emulators/oci/signature.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_ID = 'ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb';
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const keys = (id: string) => (id === KEY_ID ? PUBLIC_PEM : undefined);

/** Signs like oci-common's DefaultRequestSigner (written independently from the verifier). */
function signed(
  method: string,
  path: string,
  body = '',
  opts: { key?: typeof privateKey; headers?: string[] } = {},
) {
  const buf = Buffer.from(body);
  const headers: IncomingHttpHeaders = { host: '127.0.0.1:1234', 'x-date': 'Thu, 27 Nov 2025 10:00:00 GMT' };
  let names = ['x-date', '(request-target)', 'host'];
  if (['POST', 'PUT', 'PATCH'].includes(method)) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(buf.length);
    headers['x-content-sha256'] = createHash('sha256').update(buf).digest('base64');
    names = names.concat('content-type', 'content-length', 'x-content-sha256');
  }
  if (opts.headers) names = opts.headers;
  const lines = names.map((n) =>
    n === '(request-target)' ? `${n}: ${method.toLowerCase()} ${path}` : `${n}: ${headers[n]}`,
  );
  const signature = sign('RSA-SHA256', Buffer.from(lines.join('\n')), opts.key ?? privateKey).toString(
    'base64',
  );
  headers.authorization = `Signature version="1",keyId="${KEY_ID}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
  return { method, path, headers, body: buf };
}

describe('verifyOciSignature', () => {
  it('accepts correctly signed GET, DELETE, POST, PUT', () => {
    expect(verifyOciSignature(signed('GET', '/20160918/instances?compartmentId=x&limit=5'), keys)).toEqual({
      ok: true,
      keyId: KEY_ID,
    });
    expect(
      verifyOciSignature(signed('DELETE', '/20160918/instances/i?preserveBootVolume=false'), keys).ok,
    ).toBe(true);
    expect(verifyOciSignature(signed('POST', '/20160918/instances', '{"a":"ü"}'), keys).ok).toBe(true);
    expect(verifyOciSignature(signed('PUT', '/20160918/instances/i', ''), keys).ok).toBe(true);
  });

  it('rejects tampering and forgeries with a reason', () => {
    const get = signed('GET', '/20160918/instances?compartmentId=x');
    expect(verifyOciSignature({ ...get, path: '/20160918/instances?compartmentId=y' }, keys)).toMatchObject({
      ok: false,
      reason: /does not verify/,
    });
    expect(verifyOciSignature({ ...get, method: 'DELETE' }, keys)).toMatchObject({
      ok: false,
      reason: /does not verify/,
    });
    expect(verifyOciSignature({ ...get, headers: { ...get.headers, host: 'evil:1' } }, keys)).toMatchObject({
      ok: false,
    });
    expect(verifyOciSignature(signed('GET', '/x', '', { key: other.privateKey }), keys)).toMatchObject({
      ok: false,
      reason: /does not verify/,
    });

    const post = signed('POST', '/20160918/instances', '{"shape":"a"}');
    expect(verifyOciSignature({ ...post, body: Buffer.from('{"shape":"b"}') }, keys)).toMatchObject({
      ok: false,
      reason: /x-content-sha256/,
    });
    expect(
      verifyOciSignature(
        signed('POST', '/p', '{}', { headers: ['x-date', '(request-target)', 'host'] }),
        keys,
      ),
    ).toMatchObject({ ok: false, reason: /content-type is not signed/ });
    expect(verifyOciSignature(signed('GET', '/p', '', { headers: ['x-date', 'host'] }), keys)).toMatchObject({
      ok: false,
      reason: /\(request-target\) is not signed/,
    });
  });

  it('rejects unknown keys, missing or malformed Authorization', () => {
    const get = signed('GET', '/x');
    expect(verifyOciSignature(get, () => undefined)).toMatchObject({ ok: false, reason: /unknown keyId/ });
    expect(
      verifyOciSignature({ ...get, headers: { ...get.headers, authorization: undefined } }, keys),
    ).toMatchObject({ ok: false, reason: /missing Authorization/ });
    expect(
      verifyOciSignature({ ...get, headers: { ...get.headers, authorization: 'Bearer abc' } }, keys),
    ).toMatchObject({ ok: false, reason: /not an HTTP Signature/ });
    const noSig = String(get.headers.authorization).replace(/,signature="[^"]*"/, '');
    expect(
      verifyOciSignature({ ...get, headers: { ...get.headers, authorization: noSig } }, keys),
    ).toMatchObject({ ok: false, reason: /no signature/ });
    const hs = String(get.headers.authorization).replace('rsa-sha256', 'hmac-sha256');
    expect(
      verifyOciSignature({ ...get, headers: { ...get.headers, authorization: hs } }, keys),
    ).toMatchObject({ ok: false, reason: /unsupported algorithm/ });
  });

  it('checks the signed date only when given a clock', () => {
    const get = signed('GET', '/x');
    const at = Date.parse('Thu, 27 Nov 2025 10:00:00 GMT');
    expect(verifyOciSignature(get, keys, { now: () => at + 60_000 }).ok).toBe(true);
    expect(verifyOciSignature(get, keys, { now: () => at + 10 * 60_000 })).toMatchObject({
      ok: false,
      reason: /too far/,
    });
  });

  it('parses the Authorization header', () => {
    expect(
      parseSignatureHeader(
        'Signature version="1",keyId="a/b/c",algorithm="rsa-sha256",headers="host",signature="c2ln"',
      ),
    ).toEqual({
      version: '1',
      keyId: 'a/b/c',
      algorithm: 'rsa-sha256',
      headers: 'host',
      signature: 'c2ln',
    });
    expect(parseSignatureHeader('Signature keyId="a", junk')).toBeUndefined();
  });
});
