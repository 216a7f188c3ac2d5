import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as common from 'oci-common';
import { describe, expect, it } from 'vitest';
import { KeyObjectRequestSigner } from '../../../src/clouds/oci/signer.js';
import { verifyOciSignature } from '../../../src/emulators/oci/signature.js';

/**
 * Our signer (a KeyObject parsed once) must sign exactly as the SDK's DefaultRequestSigner
 * (the PEM parsed per request): RSA PKCS#1 v1.5 is deterministic, so with the same dates
 * the two Authorization headers are the same bytes. And the emulator's server-side check,
 * which follows OCI's rules, accepts what it signs.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const auth = new common.SimpleAuthenticationDetailsProvider(
  'ocid1.tenancy.oc1..t',
  'ocid1.user.oc1..u',
  'aa:bb:cc',
  pem,
  null,
  common.Region.US_ASHBURN_1,
);
const DATE = 'Mon, 06 Jan 2025 09:00:00 GMT';

function request(method: string, uri: string, body?: string): common.HttpRequest {
  // Both dates fixed: x-date is signed; Date is added by the SDK's signer when missing.
  return {
    method: method as common.HttpRequest['method'],
    uri,
    headers: new Headers({ 'x-date': DATE, date: DATE, 'opc-request-id': 'r1' }),
    body,
  };
}

const cases: Array<[string, string, string | undefined, boolean?]> = [
  [
    'GET',
    'https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances?compartmentId=ocid1.compartment.oc1..x&limit=100&page=abc%3D%3D',
    undefined,
  ],
  ['GET', 'http://127.0.0.1:4321/20160918/instances/ocid1.instance.oc1..i', undefined],
  [
    'POST',
    'http://127.0.0.1:4321/20160918/instances',
    JSON.stringify({ displayName: 'ks-pool-é', freeformTags: { a: 'b' } }),
  ],
  [
    'PUT',
    'http://127.0.0.1:4321/20160918/instances/ocid1.instance.oc1..i',
    JSON.stringify({ freeformTags: { x: '1' } }),
  ],
  ['POST', 'http://127.0.0.1:4321/20160918/instances/ocid1.instance.oc1..i?action=STOP', undefined],
  [
    'DELETE',
    'http://127.0.0.1:4321/20160918/instances/ocid1.instance.oc1..i?preserveBootVolume=false',
    undefined,
  ],
  ['POST', 'http://127.0.0.1:4321/20160918/instances', '{"a":1}', true],
];

describe('KeyObjectRequestSigner', () => {
  for (const [method, uri, body, exclude] of cases) {
    it(`signs ${method} ${new URL(uri).pathname}${exclude ? ' (body excluded)' : ''} as DefaultRequestSigner does`, async () => {
      const ours = request(method, uri, body);
      const sdk = request(method, uri, body);
      await new KeyObjectRequestSigner(auth, createPrivateKey(pem)).signHttpRequest(ours, exclude);
      await new common.DefaultRequestSigner(auth).signHttpRequest(sdk, exclude);
      expect(Object.fromEntries(ours.headers)).toEqual(Object.fromEntries(sdk.headers));
      expect(ours.headers.get('authorization')).toMatch(
        /^Signature version="1",keyId="ocid1\.tenancy\.oc1\.\.t\/ocid1\.user\.oc1\.\.u\/aa:bb:cc",algorithm="rsa-sha256"/,
      );

      const url = new URL(uri);
      const verdict = verifyOciSignature(
        {
          method,
          path: `${url.pathname}${url.search}`,
          headers: Object.fromEntries(ours.headers),
          body: Buffer.from(exclude ? '' : (body ?? '')),
        },
        (keyId) => (keyId === 'ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb:cc' ? publicPem : undefined),
      );
      if (!exclude)
        expect(verdict).toEqual({ ok: true, keyId: 'ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb:cc' });
    });
  }

  it('a signature the emulator rejects when the body is changed after signing (control)', async () => {
    const r = request('PUT', 'http://127.0.0.1:4321/20160918/instances/i', '{"freeformTags":{"x":"1"}}');
    await new KeyObjectRequestSigner(auth, createPrivateKey(pem)).signHttpRequest(r);
    const verdict = verifyOciSignature(
      {
        method: 'PUT',
        path: '/20160918/instances/i',
        headers: Object.fromEntries(r.headers),
        body: Buffer.from('{"freeformTags":{"x":"2"}}'),
      },
      () => publicPem,
    );
    expect(verdict.ok).toBe(false);
  });
});
