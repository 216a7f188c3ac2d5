/**
 * Where the OCI emulator must refuse or answer as OCI does, checked with the SDK on the
 * wire and anchored in what we did not write: oci-core's models and enums, oci-common's
 * Region data, OCI's own clock-skew answer.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as common from 'oci-common';
import * as core from 'oci-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOciAdapter } from '../../../src/clouds/oci/adapter.js';
import { createOciClients } from '../../../src/clouds/oci/client.js';
import {
  AD1,
  COMPARTMENT,
  IMAGE,
  SUBNET,
  TENANCY,
  USER,
  caught,
  setup,
  silenceSdkWarnings,
} from '../../clouds/oci/fixture.js';

silenceSdkWarnings();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
async function started(opts: Parameters<typeof setup>[0] = {}) {
  const s = await setup(opts);
  closers.push(() => s.emu.close());
  return s;
}

const launchBody = (over: Record<string, unknown> = {}) => ({
  availabilityDomain: AD1,
  compartmentId: COMPARTMENT,
  shape: 'VM.Standard2.4',
  sourceDetails: { sourceType: 'image', imageId: IMAGE },
  createVnicDetails: { subnetId: SUBNET },
  ...over,
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { statusCode: number; serviceCode: string; message: string }) => e,
  );

describe('OCI emulator: a signed date more than 5 minutes off is 401', () => {
  it("answers OCI's clock-skew 401, and the client names the clock as the cause", async () => {
    const s = await started({ authNow: () => Date.now() + 6 * 60_000 });
    const err = await caught(createOciAdapter(s.p).listOwned());
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/clock is more than 5 minutes off/);
    expect(err.message).toMatch(/not within allowed clock skew/);
    expect(err.message).toMatch(/timedatectl set-ntp true/);
  });

  it('accepts a date 4 minutes off, and the control route moves the emulator clock', async () => {
    const s = await started({ authNow: () => Date.now() - 4 * 60_000 });
    await expect(createOciAdapter(s.p).listOwned()).resolves.toEqual([]);
    const moved = await fetch(`${s.emu.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ skewMs: -2 * 60_000 }),
    });
    expect(moved.status).toBe(200);
    const err = await caught(createOciAdapter(s.p).listOwned());
    expect(err.message).toMatch(/clock is more than 5 minutes off/);
  });
});

describe('OCI emulator: API keys under 2048 bits are refused at upload', () => {
  it('refuses a 1024-bit key over the control route and in process; takes 2048', async () => {
    const s = await started();
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const res = await fetch(`${s.emu.url}/__emulator/keys`, {
      method: 'POST',
      body: JSON.stringify({ tenancy: TENANCY, user: USER, publicKeyPem: small }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'InvalidParameter',
      message: expect.stringMatching(/1024 bits.*at least 2048/),
    });
    expect(() => s.emu.registerApiKey({ tenancy: TENANCY, user: USER }, small)).toThrow(/at least 2048 bits/);
    const ok = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(
      (
        await fetch(`${s.emu.url}/__emulator/keys`, {
          method: 'POST',
          body: JSON.stringify({ tenancy: TENANCY, user: USER, publicKeyPem: ok }),
        })
      ).status,
    ).toBe(200);
  });
});

describe('OCI emulator: UpdateInstance takes exactly UpdateInstanceDetails', () => {
  it("refuses launch-only, unknown and mistyped fields; takes the SDK model's own", async () => {
    const s = await started();
    const c = createOciClients(s.p).compute;
    const { instance } = await c.launchInstance({ launchInstanceDetails: launchBody() as never });
    const update = (d: Record<string, unknown>) =>
      refusal(c.updateInstance({ instanceId: instance.id, updateInstanceDetails: d as never }));
    // In LaunchInstanceDetails, not in UpdateInstanceDetails.
    expect(await update({ subnetId: SUBNET })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/Unknown field updateInstanceDetails\.subnetId/),
    });
    expect(await update({ clusterPlacementGroupId: 'ocid1.clusterplacementgroup.oc1..x' })).toMatchObject({
      statusCode: 400,
    });
    expect(await update({ updateOperationConstraint: 'WHENEVER' })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/ALLOW_DOWNTIME, AVOID_DOWNTIME/),
    });
    expect(await update({ shapeConfig: { ocpus: 'two' } })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/shapeConfig\.ocpus: expected a number/),
    });
    expect(await update({ sourceDetails: { sourceType: 'image' } })).toMatchObject({
      statusCode: 400,
      serviceCode: 'MissingParameter',
    });
    expect(
      await update({ agentConfig: { pluginsConfig: [{ name: 'Bastion', desiredState: 'ON' }] } }),
    ).toMatchObject({ statusCode: 400 });
    // Fields and enum values as oci-core names them.
    const fine = {
      isAIEnterpriseEnabled: false,
      displayName: 'renamed',
      freeformTags: { a: 'b' },
      updateOperationConstraint: core.models.UpdateInstanceDetails.UpdateOperationConstraint.AllowDowntime,
      agentConfig: {
        pluginsConfig: [
          {
            name: 'Bastion',
            desiredState: core.models.InstanceAgentPluginConfigDetails.DesiredState.Enabled,
          },
        ],
      },
      sourceDetails: { sourceType: 'image', imageId: IMAGE },
    };
    expect(await update(fine)).toBeUndefined();
  });

  it('the generated tables match the installed SDK (regenerate after an upgrade)', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-oci-emulator-tables.mjs', '--check'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/up to date/);
  });
});

describe('OCI emulator: OCIDs and Instance.region name the region as OCI does', () => {
  it("us-ashburn-1 is iad (oci-common's region key); other regions keep their name", async () => {
    const s = await started();
    const { instance } = await createOciClients(s.p).compute.launchInstance({
      launchInstanceDetails: launchBody() as never,
    });
    expect(common.Region.US_ASHBURN_1.regionCode).toBe('iad');
    expect(instance.id.startsWith(`ocid1.instance.oc1.${common.Region.US_ASHBURN_1.regionCode}.`)).toBe(true);
    expect(instance.region).toBe('iad');

    const fra = await started({ region: 'eu-frankfurt-1' });
    const other = (
      await createOciClients(fra.p).compute.launchInstance({ launchInstanceDetails: launchBody() as never })
    ).instance;
    expect(other.id).toMatch(/^ocid1\.instance\.oc1\.eu-frankfurt-1\./);
    expect(other.region).toBe('eu-frankfurt-1');
  });
});

describe('OCI emulator: ListInstances honours sortBy / sortOrder', () => {
  it('TIMECREATED (newest first by default) and DISPLAYNAME (A→Z, case-sensitive), ASC or DESC; other values 400', async () => {
    const s = await started();
    const c = createOciClients(s.p).compute;
    for (const name of ['b', 'C', 'a']) {
      await c.launchInstance({ launchInstanceDetails: launchBody({ displayName: name }) as never });
      s.tick(1000);
    }
    const names = async (
      sortBy?: core.requests.ListInstancesRequest.SortBy,
      sortOrder?: core.requests.ListInstancesRequest.SortOrder,
    ) =>
      (await c.listInstances({ compartmentId: COMPARTMENT, sortBy, sortOrder })).items.map(
        (i) => i.displayName,
      );
    const { SortBy, SortOrder } = core.requests.ListInstancesRequest;
    expect(await names()).toEqual(['a', 'C', 'b']);
    expect(await names(SortBy.Timecreated, SortOrder.Asc)).toEqual(['b', 'C', 'a']);
    expect(await names(SortBy.Displayname)).toEqual(['C', 'a', 'b']);
    expect(await names(SortBy.Displayname, SortOrder.Desc)).toEqual(['b', 'a', 'C']);
    const bad = await refusal(c.listInstances({ compartmentId: COMPARTMENT, sortBy: 'SIZE' as never }));
    expect(bad).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/TIMECREATED, DISPLAYNAME/),
    });
  });
});
