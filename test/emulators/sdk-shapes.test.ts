/**
 * Every kind of answer the OCI and GCP emulators give, held against the SDKs' own models:
 * OCI answers against oci-core/oci-identity's model typings (no field the model lacks, no
 * required field missing or null, scalar types and enum values as declared) and through the
 * SDK's deserializer; GCP answers through @google-cloud/compute's protobuf classes
 * (fromObject → toObject must give the answer back: an unknown field, a wrong type or an
 * enum value the proto lacks would not survive the round trip).
 */
import { createPrivateKey, sign } from 'node:crypto';
import * as core from 'oci-core';
import * as identity from 'oci-identity';
import { afterEach, describe, expect, it } from 'vitest';
import { createOciClients, createOciTransport } from '../../src/clouds/oci/client.js';
import { startGcpEmulator } from '../../src/emulators/gcp/index.js';
import { COMPARTMENT, IMAGE, NSG1, SUBNET, AD1, setup, silenceSdkWarnings } from '../clouds/oci/fixture.js';
import { PROJECT, ZONE, serviceAccountKey } from '../clouds/gcp/fixture.js';
import { ociModelProblems } from '../helpers/oci-models.js';

silenceSdkWarnings();
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('OCI emulator answers conform to the SDK models', () => {
  it('Instance (launch, get, list, update), Image, Shape, Subnet, NetworkSecurityGroup, AvailabilityDomain, Compartment', async () => {
    const s = await setup();
    closers.push(() => s.emu.close());
    const { compute, network } = createOciClients(s.p);
    const t = createOciTransport(s.p);
    const ids = t.place(new identity.IdentityClient(t.params, t.config));
    const details = {
      availabilityDomain: AD1,
      compartmentId: COMPARTMENT,
      shape: 'VM.Standard2.4',
      displayName: 'shapes',
      sourceDetails: { sourceType: 'image', imageId: IMAGE },
      createVnicDetails: { subnetId: SUBNET, nsgIds: [NSG1] },
      freeformTags: { a: 'b' },
      agentConfig: { pluginsConfig: [{ name: 'Bastion', desiredState: 'ENABLED' }] },
    };
    const launched = (await compute.launchInstance({ launchInstanceDetails: details as never })).instance;
    s.tick(120_000);
    const answers: Array<[string, unknown]> = [
      ['Instance', launched],
      ['Instance', (await compute.getInstance({ instanceId: launched.id })).instance],
      ...(await compute.listInstances({ compartmentId: COMPARTMENT })).items.map((i): [string, unknown] => [
        'Instance',
        i,
      ]),
      [
        'Instance',
        (
          await compute.updateInstance({
            instanceId: launched.id,
            updateInstanceDetails: { displayName: 'renamed' },
          })
        ).instance,
      ],
      ['Image', (await compute.getImage({ imageId: IMAGE })).image],
      ...(await compute.listShapes({ compartmentId: COMPARTMENT })).items.map((x): [string, unknown] => [
        'Shape',
        x,
      ]),
      ['Subnet', (await network.getSubnet({ subnetId: SUBNET })).subnet],
      [
        'NetworkSecurityGroup',
        (await network.getNetworkSecurityGroup({ networkSecurityGroupId: NSG1 })).networkSecurityGroup,
      ],
      ...(await ids.listAvailabilityDomains({ compartmentId: COMPARTMENT })).items.map(
        (x): [string, unknown] => ['AvailabilityDomain', x],
      ),
      ['Compartment', (await ids.getCompartment({ compartmentId: COMPARTMENT })).compartment],
    ];
    const problems = answers.flatMap(([model, value]) => ociModelProblems(model, value));
    expect(problems).toEqual([]);
    // The SDK's own deserializer takes each answer as it is.
    const deserializers: Record<string, (o: never) => object> = {
      Instance: core.models.Instance.getDeserializedJsonObj,
      Image: core.models.Image.getDeserializedJsonObj,
      Shape: core.models.Shape.getDeserializedJsonObj,
      Subnet: core.models.Subnet.getDeserializedJsonObj,
      NetworkSecurityGroup: core.models.NetworkSecurityGroup.getDeserializedJsonObj,
      AvailabilityDomain: identity.models.AvailabilityDomain.getDeserializedJsonObj,
      Compartment: identity.models.Compartment.getDeserializedJsonObj,
    };
    for (const [model, value] of answers) expect(() => deserializers[model](value as never)).not.toThrow();
    expect(new Set(answers.map(([m]) => m)).size).toBe(Object.keys(deserializers).length);
  });

  it('the checker catches what it should (an unknown field, a null required field, a bad enum value)', () => {
    const good = {
      id: 'ocid1.instance.oc1.iad.x',
      availabilityDomain: AD1,
      compartmentId: COMPARTMENT,
      lifecycleState: 'RUNNING',
      region: 'iad',
      shape: 'VM.Standard2.4',
      timeCreated: '2025-01-06T09:00:00.000Z',
    };
    expect(ociModelProblems('Instance', good)).toEqual([]);
    expect(
      ociModelProblems('Instance', { ...good, compartmentId: null, lifecycleState: 'UP', subnetId: 'x' }),
    ).toEqual([
      'Instance.compartmentId: required by the model, but null',
      'Instance.lifecycleState: "UP" is not one of MOVING, PROVISIONING, RUNNING, STARTING, STOPPING, STOPPED, CREATING_IMAGE, TERMINATING, TERMINATED',
      'Instance.subnetId: not a field of Instance',
    ]);
  });
});

