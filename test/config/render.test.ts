import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  instanceName,
  ownershipTags,
  TAG_MANAGED,
  TAG_POOL,
  TAG_SERVER_ID,
} from '../../src/clouds/ownership.js';
import { sampleLaunchContext, type LaunchContext } from '../../src/config/render/context.js';
import { renderGcpInstance } from '../../src/clouds/gcp/render.js';
import { renderOciLaunchDetails } from '../../src/clouds/oci/render.js';
import {
  gcpProvider,
  ociProvider,
  SEED_OCI_OVERRIDE_IMDS,
  SEED_OCI_OVERRIDE_PLUGINS,
} from './render-fixtures.js';

const ctx = (zone: string): LaunchContext => ({
  autoscaleConfigName: 'Desktops Pool',
  serverId: '0123456789abcdef0123456789abcdef',
  zone,
  scriptTokens: {
    provider_name: 'oci',
    manager_token: 'mgr-tok',
    upstream_auth_address: 'kasm.example.com',
    server_id: 'ignored',
  },
});
const OCI_CTX = ctx('BEol:US-ASHBURN-AD-2');
const GCP_CTX = ctx('us-east4-b');
const OWNED = ownershipTags('Desktops Pool', '0123456789abcdef0123456789abcdef');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const FILLED_OCI_SCRIPT =
  '#!/bin/bash\nexport SERVER_ID=0123456789abcdef0123456789abcdef\necho "${SERVER_ID}" > /tmp/id\nbash install.sh -i 0123456789abcdef0123456789abcdef -r oci -M mgr-tok -m kasm.example.com\n';

/** What oci-core's own serializer makes of a body (getJsonObj, then JSON on the wire). */
async function ociWire(body: Record<string, unknown>): Promise<unknown> {
  const core = await import('oci-core');
  return JSON.parse(JSON.stringify(core.models.LaunchInstanceDetails.getJsonObj(body as never)));
}

/** What @google-cloud/compute makes of an instanceResource (protobuf fromObject → JSON). */
async function gcpWire(body: Record<string, unknown>): Promise<unknown> {
  const compute = await import('@google-cloud/compute');
  const Instance = compute.protos.google.cloud.compute.v1.Instance;
  return Instance.fromObject(body).toJSON();
}

