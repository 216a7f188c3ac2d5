import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check, testKeys } from './fixtures.js';

type Cfg = ReturnType<typeof baseConfig>;
type Case = [name: string, mutate: (c: Cfg) => void, path: string, message: string];

const oci = (c: Cfg) => c.providers[0];
const gcp = (c: Cfg) => c.providers[1];
const longScript = (n: number) => `#!/bin/bash\n# ${'x'.repeat(n)}\n`;

/** One mistake per row, and the problem it must produce (path and a key part of the message). */
const CASES: Case[] = [
  // --- file / structure
  [
    'unknown top-level key',
    (c) => Object.assign(c, { provider: [] }),
    'provider',
    'unknown key "provider"; did you mean "providers"?',
  ],
  [
    'misspelt provider key',
    (c) => ((oci(c).oci_flex_cpu = 2), delete oci(c).oci_flex_cpus),
    'providers[0].oci_flex_cpu',
    'did you mean "oci_flex_cpus"?',
  ],
  [
    'unknown cloud',
    (c) => (oci(c).vm_provider_name = 'aws'),
    'providers[0].vm_provider_name',
    'expected vm_provider_name: oci or gcp',
  ],
  [
    'missing name',
    (c) => delete oci(c).vm_provider_config_name,
    'providers[0].vm_provider_config_name',
    'missing vm_provider_config_name',
  ],
  [
    'negative max_instances',
    (c) => (oci(c).max_instances = -1),
    'providers[0].max_instances',
    'expected the maximum number of instances ≥ 0',
  ],
  [
    'fractional max_instances',
    (c) => (gcp(c).max_instances = 1.5),
    'providers[1].max_instances',
    'not a fraction',
  ],
  // --- lock
  [
    'unknown lock type',
    (c) => Object.assign(c, { lock: { type: 'consul' } }),
    'lock.type',
    'expected type: file, oci-object-storage, gcs or kubernetes',
  ],
  [
    'lease TTL too short to renew',
    (c) => Object.assign(c, { lock: { type: 'kubernetes', ttl_seconds: 5 } }),
    'lock.ttl_seconds',
    'expected seconds from 15 to 3600',
  ],
  [
    'object-store lease signed by a provider of the other cloud',
    (c) =>
      Object.assign(c, { lock: { type: 'gcs', provider: oci(c).vm_provider_config_name, bucket: 'ops' } }),
    'lock.provider',
    'no gcp provider named',
  ],
  // --- kasm
  ['kasm url over http', (c) => (c.kasm.url = 'http://kasm.example.com'), 'kasm.url', 'expected https://'],
  [
    'kasm secret missing',
    (c) => delete c.kasm.api_key_secret,
    'kasm.api_key_secret',
    'missing api_key_secret',
  ],
  [
    'kasm secret file missing',
    (c) => ((c.kasm.api_key_secret_file = 'nope.txt'), delete c.kasm.api_key_secret),
    'kasm.api_key_secret_file',
    'nope.txt does not exist',
  ],
  [
    'secret inline and as file',
    (c) => (c.kasm.api_key_secret_file = 'x.txt'),
    'kasm.api_key_secret_file',
    'give api_key_secret or api_key_secret_file, not both',
  ],
  [
    'unset env var',
    (c) => (c.kasm.api_key = '${NOT_SET_ANYWHERE}'),
    'kasm.api_key',
    'environment variable NOT_SET_ANYWHERE is not set',
  ],
  // --- OCI
  [
    'user OCID of the wrong type',
    (c) => (oci(c).oci_user_ocid = 'ocid1.tenancy.oc1..aaaa'),
    'providers[0].oci_user_ocid',
    'is a tenancy OCID, not a user OCID',
  ],
  [
    'tenancy OCID garbage',
    (c) => (oci(c).oci_tenancy_ocid = 'tenancy-123'),
    'providers[0].oci_tenancy_ocid',
    'is not a tenancy OCID',
  ],
  [
    'compartment OCID wrong type',
    (c) => (oci(c).oci_compartment_ocid = 'ocid1.user.oc1..aaaa'),
    'providers[0].oci_compartment_ocid',
    'not a compartment or tenancy OCID',
  ],
  [
    'image OCID wrong type',
    (c) => (oci(c).oci_image_ocid = 'ocid1.instance.oc1.iad.aaaa'),
    'providers[0].oci_image_ocid',
    'not a image OCID',
  ],
  [
    'subnet OCID is a VCN',
    (c) => (oci(c).oci_subnet_ocid = 'ocid1.vcn.oc1.iad.aaaa'),
    'providers[0].oci_subnet_ocid',
    'is a vcn OCID, not a subnet OCID',
  ],
  [
    'NSG list holds a subnet',
    (c) => (oci(c).oci_nsg_ocids = ['ocid1.subnet.oc1.iad.aaaa']),
    'providers[0].oci_nsg_ocids[0]',
    'not a networksecuritygroup OCID',
  ],
  [
    'NSG not a list',
    (c) => (oci(c).oci_nsg_ocids = '{"a": 1}'),
    'providers[0].oci_nsg_ocids',
    'expected a list of network security group OCIDs',
  ],
  [
    'fingerprint format',
    (c) => (oci(c).oci_fingerprint = 'f9d6797a'),
    'providers[0].oci_fingerprint',
    "16 hex pairs joined by ':'",
  ],
  [
    'fingerprint of another key',
    (c) => (oci(c).oci_fingerprint = '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff'),
    'providers[0].oci_fingerprint',
    'does not match the private key, whose fingerprint is',
  ],
  [
    'private key missing',
    (c) => delete oci(c).oci_private_key,
    'providers[0].oci_private_key',
    'missing oci_private_key',
  ],
  [
    'private key not PEM',
    (c) => (oci(c).oci_private_key = 'hello'),
    'providers[0].oci_private_key',
    'is not a PEM key',
  ],
  [
    'public key instead of private',
    (c) => (oci(c).oci_private_key = publicPem()),
    'providers[0].oci_private_key',
    'is a public key; expected the private key',
  ],
  [
    'encrypted key without passphrase',
    (c) => (oci(c).oci_private_key = testKeys().ociEncryptedPem),
    'providers[0].oci_private_key',
    'is encrypted and no passphrase was given',
  ],
  [
    'wrong passphrase',
    (c) =>
      Object.assign(oci(c), {
        oci_private_key: testKeys().ociEncryptedPem,
        oci_private_key_passphrase: 'wrong',
      }),
    'providers[0].oci_private_key_passphrase',
    'wrong passphrase',
  ],
  [
    'region key instead of identifier',
    (c) => (oci(c).oci_region = 'IAD'),
    'providers[0].oci_region',
    'looks like a region key',
  ],
  [
    'region garbage',
    (c) => (oci(c).oci_region = 'ashburn'),
    'providers[0].oci_region',
    'is not an OCI region identifier',
  ],
  [
    'no availability domains',
    (c) => (oci(c).oci_availability_domains = []),
    'providers[0].oci_availability_domains',
    'expected at least one availability domain',
  ],
  [
    'empty string availability domains',
    (c) => (oci(c).oci_availability_domains = ''),
    'providers[0].oci_availability_domains',
    'expected at least one availability domain',
  ],
  [
    'availability domain without prefix',
    (c) => (oci(c).oci_availability_domains = ['US-ASHBURN-AD-1']),
    'providers[0].oci_availability_domains[0]',
    'availability domain name such as',
  ],
  [
    'ADs not JSON',
    (c) => (oci(c).oci_availability_domains = '[BEol:US-ASHBURN-AD-1'),
    'providers[0].oci_availability_domains',
    'not valid JSON',
  ],
  [
    'shape name',
    (c) => (oci(c).oci_shape = 'E4.Flex'),
    'providers[0].oci_shape',
    'a shape name such as VM.Standard.E4.Flex',
  ],
  [
    'flex CPUs missing',
    (c) => delete oci(c).oci_flex_cpus,
    'providers[0].oci_flex_cpus',
    'missing oci_flex_cpus',
  ],
  [
    'flex CPUs zero',
    (c) => (oci(c).oci_flex_cpus = 0),
    'providers[0].oci_flex_cpus',
    'expected OCPUs from 1 to 128',
  ],
  [
    'memory per OCPU over 64 GB',
    (c) => Object.assign(oci(c), { oci_flex_cpus: 1, oci_flex_memory_gb: 65 }),
    'providers[0].oci_flex_memory_gb',
    'expected 1–64 GB per OCPU',
  ],
  [
    'flex CPUs on a fixed shape',
    (c) => (oci(c).oci_shape = 'VM.Standard2.1'),
    'providers[0].oci_flex_cpus',
    'applies only to Flex shapes',
  ],
  [
    'baseline on a fixed shape',
    (c) =>
      Object.assign(oci(c), {
        oci_shape: 'VM.Standard2.1',
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }),
    'providers[0].oci_baseline_ocpu_utilization',
    'applies only to Flex shapes',
  ],
  [
    'baseline enum',
    (c) => (oci(c).oci_baseline_ocpu_utilization = 'BASELINE_1_4'),
    'providers[0].oci_baseline_ocpu_utilization',
    'expected one of BASELINE_1_1, BASELINE_1_2, BASELINE_1_8',
  ],
  [
    'boot volume under 50',
    (c) => (oci(c).oci_boot_volume_gb = 47),
    'providers[0].oci_boot_volume_gb',
    'from 50 to 32768',
  ],
  [
    'VPUs not a step of 10',
    (c) => (oci(c).oci_storage_vpus_per_gb = 15),
    'providers[0].oci_storage_vpus_per_gb',
    'in steps of 10',
  ],
  [
    'VPUs over 120',
    (c) => (oci(c).oci_storage_vpus_per_gb = 130),
    'providers[0].oci_storage_vpus_per_gb',
    'VPUs per GB from 10 to 120',
  ],
  [
    'custom tag value a number',
    (c) => (oci(c).oci_custom_tags = { cost: 42 }),
    'providers[0].oci_custom_tags.cost',
    'expected a string value',
  ],
  [
    'custom tags a list',
    (c) => (oci(c).oci_custom_tags = '["a"]'),
    'providers[0].oci_custom_tags',
    'expected an object of string → string',
  ],
  [
    'SSH key is a private key',
    (c) => (oci(c).oci_ssh_public_key = '-----BEGIN OPENSSH PRIVATE KEY-----'),
    'providers[0].oci_ssh_public_key',
    'this is a private key',
  ],
  [
    'SSH key damaged',
    (c) => (oci(c).oci_ssh_public_key = 'ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB me'),
    'providers[0].oci_ssh_public_key',
    'is not a ssh-ed25519 key',
  ],
  [
    'startup script missing',
    (c) => delete oci(c).startup_script,
    'providers[0].startup_script',
    'missing startup_script',
  ],
  [
    'startup script over 16 KB as user_data',
    (c) => (oci(c).startup_script = longScript(12_500)),
    'providers[0].startup_script',
    'as base64 user_data; expected at most 16384',
  ],
  [
    'startup script unknown token',
    (c) => (oci(c).startup_script = 'echo ${HOME}'),
    'providers[0].startup_script',
    '{HOME} is not a token Kasm fills',
  ],
  [
    'startup script single brace',
    (c) => (oci(c).startup_script = 'awk "{print}" }'),
    'providers[0].startup_script',
    "single '}'",
  ],
  [
    'override misspelt key',
    (c) => (oci(c).oci_config_override = { launch_instance_details: { instance_option: {} } }),
    'providers[0].oci_config_override.launch_instance_details.instance_option',
    'did you mean "instance_options"?',
  ],
  [
    'override nested misspelt key',
    (c) =>
      (oci(c).oci_config_override =
        '{"launch_instance_details": {"agent_config": {"plugins_config": [{"nme": "x"}]}}}'),
    'providers[0].oci_config_override.launch_instance_details.agent_config.plugins_config[0].nme',
    'is not a field of InstanceAgentPluginConfigDetails',
  ],
  [
    'override wrong OCI_MODEL_NAME',
    (c) =>
      (oci(c).oci_config_override = {
        launch_instance_details: { instance_options: { OCI_MODEL_NAME: 'LaunchOptions' } },
      }),
    'providers[0].oci_config_override.launch_instance_details.instance_options.OCI_MODEL_NAME',
    'is not InstanceOptions',
  ],
  [
    'override top level',
    (c) => (oci(c).oci_config_override = { instance_options: {} }),
    'providers[0].oci_config_override.instance_options',
    'launch_instance_details',
  ],
  [
    'override a list',
    (c) => (oci(c).oci_config_override = []),
    'providers[0].oci_config_override',
    'expected an object',
  ],
  [
    'override enum value misspelt',
    (c) =>
      (oci(c).oci_config_override = {
        launch_instance_details: {
          agent_config: { plugins_config: [{ name: 'Bastion', desired_state: 'ENABLE' }] },
        },
      }),
    'providers[0].oci_config_override.launch_instance_details.agent_config.plugins_config[0].desired_state',
    'expected one of ENABLED, DISABLED (did you mean "ENABLED"?)',
  ],
  [
    'override string where a boolean belongs',
    (c) =>
      (oci(c).oci_config_override =
        '{"launch_instance_details": {"instance_options": {"are_legacy_imds_endpoints_disabled": "yes"}}}'),
    'providers[0].oci_config_override.launch_instance_details.instance_options.are_legacy_imds_endpoints_disabled',
    'expected true or false',
  ],
  [
    'override VPUs out of range',
    (c) =>
      (oci(c).oci_config_override = {
        launch_instance_details: { source_details: { source_type: 'image', boot_volume_vpus_per_gb: 130 } },
      }),
    'providers[0].oci_config_override.launch_instance_details.source_details.boot_volume_vpus_per_gb',
    'expected 10–120 in steps of 10',
  ],
  // --- GCP
  [
    'credentials not a service account',
    (c) => (gcp(c).gcp_credentials = { ...testKeys().gcpKeyJson, type: 'authorized_user' }),
    'providers[1].gcp_credentials.type',
    'expected "type": "service_account"',
  ],
  [
    'credentials without client_email',
    (c) => (gcp(c).gcp_credentials = { ...testKeys().gcpKeyJson, client_email: undefined }),
    'providers[1].gcp_credentials.client_email',
    'expected client_email',
  ],
  [
    'credentials private key damaged',
    (c) =>
      (gcp(c).gcp_credentials = JSON.stringify({
        ...testKeys().gcpKeyJson,
        private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      })),
    'providers[1].gcp_credentials.private_key',
    'does not parse',
  ],
  [
    'credentials missing',
    (c) => delete gcp(c).gcp_credentials,
    'providers[1].gcp_credentials',
    'missing gcp_credentials',
  ],
  [
    'unknown gcp_auth mode',
    (c) => (gcp(c).gcp_auth = 'workload_identity'),
    'providers[1].gcp_auth',
    'expected an auth mode: service_account_key or adc (see docs/credentials.md)',
  ],
  [
    'gcp_auth: adc and a key both set',
    (c) => (gcp(c).gcp_auth = 'adc'),
    'providers[1].gcp_credentials',
    'gcp_auth: adc and a service account key are both set; expected exactly one',
  ],
  [
    'project id with capitals',
    (c) => (gcp(c).gcp_project = 'My-Project'),
    'providers[1].gcp_project',
    'a project ID',
  ],
  [
    'zone outside region',
    (c) => (gcp(c).gcp_zone = 'us-central1-a'),
    'providers[1].gcp_zone',
    'zone us-central1-a is not in region us-east4',
  ],
  ['image path', (c) => (gcp(c).gcp_image = 'ubuntu-2004'), 'providers[1].gcp_image', 'an image path'],
  ['network path', (c) => (gcp(c).gcp_network = 'default'), 'providers[1].gcp_network', 'a network path'],
  [
    'subnetwork in another region',
    (c) => (gcp(c).gcp_subnetwork = 'projects/p-123456/regions/us-west1/subnetworks/default'),
    'providers[1].gcp_subnetwork',
    'the subnetwork is in region us-west1',
  ],
  [
    'CMEK path',
    (c) => (gcp(c).gcp_cmek = 'my-key'),
    'providers[1].gcp_cmek',
    'projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>',
  ],
  [
    'disk type',
    (c) => (gcp(c).gcp_disk_type = 'ssd'),
    'providers[1].gcp_disk_type',
    'expected a disk type: one of pd-standard',
  ],
  [
    'boot volume under 50',
    (c) => (gcp(c).gcp_boot_volume_gb = 10),
    'providers[1].gcp_boot_volume_gb',
    'at least 50',
  ],
  [
    'network tag with capitals',
    (c) => (gcp(c).gcp_network_tags = ['HTTPS-server']),
    'providers[1].gcp_network_tags[0]',
    'a network tag of 1–63',
  ],
  [
    'too many network tags',
    (c) => (gcp(c).gcp_network_tags = Array.from({ length: 65 }, (_, i) => `t${i}`)),
    'providers[1].gcp_network_tags',
    'at most 64 network tags',
  ],
  [
    'label key with capitals',
    (c) => (gcp(c).gcp_custom_labels = { Env: 'prod' }),
    'providers[1].gcp_custom_labels.Env',
    'expected a label key',
  ],
  [
    'label value with capitals',
    (c) => (gcp(c).gcp_custom_labels = { env: 'Prod' }),
    'providers[1].gcp_custom_labels.env',
    'expected a label value',
  ],
  [
    'reserved ownership label',
    (c) => (gcp(c).gcp_custom_labels = { 'kasm-scale-managed': 'true' }),
    'providers[1].gcp_custom_labels.kasm-scale-managed',
    'is reserved',
  ],
  [
    'too many labels',
    (c) =>
      (gcp(c).gcp_custom_labels = Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`l${i}`, 'v']))),
    'providers[1].gcp_custom_labels',
    'at most 61 labels',
  ],
  [
    'metadata not a list',
    (c) => (gcp(c).gcp_metadata = { 'ssh-keys': 'x' }),
    'providers[1].gcp_metadata',
    'expected a list of {"key": ..., "value": ...} items',
  ],
  [
    'metadata key characters',
    (c) => (gcp(c).gcp_metadata = [{ key: 'ssh keys', value: 'x' }]),
    'providers[1].gcp_metadata[0].key',
    'expected a metadata key of letters',
  ],
  [
    'metadata clashes with the script key',
    (c) => (gcp(c).gcp_metadata = [{ key: 'startup-script', value: 'x' }]),
    'providers[1].gcp_metadata[0].key',
    'is where kasm-scale puts startup_script',
  ],
  [
    'metadata duplicate key',
    (c) =>
      (gcp(c).gcp_metadata = [
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ]),
    'providers[1].gcp_metadata[1].key',
    'duplicate metadata key',
  ],
  [
    'service account without scopes',
    (c) => (gcp(c).gcp_service_account = { email: 'a@b.iam.gserviceaccount.com' }),
    'providers[1].gcp_service_account.scopes',
    'missing scopes',
  ],
  [
    'service account email',
    (c) => (gcp(c).gcp_service_account = { email: 'nope', scopes: [] }),
    'providers[1].gcp_service_account.email',
    'the service account e-mail',
  ],
  [
    'accelerator count 0',
    (c) =>
      (gcp(c).gcp_guest_accelerators = [
        { acceleratorType: 'zones/us-east4-b/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 0 },
      ]),
    'providers[1].gcp_guest_accelerators[0].acceleratorCount',
    'expected an accelerator count ≥ 1',
  ],
  [
    'accelerator snake_case key',
    (c) => (gcp(c).gcp_guest_accelerators = [{ accelerator_type: 'x', acceleratorCount: 1 }]),
    'providers[1].gcp_guest_accelerators[0].accelerator_type',
    'unknown key "accelerator_type"',
  ],
  [
    'accelerator in another zone',
    (c) =>
      (gcp(c).gcp_guest_accelerators = [
        {
          acceleratorType: 'projects/p-123456/zones/us-east4-c/acceleratorTypes/nvidia-tesla-t4',
          acceleratorCount: 1,
        },
      ]),
    'providers[1].gcp_guest_accelerators[0].acceleratorType',
    'expected one of gcp_zone us-east4-b',
  ],
  [
    'override sets name',
    (c) => (gcp(c).gcp_config_override = { name: 'x' }),
    'providers[1].gcp_config_override.name',
    'may not set "name"',
  ],
  [
    'override sets labels',
    (c) => (gcp(c).gcp_config_override = '{"labels": {"a": "b"}}'),
    'providers[1].gcp_config_override.labels',
    'may not set "labels"',
  ],
  [
    'override key misspelt',
    (c) => (gcp(c).gcp_config_override = { shieldedInstanceConfg: { enableSecureBoot: true } }),
    'providers[1].gcp_config_override.shieldedInstanceConfg',
    'did you mean "shieldedInstanceConfig"?',
  ],
  [
    'override nested key misspelt',
    (c) => (gcp(c).gcp_config_override = { scheduling: { preemptable: true } }),
    'providers[1].gcp_config_override.scheduling.preemptable',
    'not a field of the GCP Scheduling (did you mean "preemptible"?)',
  ],
  [
    'override in snake_case',
    (c) => (gcp(c).gcp_config_override = { can_ip_forward: true }),
    'providers[1].gcp_config_override.can_ip_forward',
    'camelCase',
  ],
  [
    'override enum value misspelt',
    (c) => (gcp(c).gcp_config_override = { scheduling: { onHostMaintenance: 'terminate' } }),
    'providers[1].gcp_config_override.scheduling.onHostMaintenance',
    'expected one of MIGRATE, TERMINATE (did you mean "TERMINATE"?)',
  ],
  [
    'override string where a boolean belongs',
    (c) => (gcp(c).gcp_config_override = '{"scheduling": {"automaticRestart": "false"}}'),
    'providers[1].gcp_config_override.scheduling.automaticRestart',
    'expected true or false',
  ],
  [
    'override threads per core out of range',
    (c) => (gcp(c).gcp_config_override = { advancedMachineFeatures: { threadsPerCore: 4 } }),
    'providers[1].gcp_config_override.advancedMachineFeatures.threadsPerCore',
    'expected 1–2',
  ],
  [
    'accelerator count beyond int32',
    (c) =>
      (gcp(c).gcp_guest_accelerators = [
        {
          acceleratorType: 'zones/us-east4-b/acceleratorTypes/nvidia-tesla-t4',
          acceleratorCount: 3000000000,
        },
      ]),
    'providers[1].gcp_guest_accelerators[0].acceleratorCount',
    'expected an integer from -2147483648 to 2147483647',
  ],
  [
    'OS type',
    (c) => (gcp(c).vm_installed_os_type = 'macos'),
    'providers[1].vm_installed_os_type',
    'expected linux or windows',
  ],
  [
    'windows script on linux',
    (c) => (gcp(c).startup_script_type = 'windows-startup-script-ps1'),
    'providers[1].startup_script_type',
    'is a Windows script key but vm_installed_os_type is linux',
  ],
  [
    'linux script on windows',
    (c) => Object.assign(gcp(c), { vm_installed_os_type: 'windows', startup_script_type: 'startup-script' }),
    'providers[1].startup_script_type',
    'is a Linux script key but vm_installed_os_type is windows',
  ],
  [
    'GCP script over 256 KB',
    (c) => (gcp(c).startup_script = longScript(262_200)),
    'providers[1].startup_script',
    "expected at most 262144 (GCP's limit",
  ],
  // --- autoscale
  [
    'autoscale provider reference',
    (c) => (c.autoscale[0].vm_provider_config_name = 'oci-b'),
    'autoscale[0].vm_provider_config_name',
    'no provider named "oci-b"; expected one of "oci-a", "gcp-a"',
  ],
  [
    'duplicate provider names',
    (c) => (gcp(c).vm_provider_config_name = 'oci-a'),
    'providers[1].vm_provider_config_name',
    'duplicate provider name "oci-a"',
  ],
  [
    'duplicate autoscale names',
    (c) => (c.autoscale[1].autoscale_config_name = 'oci pool'),
    'autoscale[1].autoscale_config_name',
    'duplicate autoscale config name',
  ],
  [
    'two enabled pools on one zone',
    (c) => (c.autoscale[1].zone_name = 'default'),
    'autoscale[1].zone_name',
    'is already scaled by enabled autoscale config autoscale[0]',
  ],
  [
    'negative standby cores',
    (c) => (c.autoscale[0].standby_cores = -2),
    'autoscale[0].standby_cores',
    'expected standby cores ≥ 0',
  ],
  [
    'fractional backoff',
    (c) => (c.autoscale[0].downscale_backoff = 1.5),
    'autoscale[0].downscale_backoff',
    'not a fraction',
  ],
  [
    'max_launch_per_pass zero',
    (c) => (c.autoscale[0].max_launch_per_pass = 0),
    'autoscale[0].max_launch_per_pass',
    'expected launches per pass ≥ 1',
  ],
  [
    'minimum over max_instances',
    (c) => (c.autoscale[0].minimum_instances = 6),
    'autoscale[0].minimum_instances',
    "more than the provider's max_instances 5",
  ],
  [
    'unknown provider in a chain',
    (c) => (
      delete c.autoscale[0].vm_provider_config_name,
      (c.autoscale[0].vm_provider_config_names = ['oci-a', 'oci-b'])
    ),
    'autoscale[0].vm_provider_config_names[1]',
    'no provider named "oci-b"; expected one of "oci-a", "gcp-a"',
  ],
  [
    'the same provider twice in a chain',
    (c) => (
      delete c.autoscale[0].vm_provider_config_name,
      (c.autoscale[0].vm_provider_config_names = ['oci-a', 'gcp-a', 'oci-a'])
    ),
    'autoscale[0].vm_provider_config_names[2]',
    'provider "oci-a" is named twice in the chain',
  ],
  [
    'an empty chain',
    (c) => (delete c.autoscale[0].vm_provider_config_name, (c.autoscale[0].vm_provider_config_names = [])),
    'autoscale[0].vm_provider_config_names',
    'expected at least one vm_provider_config_name in the chain',
  ],
  [
    'both a provider and a chain',
    (c) => (c.autoscale[0].vm_provider_config_names = ['oci-a', 'gcp-a']),
    'autoscale[0].vm_provider_config_names',
    'both vm_provider_config_name and vm_provider_config_names are given; expected one of them',
  ],
  [
    'neither a provider nor a chain',
    (c) => delete c.autoscale[0].vm_provider_config_name,
    'autoscale[0].vm_provider_config_name',
    'missing vm_provider_config_name',
  ],
  [
    'minimum over the max_instances of a whole chain',
    (c) => (
      delete c.autoscale[0].vm_provider_config_name,
      (c.autoscale[0].vm_provider_config_names = ['oci-a', 'gcp-a']),
      (c.autoscale[0].minimum_instances = 9)
    ),
    'autoscale[0].minimum_instances',
    "more than the chain's max_instances together 8",
  ],
  [
    'unknown autoscale key',
    (c) => (c.autoscale[0].standby_core = 1),
    'autoscale[0].standby_core',
    'did you mean "standby_cores"?',
  ],
];

function publicPem(): string {
  return createPublicKey(testKeys().ociPem).export({ type: 'spki', format: 'pem' }).toString();
}

describe('config validate: each invalid config gives its own problem', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('has at least 40 cases and the base config is valid', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const r = await check(dir, baseConfig());
    expect(r.problems).toEqual([]);
    expect(r.config?.providers).toHaveLength(2);
  });

  it.each(CASES)('%s', async (_name, mutate, path, message) => {
    const cfg = baseConfig();
    mutate(cfg);
    const r = await check(dir, cfg);
    expect(r.config).toBeUndefined();
    const hit = r.problems.find((p) => p.path === path && p.message.includes(message));
    expect(
      hit,
      `expected ${path}: ${message}\ngot:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    ).toBeDefined();
    expect(hit!.line).toBeGreaterThan(0);
    // Secrets never appear in problems.
    const text = JSON.stringify(r.problems);
    expect(text).not.toContain('PRIVATE KEY-----\nMII');
    expect(text).not.toContain('correct horse');
  });
});
