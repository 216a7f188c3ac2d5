import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOciClients } from '../../../src/clouds/oci/client.js';
import { classifyOciError } from '../../../src/clouds/oci/errors.js';
import { listAvailabilityDomains } from '../../../src/clouds/oci/identity.js';
import { CloudError } from '../../../src/clouds/types.js';
import type { OciEmulator } from '../../../src/emulators/oci/index.js';
import { AD1, AD2, COMPARTMENT, rsaKey, setup, TENANCY, silenceSdkWarnings, caught } from './fixture.js';

let emu: OciEmulator | undefined;
silenceSdkWarnings();
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('listAvailabilityDomains (real oci-identity against the OCI emulator)', () => {
  it("lists the region's ADs with a signed request in the tenancy", async () => {
    const s = await setup();
    emu = s.emu;
    expect(await listAvailabilityDomains(s.p)).toEqual([AD1, AD2]);
    const req = emu.requests.filter((r) => r.operation === 'ListAvailabilityDomains');
    expect(req).toHaveLength(1); // one attempt
    expect(req[0].status).toBe(200);
    expect(req[0].path).toBe(`/20160918/availabilityDomains?compartmentId=${encodeURIComponent(TENANCY)}`);
    expect(String(req[0].headers.authorization)).toMatch(
      /^Signature version="1",keyId="[^"]+\/[0-9a-f:]{47}"/,
    );
  });

  it('a wrong fingerprint is a classified auth error (401 NotAuthenticated), tried once', async () => {
    const s = await setup();
    emu = s.emu;
    const other = rsaKey();
    const e = await caught(listAvailabilityDomains({ ...s.p, oci_fingerprint: other.fingerprint }));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.code).toBe('NotAuthenticated');
    expect(e.requestId).toBeTruthy();
    expect(e.message).toMatch(/OCI refused the API key for ListAvailabilityDomains .*oci_fingerprint/);
    expect(emu.requests.filter((r) => r.operation === 'ListAvailabilityDomains')).toHaveLength(1);
  });

  it('a key that cannot be opened fails before any request, naming no secret', async () => {
    const s = await setup();
    emu = s.emu;
    const e = await caught(listAvailabilityDomains({ ...s.p, oci_private_key: 'not a key' }));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/cannot use oci_private_key: it is not a PEM RSA private key/);
    expect(emu.requests).toHaveLength(0);
  });
});

describe('OCI request timeout (the transport every OCI client shares)', () => {
  it('an answer slower than the bound is a transient ETIMEDOUT, without waiting for it', async () => {
    const s = await setup();
    emu = s.emu;
    emu.setFault({ kind: 'latency', ms: 2000, operation: 'ListAvailabilityDomains', times: 1 });
    const t0 = Date.now();
    const e = await caught(listAvailabilityDomains(s.p, { timeoutMs: 200 }));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(e.kind).toBe('transient');
    expect(e.message).toMatch(
      /ListAvailabilityDomains: cannot reach the API at http:\/\/127\.0\.0\.1:\d+ \(no answer within 200 ms ETIMEDOUT\)/,
    );
    // The fault was used up: the next call answers normally.
    expect(await listAvailabilityDomains(s.p, { timeoutMs: 5000 })).toEqual([AD1, AD2]);
  });

  it('the compute client is bounded the same way; a fast answer is unaffected', async () => {
    const s = await setup();
    emu = s.emu;
    const { compute } = createOciClients(s.p, { timeoutMs: 200 });
    expect((await compute.listInstances({ compartmentId: COMPARTMENT })).items).toEqual([]);
    emu.setFault({ kind: 'latency', ms: 2000, operation: 'ListInstances', times: 1 });
    const t0 = Date.now();
    const raw = await compute.listInstances({ compartmentId: COMPARTMENT }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(Date.now() - t0).toBeLessThan(1500);
    const e = classifyOciError(raw, { operation: 'ListInstances', endpoint: s.p.endpoint });
    expect(e.kind).toBe('transient');
    expect(e.message).toContain('no answer within 200 ms');
  });
});
