import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OCI_MODELS, OCI_ROOT_MODEL } from '../../src/clouds/oci/fields.generated.js';
import { deepMerge } from '../../src/core/fields/merge.js';
import { lookupOciField, translateOciOverride } from '../../src/clouds/oci/override.js';
import { SEED_OCI_OVERRIDE_IMDS, SEED_OCI_OVERRIDE_PLUGINS } from './render-fixtures.js';

describe('translateOciOverride', () => {
  it('translates the seed example "Disable Legacy Instance Metadata Service"', () => {
    expect(translateOciOverride(SEED_OCI_OVERRIDE_IMDS)).toEqual({
      details: { instanceOptions: { areLegacyImdsEndpointsDisabled: true } },
      problems: [],
    });
  });

  it('translates the seed example "Enable Instance Agent Plugins"', () => {
    expect(translateOciOverride(SEED_OCI_OVERRIDE_PLUGINS)).toEqual({
      details: {
        agentConfig: {
          isMonitoringDisabled: false,
          isManagementDisabled: false,
          areAllPluginsDisabled: false,
          pluginsConfig: [{ name: 'Vulnerability Scanning', desiredState: 'ENABLED' }],
        },
      },
      problems: [],
    });
  });

  it('uses the irregular acronym names of oci-core', () => {
    const { details, problems } = translateOciOverride({
      launch_instance_details: {
        shape_config: {
          OCI_MODEL_NAME: 'LaunchInstanceShapeConfigDetails',
          memory_in_gbs: 32,
          local_volume_size_in_gbs: 100,
          baseline_ocpu_utilization: 'BASELINE_1_8',
        },
        source_details: {
          OCI_MODEL_NAME: 'InstanceSourceViaImageDetails',
          source_type: 'image',
          boot_volume_size_in_gbs: 100,
          boot_volume_vpus_per_gb: 30,
        },
        launch_volume_attachments: [
          {
            type: 'paravirtualized',
            launch_create_volume_details: {
              volume_creation_type: 'ATTRIBUTES',
              size_in_gbs: 50,
              vpus_per_gb: 10,
            },
          },
        ],
        is_ai_enterprise_enabled: false,
        create_vnic_details: { assign_ipv6_ip: false },
      },
    });
    expect(problems).toEqual([]);
    expect(details).toEqual({
      shapeConfig: { memoryInGBs: 32, localVolumeSizeInGBs: 100, baselineOcpuUtilization: 'BASELINE_1_8' },
      sourceDetails: { sourceType: 'image', bootVolumeSizeInGBs: 100, bootVolumeVpusPerGB: 30 },
      launchVolumeAttachments: [
        {
          type: 'paravirtualized',
          launchCreateVolumeDetails: { volumeCreationType: 'ATTRIBUTES', sizeInGBs: 50, vpusPerGB: 10 },
        },
      ],
      isAIEnterpriseEnabled: false,
      createVnicDetails: { assignIpv6Ip: false },
    });
  });

  it('keeps keys inside map-valued fields exactly as written', () => {
    const maps = {
      metadata: { user_data: 'x', my_key: 'v', OCI_MODEL_NAME: 'kept-as-data' },
      extended_metadata: { some_thing: { nested_key: 1 } },
      freeform_tags: { cost_center: '42' },
      defined_tags: { Operations_NS: { cost_center: '42' } },
      security_attributes: {
        'Oracle-DataSecurity-ZPR': { max_egress_count: { value: '42', mode: 'audit' } },
      },
    };
    const { details, problems } = translateOciOverride({
      launch_instance_details: {
        ...maps,
        create_vnic_details: { freeform_tags: { a_b: 'c' }, defined_tags: { n_s: { k_k: 'v' } } },
      },
    });
    expect(problems).toEqual([]);
    expect(details).toEqual({
      metadata: maps.metadata,
      extendedMetadata: maps.extended_metadata,
      freeformTags: maps.freeform_tags,
      definedTags: maps.defined_tags,
      securityAttributes: maps.security_attributes,
      createVnicDetails: { freeformTags: { a_b: 'c' }, definedTags: { n_s: { k_k: 'v' } } },
    });
  });

  it('passes camelCase input through unchanged (and mixed input too)', () => {
    const camel = {
      instanceOptions: { areLegacyImdsEndpointsDisabled: true },
      shapeConfig: { memoryInGBs: 16 },
      agentConfig: { pluginsConfig: [{ name: 'Bastion', desiredState: 'DISABLED' }] },
      freeformTags: { keep_me: 'x' },
    };
    expect(translateOciOverride({ launchInstanceDetails: camel })).toEqual({ details: camel, problems: [] });
    expect(
      translateOciOverride({
        launch_instance_details: { instanceOptions: { are_legacy_imds_endpoints_disabled: true } },
      }).details,
    ).toEqual({ instanceOptions: { areLegacyImdsEndpointsDisabled: true } });
  });

  it('reports misspelt keys with their path and a suggestion, and wrong model hints', () => {
    const { problems } = translateOciOverride({
      launch_instance_details: {
        instance_option: { are_legacy_imds_endpoints_disabled: true },
        agent_config: { plugins_config: [{ name: 'x', desired_stat: 'ENABLED' }] },
        shape_config: { OCI_MODEL_NAME: 'InstanceOptions' },
      },
      other: 1,
    });
    expect(problems).toEqual([
      {
        path: 'launch_instance_details.instance_option',
        message:
          '"instance_option" is not a field of LaunchInstanceDetails (did you mean "instance_options"?)',
      },
      {
        path: 'launch_instance_details.agent_config.plugins_config[0].desired_stat',
        message:
          '"desired_stat" is not a field of InstanceAgentPluginConfigDetails (did you mean "desired_state"?)',
      },
      {
        path: 'launch_instance_details.agent_config.plugins_config[0]',
        message: 'missing "desired_state" (InstanceAgentPluginConfigDetails requires it)',
      },
      {
        path: 'launch_instance_details.shape_config.OCI_MODEL_NAME',
        message: 'OCI_MODEL_NAME "InstanceOptions" is not LaunchInstanceShapeConfigDetails',
      },
      {
        path: 'other',
        message: 'unknown key "other": the override\'s top level holds "launch_instance_details"',
      },
    ]);
  });
});

