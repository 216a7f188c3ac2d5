/**
 * THE table of GCP instances.insert bodies the conformance suite sends through `config
 * validate`, the GCP emulator (as raw JSON, as gcloud sends it, and through
 * @google-cloud/compute) and the library's own protobuf handling. Each row is an override
 * merged over a valid base Instance; `at` is the path of the value the row is about;
 * `valid` is what Google does with it. One invalid row per rule the checks enforce.
 *
 * `model`: 'judges' when the library's protos decide (it refuses the body, or changes the
 * value at `at` on its way to the wire, or the enum compute.proto names lacks the value);
 * 'documented' when the proto only types an int32 and the range is Google's documentation
 * (`docSays` must still be in the field's comment in compute.proto).
 */
export interface GcpCase {
  name: string;
  override: Record<string, unknown>;
  at: (string | number)[];
  valid: boolean;
  model: 'judges' | 'documented';
  docSays?: RegExp;
}

const BOOT_IMAGE = 'projects/debian-cloud/global/images/family/debian-12';

export const GCP_CASES: GcpCase[] = [
  {
    name: 'valid: scheduling enums, SMT off, shielded VM, int64 as a string',
    override: {
      scheduling: {
        onHostMaintenance: 'TERMINATE',
        automaticRestart: false,
        provisioningModel: 'SPOT',
        instanceTerminationAction: 'DELETE',
      },
      advancedMachineFeatures: { threadsPerCore: 1 },
      shieldedInstanceConfig: { enableSecureBoot: true },
      disks: [
        { boot: true, autoDelete: true, initializeParams: { sourceImage: BOOT_IMAGE, diskSizeGb: '20' } },
      ],
      description: 'agent',
    },
    at: ['scheduling', 'automaticRestart'],
    valid: true,
    model: 'judges',
  },
  {
    name: 'unknown field',
    override: { scheduling: { preemptable: true } },
    at: ['scheduling', 'preemptable'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'enum value misspelt',
    override: { scheduling: { onHostMaintenance: 'TERMINAT' } },
    at: ['scheduling', 'onHostMaintenance'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'string where a boolean belongs ("false" becomes true)',
    override: { scheduling: { automaticRestart: 'false' } },
    at: ['scheduling', 'automaticRestart'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'string where an int32 belongs ("two" becomes 0)',
    override: { advancedMachineFeatures: { visibleCoreCount: 'two' } },
    at: ['advancedMachineFeatures', 'visibleCoreCount'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'int32 out of range (wraps)',
    override: { scheduling: { minNodeCpus: 3000000000 } },
    at: ['scheduling', 'minNodeCpus'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'number where a string belongs',
    override: { description: 5 },
    at: ['description'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'a string where a list belongs',
    override: { tags: { items: 'web' } },
    at: ['tags', 'items'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'int64 that is not a number ("fifty" becomes "0")',
    override: {
      disks: [
        { boot: true, autoDelete: true, initializeParams: { sourceImage: BOOT_IMAGE, diskSizeGb: 'fifty' } },
      ],
    },
    at: ['disks', 0, 'initializeParams', 'diskSizeGb'],
    valid: false,
    model: 'judges',
  },
  {
    name: 'threads per core above the documented range',
    override: { advancedMachineFeatures: { threadsPerCore: 3 } },
    at: ['advancedMachineFeatures', 'threadsPerCore'],
    valid: false,
    model: 'documented',
    docSays:
      /threads per physical core\. To disable simultaneous\s+\/\/ multithreading \(SMT\) set this to 1/,
  },
];