describe('renderOciLaunchDetails', () => {
  it('maps every Kasm field and the seed override onto LaunchInstanceDetails', () => {
    const body = renderOciLaunchDetails(
      ociProvider({ oci_config_override: SEED_OCI_OVERRIDE_IMDS }),
      OCI_CTX,
    );
    expect(body).toEqual({
      availabilityDomain: 'BEol:US-ASHBURN-AD-2',
      compartmentId: 'ocid1.compartment.oc1..aaaaaaaacompartment',
      displayName: instanceName('Desktops Pool', '0123456789abcdef0123456789abcdef'),
      shape: 'VM.Standard.E4.Flex',
      shapeConfig: { ocpus: 2, memoryInGBs: 8, baselineOcpuUtilization: 'BASELINE_1_2' },
      sourceDetails: {
        sourceType: 'image',
        imageId: 'ocid1.image.oc1.iad.aaaaaaaaimage',
        bootVolumeSizeInGBs: 60,
        bootVolumeVpusPerGB: 20,
      },
      createVnicDetails: {
        subnetId: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
        nsgIds: ['ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg'],
      },
      metadata: {
        ssh_authorized_keys: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ6z admin@example',
        user_data: b64(FILLED_OCI_SCRIPT),
      },
      freeformTags: { Team: 'desktops', CostCenter: '42', ...OWNED },
      instanceOptions: { areLegacyImdsEndpointsDisabled: true },
    });
  });

  it('merges the plugins seed example and leaves no snake_case or OCI_MODEL_NAME', () => {
    const body = renderOciLaunchDetails(
      ociProvider({ oci_config_override: SEED_OCI_OVERRIDE_PLUGINS }),
      OCI_CTX,
    );
    expect(body.agentConfig).toEqual({
      isMonitoringDisabled: false,
      isManagementDisabled: false,
      areAllPluginsDisabled: false,
      pluginsConfig: [{ name: 'Vulnerability Scanning', desiredState: 'ENABLED' }],
    });
    const keys: string[] = [];
    const walk = (v: unknown, inMap: boolean) => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, false));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (!inMap) keys.push(k);
          walk(x, ['metadata', 'freeformTags'].includes(k));
        }
    };
    walk(body, false);
    expect(keys.filter((k) => k.includes('_') || k === 'OCI_MODEL_NAME')).toEqual([]);
  });

  it('deep-merges the override: objects merge, arrays and scalars replace', () => {
    const body = renderOciLaunchDetails(
      ociProvider({
        oci_config_override: {
          launch_instance_details: {
            shape_config: { memory_in_gbs: 16 },
            source_details: { boot_volume_vpus_per_gb: 30 },
            create_vnic_details: {
              nsg_ids: ['ocid1.networksecuritygroup.oc1.iad.other'],
              assign_public_ip: false,
            },
            metadata: { extra_key: 'v' },
            shape: 'VM.Standard.E5.Flex',
          },
        },
      }),
      OCI_CTX,
    );
    expect(body.shapeConfig).toEqual({ ocpus: 2, memoryInGBs: 16, baselineOcpuUtilization: 'BASELINE_1_2' });
    expect(body.sourceDetails).toEqual({
      sourceType: 'image',
      imageId: 'ocid1.image.oc1.iad.aaaaaaaaimage',
      bootVolumeSizeInGBs: 60,
      bootVolumeVpusPerGB: 30,
    });
    expect(body.createVnicDetails).toEqual({
      subnetId: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet',
      nsgIds: ['ocid1.networksecuritygroup.oc1.iad.other'],
      assignPublicIp: false,
    });
    expect(body.metadata).toMatchObject({ extra_key: 'v', user_data: b64(FILLED_OCI_SCRIPT) });
    expect(body.shape).toBe('VM.Standard.E5.Flex');
  });

  it('keeps ownership tags, compartment and AD whatever the override says', () => {
    const body = renderOciLaunchDetails(
      ociProvider({
        oci_config_override: {
          launch_instance_details: {
            freeform_tags: { [TAG_MANAGED]: 'false', [TAG_POOL]: 'x', [TAG_SERVER_ID]: 'y', Extra: 'z' },
            compartment_id: 'ocid1.compartment.oc1..elsewhere',
            availability_domain: 'BEol:US-ASHBURN-AD-3',
          },
        },
      }),
      OCI_CTX,
    );
    expect(body.freeformTags).toEqual({ Team: 'desktops', CostCenter: '42', Extra: 'z', ...OWNED });
    expect(body.compartmentId).toBe('ocid1.compartment.oc1..aaaaaaaacompartment');
    expect(body.availabilityDomain).toBe('BEol:US-ASHBURN-AD-2');
  });

  it('sends no shapeConfig for fixed shapes and omits unset optional fields', () => {
    const body = renderOciLaunchDetails(
      ociProvider({
        oci_shape: 'VM.Standard2.1',
        oci_storage_vpus_per_gb: undefined,
        oci_ssh_public_key: undefined,
        oci_nsg_ocids: [],
      }),
      OCI_CTX,
    );
    expect(body).not.toHaveProperty('shapeConfig');
    expect(body.sourceDetails).not.toHaveProperty('bootVolumeVpusPerGB');
    expect(body.createVnicDetails).toEqual({ subnetId: 'ocid1.subnet.oc1.iad.aaaaaaaasubnet' });
    expect(Object.keys(body.metadata as object)).toEqual(['user_data']);
  });

  it('refuses an override with an unknown key (one line, exit-2 error)', () => {
    const p = ociProvider({ oci_config_override: { launch_instance_details: { instance_option: {} } } });
    expect(() => renderOciLaunchDetails(p, OCI_CTX)).toThrow(InputError);
    expect(() => renderOciLaunchDetails(p, OCI_CTX)).toThrow(
      'oci_config_override.launch_instance_details.instance_option: "instance_option" is not a field of LaunchInstanceDetails (did you mean "instance_options"?)',
    );
  });

  it("round-trips through oci-core's serializer unchanged", async () => {
    for (const over of [
      SEED_OCI_OVERRIDE_IMDS,
      SEED_OCI_OVERRIDE_PLUGINS,
      {
        launch_instance_details: {
          launch_volume_attachments: [
            {
              type: 'iscsi',
              use_chap: false,
              launch_create_volume_details: { volume_creation_type: 'ATTRIBUTES', size_in_gbs: 50 },
            },
          ],
          platform_config: { type: 'AMD_VM', is_secure_boot_enabled: true },
        },
      },
    ]) {
      const body = renderOciLaunchDetails(ociProvider({ oci_config_override: over }), OCI_CTX);
      expect(await ociWire(body)).toEqual(body);
    }
  });
});