describe('override values against oci-core model types', () => {
  const problemsOf = (lid: Record<string, unknown>) =>
    translateOciOverride({ launch_instance_details: lid }).problems;

  it('accepts the right types, enum values, documented ranges and subtype discriminators', () => {
    expect(
      problemsOf({
        shape_config: { ocpus: 1.5, baseline_ocpu_utilization: 'BASELINE_1_2' },
        source_details: { source_type: 'image', boot_volume_vpus_per_gb: 120, boot_volume_size_in_gbs: 50 },
        launch_options: { firmware: 'UEFI_64', network_type: 'PARAVIRTUALIZED' },
        agent_config: {
          is_monitoring_disabled: false,
          plugins_config: [{ name: 'Bastion', desired_state: 'DISABLED' }],
        },
        create_vnic_details: { assign_public_ip: false, nsg_ids: ['ocid1.networksecuritygroup.oc1..a'] },
        freeform_tags: { team: 'vdi' },
        defined_tags: { Ops: { cost: 42 } },
      }),
    ).toEqual([]);
  });

  it('names each wrong value with its path: enums (did you mean), booleans, numbers, strings, ranges, lists, maps', () => {
    expect(
      problemsOf({
        shape_config: { baseline_ocpu_utilization: 'BASELINE_1_9', ocpus: 'two' },
        instance_options: { are_legacy_imds_endpoints_disabled: 'yes' },
        display_name: 42,
        source_details: { source_type: 'image', boot_volume_vpus_per_gb: 125, boot_volume_size_in_gbs: 49 },
        agent_config: { plugins_config: [{ name: 'Bastion', desired_state: 'enabled' }] },
        create_vnic_details: { nsg_ids: 'ocid1.networksecuritygroup.oc1..a' },
        freeform_tags: { team: 7 },
      }),
    ).toEqual([
      {
        path: 'launch_instance_details.shape_config.baseline_ocpu_utilization',
        message: 'expected one of BASELINE_1_8, BASELINE_1_2, BASELINE_1_1 (did you mean "BASELINE_1_8"?)',
      },
      {
        path: 'launch_instance_details.shape_config.ocpus',
        message: 'expected a number (not a string: write it without quotes)',
      },
      {
        path: 'launch_instance_details.instance_options.are_legacy_imds_endpoints_disabled',
        message: 'expected true or false (a boolean, not a string)',
      },
      { path: 'launch_instance_details.display_name', message: 'expected a string (quote it: "42")' },
      {
        path: 'launch_instance_details.source_details.boot_volume_vpus_per_gb',
        message: 'expected 10–120 in steps of 10',
      },
      {
        path: 'launch_instance_details.source_details.boot_volume_size_in_gbs',
        message: 'expected 50–32768',
      },
      {
        path: 'launch_instance_details.agent_config.plugins_config[0].desired_state',
        message: 'expected one of ENABLED, DISABLED (did you mean "ENABLED"?)',
      },
      { path: 'launch_instance_details.create_vnic_details.nsg_ids', message: 'expected a list' },
      { path: 'launch_instance_details.freeform_tags.team', message: 'expected a string (quote it: "7")' },
    ]);
  });

  it('picks the subtype by its discriminator and refuses one that does not exist', () => {
    expect(
      problemsOf({
        source_details: {
          source_type: 'bootVolume',
          boot_volume_id: 'ocid1.bootvolume.oc1..a',
          boot_volume_vpus_per_gb: 10,
        },
      }),
    ).toEqual([
      {
        path: 'launch_instance_details.source_details.boot_volume_vpus_per_gb',
        message: '"boot_volume_vpus_per_gb" is not a field of InstanceSourceViaBootVolumeDetails',
      },
    ]);
    expect(problemsOf({ source_details: { source_type: 'imag' } })).toEqual([
      {
        path: 'launch_instance_details.source_details.source_type',
        message: 'expected one of image, bootVolume (did you mean "image"?)',
      },
    ]);
  });

  it("oci-core's serializer forwards such values untouched: only the check stops them before the service", async () => {
    const { models } = await import('oci-core');
    const wrong = {
      shape: 'VM.Standard.E4.Flex',
      instanceOptions: { areLegacyImdsEndpointsDisabled: 'yes' },
      agentConfig: { pluginsConfig: [{ name: 'Bastion', desiredState: 'enabled' }] },
    };
    expect(JSON.parse(JSON.stringify(models.LaunchInstanceDetails.getJsonObj(wrong as never)))).toEqual(
      wrong,
    );
    expect(problemsOf(wrong)).toHaveLength(2);
  });
});

