import { describe, expect, it } from 'vitest';
import { isKnownRegion, KNOWN_OCI_REGIONS, ocidError, regionError } from '../../src/clouds/oci/ocid.js';

const UNIQUE = 'aaaaaaaaxzy3zq4mq2cbgfnd6ds7ae5nq5tlnzfhqfkygt4ohnrdxoslbz2q';

describe('ocidError', () => {
  it('accepts user and tenancy OCIDs in any realm', () => {
    expect(ocidError(`ocid1.user.oc1..${UNIQUE}`, 'user')).toBeUndefined();
    expect(ocidError(`ocid1.tenancy.oc1..${UNIQUE}`, 'tenancy')).toBeUndefined();
    expect(ocidError(`ocid1.tenancy.oc2..${UNIQUE}`, 'tenancy')).toBeUndefined();
    expect(ocidError(`ocid1.user.oc19..${UNIQUE}`, 'user')).toBeUndefined();
  });

  it('accepts regional OCIDs and several allowed types', () => {
    expect(ocidError(`ocid1.instance.oc1.iad.${UNIQUE}`, 'instance')).toBeUndefined();
    expect(ocidError(`ocid1.subnet.oc1.eu-frankfurt-1.${UNIQUE}`, 'subnet')).toBeUndefined();
    expect(ocidError(`ocid1.tenancy.oc1..${UNIQUE}`, ['compartment', 'tenancy'])).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(ocidError(`ocid1.tenancy.oc1..${UNIQUE}`, 'user')).toMatch(
      /is a tenancy OCID, not a user OCID \(expected ocid1\.user\.oc1\.\.<unique id>\)/,
    );
    expect(ocidError('', 'user')).toMatch(/empty/);
    expect(ocidError('ocid1.user.oc1.', 'user')).toMatch(/is not a user OCID/);
    expect(ocidError(`ocid1.user.xx1..${UNIQUE}`, 'user')).toMatch(/is not a user OCID/);
    expect(ocidError(`OCID1.USER.OC1..${UNIQUE}`, 'user')).toMatch(/is not a user OCID/);
    expect(ocidError(`ocid1.user.oc1..${UNIQUE} extra`, 'user')).toMatch(/is not a user OCID/);
    expect(ocidError(`ocid1.user.oc1..${UNIQUE}`.repeat(3), 'user')!.length).toBeLessThan(200);
  });
});

describe('regionError', () => {
  it("accepts the SDK's regions and the generic shape", () => {
    expect(KNOWN_OCI_REGIONS.length).toBeGreaterThan(50);
    for (const r of [
      'us-ashburn-1',
      'eu-frankfurt-1',
      'us-gov-ashburn-1',
      'eu-dcc-dublin-1',
      'me-dcc-muscat-1',
    ])
      expect(regionError(r)).toBeUndefined();
    expect(isKnownRegion('us-phoenix-1')).toBe(true);
    expect(regionError('xx-newplace-3')).toBeUndefined();
    expect(isKnownRegion('xx-newplace-3')).toBe(false);
  });

  it('refuses everything else with a hint', () => {
    expect(regionError('IAD')).toMatch(/region key/);
    expect(regionError('US-ASHBURN-1')).toMatch(/lowercase/);
    expect(regionError('ashburn')).toMatch(/not an OCI region/);
    expect(regionError('us-ashburn')).toMatch(/not an OCI region/);
    expect(regionError('')).toMatch(/empty/);
  });
});