describe('GCP emulator answers survive the compute protos', () => {
  it('every answer kind round-trips through its message class unchanged', async () => {
    const { protos } = await import('@google-cloud/compute');
    const v1 = protos.google.cloud.compute.v1 as unknown as Record<
      string,
      { fromObject(o: unknown): unknown; toObject(m: unknown, o: object): unknown }
    >;
    const key = serviceAccountKey();
    const emu = await startGcpEmulator({
      now: () => Date.UTC(2025, 0, 6, 9),
      provisioningDelayMs: 0,
      autoTick: false,
    });
    closers.push(() => emu.close());
    emu.registerServiceAccount(key);
    const now = Math.floor(Date.now() / 1000);
    const h = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })).toString(
      'base64url',
    );
    const c = Buffer.from(
      JSON.stringify({
        iss: key.client_email,
        sub: key.client_email,
        aud: 'https://compute.googleapis.com/',
        iat: now,
        exp: now + 3600,
      }),
    ).toString('base64url');
    const token = `${h}.${c}.${sign('RSA-SHA256', Buffer.from(`${h}.${c}`), createPrivateKey(key.private_key)).toString('base64url')}`;
    const api = async (method: string, path: string, body?: unknown, project = PROJECT) => {
      const res = await fetch(`${emu.url}/compute/v1/projects/${project}/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, `${method} ${path}`).toBe(200);
      return res.json();
    };
    const vm = {
      name: 'vm-1',
      machineType: `zones/${ZONE}/machineTypes/n1-standard-4`,
      disks: [
        {
          boot: true,
          autoDelete: true,
          initializeParams: {
            sourceImage: 'projects/debian-cloud/global/images/family/debian-12',
            diskSizeGb: '20',
          },
        },
      ],
      networkInterfaces: [
        {
          network: 'global/networks/default',
          accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }],
        },
      ],
      guestAccelerators: [
        { acceleratorType: `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`, acceleratorCount: 1 },
      ],
      scheduling: { onHostMaintenance: 'TERMINATE' },
      serviceAccounts: [{ email: 'default', scopes: ['https://www.googleapis.com/auth/cloud-platform'] }],
      labels: { 'kasm-scale-managed': 'true' },
      metadata: { items: [{ key: 'startup-script', value: '#!/bin/sh' }] },
      tags: { items: ['kasm-agent'] },
    };
    const insert = await api('POST', `zones/${ZONE}/instances`, vm);
    const got = await api('GET', `zones/${ZONE}/instances/vm-1`);
    const answers: Array<[string, unknown]> = [
      ['Operation', insert],
      ['Operation', await api('GET', `zones/${ZONE}/operations/${insert.name}`)],
      ['Operation', await api('POST', `zones/${ZONE}/operations/${insert.name}/wait`)],
      ['Instance', got],
      ['InstanceList', await api('GET', `zones/${ZONE}/instances`)],
      ['InstanceAggregatedList', await api('GET', 'aggregated/instances')],
      [
        'Operation',
        await api('POST', `zones/${ZONE}/instances/vm-1/setLabels`, {
          labels: { a: 'b' },
          labelFingerprint: got.labelFingerprint,
        }),
      ],
      ['OperationList', await api('GET', `zones/${ZONE}/operations`)],
      ['Project', await api('GET', '')],
      ['Zone', await api('GET', `zones/${ZONE}`)],
      ['Region', await api('GET', 'regions/us-central1')],
      ['MachineType', await api('GET', `zones/${ZONE}/machineTypes/g2-standard-4`)],
      ['AcceleratorType', await api('GET', `zones/${ZONE}/acceleratorTypes/nvidia-tesla-t4`)],
      ['DiskType', await api('GET', `zones/${ZONE}/diskTypes/pd-balanced`)],
      ['Image', await api('GET', 'global/images/family/debian-12', undefined, 'debian-cloud')],
      ['Image', await api('GET', 'global/images/debian-12-bookworm-v20250610', undefined, 'debian-cloud')],
      [
        'ImageFamilyView',
        await api('GET', `zones/${ZONE}/imageFamilyViews/debian-12`, undefined, 'debian-cloud'),
      ],
      ['Network', await api('GET', 'global/networks/default')],
      ['Subnetwork', await api('GET', 'regions/us-central1/subnetworks/default')],
      ['Operation', await api('DELETE', `zones/${ZONE}/instances/vm-1`)],
    ];
    for (const [message, json] of answers) {
      const back = v1[message].toObject(v1[message].fromObject(json), {
        longs: String,
        enums: String,
        json: true,
      });
      expect(dropEmpty(back), `${message} changed in the round trip`).toEqual(dropEmpty(json));
    }
  });

  it('the round trip catches what it should (an unknown field, an unknown enum value, a wrong type)', async () => {
    const { protos } = await import('@google-cloud/compute');
    const Op = protos.google.cloud.compute.v1.Operation;
    const rt = (o: object) =>
      dropEmpty(Op.toObject(Op.fromObject(o), { longs: String, enums: String, json: true }));
    expect(rt({ name: 'op', status: 'DONE', progress: 100 })).toEqual({
      name: 'op',
      status: 'DONE',
      progress: 100,
    });
    expect(rt({ name: 'op', stauts: 'DONE' })).not.toEqual({ name: 'op', stauts: 'DONE' });
    expect(rt({ name: 'op', status: 'FINISHED' })).not.toEqual({ name: 'op', status: 'FINISHED' });
    expect(rt({ name: 'op', progress: '100%' })).not.toEqual({ name: 'op', progress: '100%' });
  });
});

/** Empty lists and maps are absent on one side and present on the other; neither is a difference. */
function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = dropEmpty(x);
      if (
        (Array.isArray(y) && y.length === 0) ||
        (y && typeof y === 'object' && !Array.isArray(y) && Object.keys(y).length === 0)
      )
        continue;
      out[k] = y;
    }
    return out;
  }
  return v;
}