describe('renderGcpInstance', () => {
  it('builds the Instance resource from every Kasm field, with the seed override', () => {
    const body = renderGcpInstance(gcpProvider(), GCP_CTX);
    expect(body).toEqual({
      name: instanceName('Desktops Pool', '0123456789abcdef0123456789abcdef'),
      machineType: 'zones/us-east4-b/machineTypes/e2-standard-2',
      disks: [
        {
          boot: true,
          autoDelete: true,
          initializeParams: {
            sourceImage: 'projects/ubuntu-os-cloud/global/images/ubuntu-2004-focal-v20211212',
            diskSizeGb: '50',
            diskType: 'zones/us-east4-b/diskTypes/pd-ssd',
          },
          diskEncryptionKey: {
            kmsKeyName:
              'projects/pensive-voice-547511/locations/global/keyRings/my-keyring/cryptoKeys/my-key',
          },
        },
      ],
      networkInterfaces: [
        {
          network: 'projects/pensive-voice-547511/global/networks/default',
          subnetwork: 'projects/pensive-voice-547511/regions/us-east4/subnetworks/default',
          accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }],
        },
      ],
      tags: { items: ['https-server', 'foo', 'bar'] },
      labels: { foo: 'bar', bin: 'baz', ...OWNED },
      metadata: {
        items: [
          { key: 'ssh-keys', value: 'user1:ssh-rsa AAAAB3Nza user1' },
          {
            key: 'startup-script',
            value: '#!/bin/bash\nbash install.sh -i 0123456789abcdef0123456789abcdef -r oci -M mgr-tok\n',
          },
        ],
      },
      serviceAccounts: [
        { email: 'service-account@example.com', scopes: ['https://www.googleapis.com/auth/cloud-platform'] },
      ],
      guestAccelerators: [
        {
          acceleratorType: 'projects/pensive-voice-547511/zones/us-east4-b/acceleratorTypes/nvidia-tesla-t4',
          acceleratorCount: 1,
        },
      ],
      scheduling: { onHostMaintenance: 'TERMINATE' },
      shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true, enableVtpm: true },
    });
  });

  it('omits what is not configured and uses the Windows script key', () => {
    const body = renderGcpInstance(
      gcpProvider({
        gcp_cmek: undefined,
        gcp_public_ip: false,
        gcp_network_tags: [],
        gcp_metadata: [],
        gcp_service_account: undefined,
        gcp_guest_accelerators: [],
        gcp_config_override: undefined,
        vm_installed_os_type: 'windows',
        startup_script_type: 'windows-startup-script-ps1',
        startup_script: 'Write-Host {server_id}',
      }),
      GCP_CTX,
    );
    expect(Object.keys(body).sort()).toEqual([
      'disks',
      'labels',
      'machineType',
      'metadata',
      'name',
      'networkInterfaces',
    ]);
    expect(body.networkInterfaces).toEqual([
      {
        network: 'projects/pensive-voice-547511/global/networks/default',
        subnetwork: 'projects/pensive-voice-547511/regions/us-east4/subnetworks/default',
      },
    ]);
    expect(body.metadata).toEqual({
      items: [{ key: 'windows-startup-script-ps1', value: 'Write-Host 0123456789abcdef0123456789abcdef' }],
    });
  });

  it('turns a bare accelerator name into the zonal path', () => {
    const body = renderGcpInstance(
      gcpProvider({ gcp_guest_accelerators: [{ acceleratorType: 'nvidia-l4', acceleratorCount: 2 }] }),
      GCP_CTX,
    );
    expect(body.guestAccelerators).toEqual([
      { acceleratorType: 'zones/us-east4-b/acceleratorTypes/nvidia-l4', acceleratorCount: 2 },
    ]);
  });

  it('the override cannot change name or labels; it deep-merges everything else', () => {
    const body = renderGcpInstance(
      gcpProvider({
        gcp_config_override: {
          name: 'evil',
          labels: { [TAG_MANAGED]: 'false' },
          scheduling: { preemptible: true },
          tags: { items: ['only-this'] },
          canIpForward: true,
        },
      }),
      GCP_CTX,
    );
    expect(body.name).toBe(instanceName('Desktops Pool', '0123456789abcdef0123456789abcdef'));
    expect(body.labels).toEqual({ foo: 'bar', bin: 'baz', ...OWNED });
    expect(body.scheduling).toEqual({ onHostMaintenance: 'TERMINATE', preemptible: true });
    expect(body.tags).toEqual({ items: ['only-this'] });
    expect(body.canIpForward).toBe(true);
  });

  it("is accepted unchanged by @google-cloud/compute's protobuf JSON", async () => {
    const plain = renderGcpInstance(
      gcpProvider({ gcp_config_override: undefined, gcp_guest_accelerators: [], gcp_public_ip: false }),
      GCP_CTX,
    );
    for (const body of [renderGcpInstance(gcpProvider(), GCP_CTX), plain])
      expect(await gcpWire(body)).toEqual(body);
  });
});

describe('sampleLaunchContext', () => {
  it('is deterministic, uses the first AD / the zone, and fills every Kasm token', () => {
    const a = sampleLaunchContext(ociProvider());
    expect(a).toEqual(sampleLaunchContext(ociProvider()));
    expect(a.serverId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.zone).toBe('BEol:US-ASHBURN-AD-1');
    expect(a.scriptTokens.server_id).toBe(a.serverId);
    expect(Object.keys(a.scriptTokens)).toHaveLength(8);
    const g = sampleLaunchContext(gcpProvider(), {
      autoscaleConfigName: 'GPU pool',
      kasmUrl: 'https://kasm.corp.example:8443',
    });
    expect(g).toMatchObject({
      zone: 'us-east4-b',
      autoscaleConfigName: 'GPU pool',
      scriptTokens: { upstream_auth_address: 'kasm.corp.example', provider_name: 'gcp' },
    });
    expect(renderGcpInstance(gcpProvider(), g).name).toBe(instanceName('GPU pool', g.serverId));
  });
});