describe('lookupOciField (for the validator)', () => {
  it('finds fields by snake_case or camelCase, per model', () => {
    expect(lookupOciField('memory_in_gbs', ['LaunchInstanceShapeConfigDetails'])).toMatchObject({
      camel: 'memoryInGBs',
      spec: { kind: 'scalar' },
    });
    expect(lookupOciField('freeform_tags')).toMatchObject({ camel: 'freeformTags', spec: { kind: 'map' } });
    expect(lookupOciField('sourceDetails')?.spec.models).toEqual(
      expect.arrayContaining(['InstanceSourceViaImageDetails', 'InstanceSourceViaBootVolumeDetails']),
    );
    expect(lookupOciField('memory_in_gbs')).toBeUndefined();
    expect(lookupOciField('memory_in_g_bs', ['LaunchInstanceShapeConfigDetails'])).toBeUndefined();
  });

  it('covers LaunchInstanceDetails from oci-core', async () => {
    const core = await import('oci-core');
    // Every key oci-core's serializer special-cases is in the table as a model field.
    const src = core.models.LaunchInstanceDetails.getJsonObj.toString();
    const keys = [...src.matchAll(/"(\w+)": obj\.\w+/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(OCI_MODELS[OCI_ROOT_MODEL].fields[key]?.kind, key).toBe('model');
  });

  it('is up to date with the installed oci-core (scripts/gen-oci-fields.mjs --check)', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-oci-fields.mjs', '--check'], {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('deepMerge', () => {
  it('merges objects, replaces arrays and scalars, and does not alias the inputs', () => {
    const base = { a: { b: 1, c: [1, 2], d: { e: 'x' } }, f: 'keep', g: [{ h: 1 }] };
    const over = { a: { c: [3], d: { z: true } }, g: [{ i: 2 }], n: null };
    const out = deepMerge(base, over);
    expect(out).toEqual({ a: { b: 1, c: [3], d: { e: 'x', z: true } }, f: 'keep', g: [{ i: 2 }], n: null });
    (out.g as unknown[]).push('later');
    expect(over.g).toEqual([{ i: 2 }]);
    expect(base.a.c).toEqual([1, 2]);
  });

  it('an object replaces a scalar and a scalar replaces an object', () => {
    expect(deepMerge({ a: 1, b: { c: 1 } }, { a: { x: 1 }, b: 2 })).toEqual({ a: { x: 1 }, b: 2 });
  });
});
