import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpSpotFields } from '../../../src/clouds/gcp/spot.js';
import { ociSpotDetails } from '../../../src/clouds/oci/spot.js';
import { renderGcpInstance } from '../../../src/clouds/gcp/render.js';
import { renderOciLaunchDetails } from '../../../src/clouds/oci/render.js';
import { toKasmPayload } from '../../../src/config/submit/payload.js';
import { gcpModelVerdict, sdkEnumValues } from '../../conformance/gcp-model.js';
import { ociModelProblems } from '../../helpers/oci-models.js';
import { tempDir } from '../../helpers/cli.js';
import { baseConfig, check } from '../../config/fixtures.js';
import { gcpProvider, ociProvider } from '../../config/render-fixtures.js';

const require = createRequire(import.meta.url);
const ctx = {
  autoscaleConfigName: 'pool',
  serverId: 'a'.repeat(32),
  zone: 'BEol:US-ASHBURN-AD-1',
  scriptTokens: { provider_name: 'p', manager_token: 't', upstream_auth_address: 'kasm.example.com' },
};

describe('spot: true renders the clouds own spot request', () => {
  it('OCI: preemptibleInstanceConfig with a TERMINATE action, names and values as oci-core defines them', () => {
    const d = renderOciLaunchDetails(
      ociProvider({ spot: true, oci_baseline_ocpu_utilization: undefined }),
      ctx,
    );
    // The discriminator value is oci-core's own constant, not ours.
    const { TerminatePreemptionAction } = require('oci-core').models;
    expect(d.preemptibleInstanceConfig).toEqual({
      preemptionAction: { type: TerminatePreemptionAction.type, preserveBootVolume: false },
    });
    // oci-core's typings (read by the TypeScript compiler, not by our tables) accept the body.
    expect(ociModelProblems('LaunchInstanceDetails', d)).toEqual([]);
    expect(renderOciLaunchDetails(ociProvider(), ctx).preemptibleInstanceConfig).toBeUndefined();
  });

  it('GCP: scheduling SPOT / DELETE / no restart / TERMINATE, enum values from the library protos', () => {
    const i = renderGcpInstance(gcpProvider({ spot: true }), { ...ctx, zone: 'us-east4-b' });
    const s = i.scheduling as Record<string, unknown>;
    expect(s).toEqual({
      provisioningModel: 'SPOT',
      instanceTerminationAction: 'DELETE',
      automaticRestart: false,
      onHostMaintenance: 'TERMINATE',
    });
    for (const f of ['provisioningModel', 'instanceTerminationAction', 'onHostMaintenance'])
      expect(sdkEnumValues('Scheduling', f)).toContain(s[f]);
    expect(gcpModelVerdict({ scheduling: gcpSpotFields().scheduling }, ['scheduling'])).toBeUndefined();
    expect(
      renderGcpInstance(gcpProvider({ gcp_guest_accelerators: [], gcp_config_override: undefined }), ctx)
        .scheduling,
    ).toBeUndefined();
  });

  it('config submit sends the spot setting inside the config override, byte for byte', () => {
    const oci = toKasmPayload(
      ociProvider({
        spot: true,
        oci_baseline_ocpu_utilization: undefined,
        oci_config_override: { launch_instance_details: { display_name: 'x' } },
      }),
    );
    expect(oci.oci_config_override).toBe(
      '{"launch_instance_details":{"display_name":"x","preemptible_instance_config":{"OCI_MODEL_NAME":"PreemptibleInstanceConfigDetails","preemption_action":{"OCI_MODEL_NAME":"TerminatePreemptionAction","type":"TERMINATE","preserve_boot_volume":false}}}}',
    );
    expect(oci).not.toHaveProperty('spot');
    const gcp = toKasmPayload(gcpProvider({ spot: true, gcp_config_override: { canIpForward: true } }));
    expect(gcp.gcp_config_override).toBe(
      '{"canIpForward":true,"scheduling":{"provisioningModel":"SPOT","instanceTerminationAction":"DELETE","automaticRestart":false,"onHostMaintenance":"TERMINATE"}}',
    );
    expect(gcp).not.toHaveProperty('spot');
    // Without spot the override goes as it is (and "{}" when there is none).
    expect(toKasmPayload(gcpProvider({ gcp_config_override: undefined })).gcp_config_override).toBe('{}');
  });

  it('what Kasm would launch from the submitted override is what kasm-scale launches', () => {
    const p = ociProvider({ spot: true, oci_baseline_ocpu_utilization: undefined });
    const sent = JSON.parse(toKasmPayload(p).oci_config_override as string);
    const asKasm = renderOciLaunchDetails({ ...p, spot: undefined, oci_config_override: sent }, ctx);
    expect(asKasm).toEqual(renderOciLaunchDetails(p, ctx));
    expect(asKasm.preemptibleInstanceConfig).toEqual(ociSpotDetails().preemptibleInstanceConfig);
  });
});

describe('config validate: spot with what cannot be spot is one line, exit 2', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  type Cfg = ReturnType<typeof baseConfig>;
  const cases: [string, (c: Cfg) => void, string, string][] = [
    [
      'OCI spot with a preemptible config already in the override',
      (c) =>
        (c.providers[0].oci_config_override = {
          launch_instance_details: {
            preemptible_instance_config: { preemption_action: { type: 'TERMINATE' } },
          },
        }),
      'providers[0].oci_config_override',
      'spot: true and launch_instance_details.preemptible_instance_config contradict',
    ],
    [
      'OCI spot on a bare metal shape',
      (c) => {
        c.providers[0].oci_shape = 'BM.Standard3.64';
        for (const k of ['oci_flex_cpus', 'oci_flex_memory_gb', 'oci_baseline_ocpu_utilization'])
          delete c.providers[0][k];
      },
      'providers[0].oci_shape',
      'BM.Standard3.64 is bare metal',
    ],
    [
      'OCI spot and burstable',
      (c) => (c.providers[0].oci_baseline_ocpu_utilization = 'BASELINE_1_8'),
      'providers[0].oci_baseline_ocpu_utilization',
      'spot: true cannot be burstable',
    ],
    [
      'GCP spot with provisioningModel STANDARD',
      (c) => (c.providers[1].gcp_config_override = { scheduling: { provisioningModel: 'STANDARD' } }),
      'providers[1].gcp_config_override',
      'spot: true and scheduling.provisioningModel "STANDARD" contradict',
    ],
    [
      'GCP spot on a bare metal machine type',
      (c) => (c.providers[1].gcp_machine_type = 'c3-highcpu-192-metal'),
      'providers[1].gcp_machine_type',
      'bare metal machine types are not offered as Spot VMs',
    ],
  ];

  it.each(cases)('%s', async (_n, mutate, path, message) => {
    const c = baseConfig();
    c.providers[0].spot = true;
    c.providers[1].spot = true;
    mutate(c);
    const r = await check(dir, c);
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([`${path}: ${r.problems[0]?.message}`]);
    expect(r.problems[0].message).toContain(message);
  });

  it('spot on both clouds with nothing contradicting is valid', async () => {
    const c = baseConfig();
    c.providers[0].spot = true;
    c.providers[1].spot = true;
    c.providers[1].gcp_config_override = { scheduling: { onHostMaintenance: 'TERMINATE' } };
    expect((await check(dir, c)).problems).toEqual([]);
  });
});
