/**
 * THE table of OCI LaunchInstance bodies the conformance suite sends through `config
 * validate`, the OCI emulator (through oci-core) and oci-core's own model types. Each
 * row is a camelCase override merged over a valid base launch; `valid` is what the
 * service does with it. One invalid row per rule the checks enforce.
 *
 * `model`: what oci-core's TypeScript model says — 'judges' (its types decide), or
 * 'documented' (the model types a plain number; the range is in the field's doc comment,
 * `docSays` must still be found there, so a changed range shows up here).
 */
export interface OciCase {
  name: string;
  override: Record<string, unknown>;
  valid: boolean;
  model: 'judges' | 'documented';
  docSays?: { file: string; text: RegExp };
}

export const OCI_CASES: OciCase[] = [
  {
    name: 'valid: plugins, IMDS, a VPU level, tags, NSGs',
    override: {
      agentConfig: {
        isMonitoringDisabled: false,
        pluginsConfig: [{ name: 'Bastion', desiredState: 'ENABLED' }],
      },
      instanceOptions: { areLegacyImdsEndpointsDisabled: true },
      sourceDetails: { sourceType: 'image', bootVolumeVpusPerGB: 20, bootVolumeSizeInGBs: 60 },
      shapeConfig: { baselineOcpuUtilization: 'BASELINE_1_2' },
      freeformTags: { team: 'vdi' },
      displayName: 'agent',
    },
    valid: true,
    model: 'judges',
  },
  {
    name: 'unknown field',
    override: { instanceOptions: { areLegacyImdsEndpointDisabled: true } },
    valid: false,
    model: 'judges',
  },
  {
    name: 'enum value misspelt',
    override: { agentConfig: { pluginsConfig: [{ name: 'Bastion', desiredState: 'ENABLD' }] } },
    valid: false,
    model: 'judges',
  },
  {
    name: 'string where a boolean belongs',
    override: { instanceOptions: { areLegacyImdsEndpointsDisabled: 'yes' } },
    valid: false,
    model: 'judges',
  },
  {
    name: 'string where a number belongs',
    override: { shapeConfig: { ocpus: 'two' } },
    valid: false,
    model: 'judges',
  },
  { name: 'number where a string belongs', override: { displayName: 42 }, valid: false, model: 'judges' },
  {
    name: 'a string where a list belongs',
    override: { createVnicDetails: { nsgIds: 'ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg1' } },
    valid: false,
    model: 'judges',
  },
  { name: 'map value not a string', override: { freeformTags: { team: 7 } }, valid: false, model: 'judges' },
  {
    name: 'required field of a list item missing',
    override: { agentConfig: { pluginsConfig: [{ name: 'Bastion' }] } },
    valid: false,
    model: 'judges',
  },
  {
    name: 'VPUs per GB above the documented range',
    override: { sourceDetails: { sourceType: 'image', bootVolumeVpusPerGB: 130 } },
    valid: false,
    model: 'documented',
    docSays: { file: 'instance-source-via-image-details.d.ts', text: /\{@code 30\}-\{@code 120\}/ },
  },
  {
    name: 'boot volume below the documented minimum',
    override: { sourceDetails: { sourceType: 'image', bootVolumeSizeInGBs: 40 } },
    valid: false,
    model: 'documented',
    docSays: { file: 'instance-source-via-image-details.d.ts', text: /Minimum value is 50 GB/ },
  },
];
