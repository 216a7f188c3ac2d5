import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ociKeyPair, serviceAccountKey } from '../helpers/keys.js';
import {
  SEED_GCP_CLIENT_EMAIL,
  SEED_GCP_PLACEMENT,
  SEED_GCP_PROJECT,
  yamlLines,
} from '../helpers/providers.js';
import { SEED_OCI_OVERRIDE_PLUGINS } from './render-fixtures.js';

/**
 * End to end: the built CLI loads a real file (YAML, secrets in *_file keys) and prints
 * the launch requests. The unit tests in render.test.ts pin the bodies field by field; this
 * checks the command around them: selection, --json, redaction, errors.
 */
let dir: string;
let cleanup: () => Promise<void>;
let file: string;
const MANAGER_TOKEN_MARK = 'script-body-marker-7f3a';

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-render-'));
  const oci = ociKeyPair();
  const fingerprint = oci.fingerprint;
  await writeFile(join(dir, 'oci.pem'), oci.privatePem, { mode: 0o600 });
  const sa = serviceAccountKey(SEED_GCP_PROJECT, SEED_GCP_CLIENT_EMAIL);
  await writeFile(join(dir, 'sa.json'), JSON.stringify(sa), { mode: 0o600 });
  file = join(dir, 'kasm-scale.yaml');
  const yaml = `
kasm:
  url: https://kasm.example.com
  api_key: abc
  api_key_secret: \${KASM_SECRET}
providers:
  - vm_provider_name: oci
    vm_provider_config_name: oci-ashburn
    max_instances: 3
    startup_script: |
      #!/bin/bash
      # ${MANAGER_TOKEN_MARK}
      bash install.sh -i {server_id} -M {manager_token} -m {upstream_auth_address}
    oci_user_ocid: ocid1.user.oc1..aaaaaaaauser
    oci_fingerprint: "${fingerprint}"
    oci_private_key_file: oci.pem
    oci_region: us-ashburn-1
    oci_tenancy_ocid: ocid1.tenancy.oc1..aaaaaaaatenancy
    oci_compartment_ocid: ocid1.compartment.oc1..aaaaaaaacompartment
    oci_availability_domains: ["BEol:US-ASHBURN-AD-1"]
    oci_image_ocid: ocid1.image.oc1.iad.aaaaaaaaimage
    oci_shape: VM.Standard.E4.Flex
    oci_flex_cpus: 2
    oci_flex_memory_gb: 8
    oci_boot_volume_gb: 60
    oci_subnet_ocid: ocid1.subnet.oc1.iad.aaaaaaaasubnet
    oci_custom_tags: '{"Team": "desktops"}'
    oci_config_override: '${JSON.stringify(SEED_OCI_OVERRIDE_PLUGINS)}'
  - vm_provider_name: gcp
    vm_provider_config_name: gcp-east
    max_instances: 2
    startup_script: "#!/bin/bash\\n# ${MANAGER_TOKEN_MARK}\\necho {server_id}\\n"
    gcp_credentials_file: sa.json
${yamlLines(SEED_GCP_PLACEMENT, 4)}
    gcp_network_tags: ["https-server"]
    gcp_custom_labels: {"foo": "bar"}
    gcp_config_override: {"shieldedInstanceConfig": {"enableSecureBoot": true}}
    vm_installed_os_type: linux
    startup_script_type: startup-script
autoscale:
  - autoscale_config_name: East Desktops
    enabled: true
    vm_provider_config_name: gcp-east
    zone_name: default
    standby_cores: 4
    standby_memory_mb: 4096
    standby_gpus: 0
    downscale_backoff: 600
    agent_cores_override: 0
    agent_memory_override_gb: 0
    agent_gpus_override: 0
`;
  await writeFile(file, yaml);
  await chmod(file, 0o600);
});
afterAll(() => cleanup?.());

const env = () => ({ KASM_SECRET: 'kasm-secret-value-91', HOME: dir });

describe('kasm-scale config render (built CLI)', () => {
  it('--json gives one document with both requests, script redacted, no secret anywhere', async () => {
    const r = await runCli(['config', 'render', file, '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.providers.map((p: { name: string; cloud: string }) => [p.name, p.cloud])).toEqual([
      ['oci-ashburn', 'oci'],
      ['gcp-east', 'gcp'],
    ]);
    const [oci, gcp] = doc.providers;
    expect(oci.request.agentConfig.pluginsConfig).toEqual([
      { name: 'Vulnerability Scanning', desiredState: 'ENABLED' },
    ]);
    expect(oci.request.shapeConfig).toEqual({ ocpus: 2, memoryInGBs: 8 });
    expect(oci.request.metadata.user_data).toMatch(/^<redacted/);
    expect(gcp.sample.autoscale_config_name).toBe('East Desktops');
    expect(gcp.request.shieldedInstanceConfig).toEqual({ enableSecureBoot: true });
    expect(gcp.request.metadata.items).toEqual([
      { key: 'startup-script', value: expect.stringMatching(/^<redacted startup script/) },
    ]);
    for (const s of [MANAGER_TOKEN_MARK, 'kasm-secret-value-91', 'PRIVATE KEY'])
      expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('--provider with --show-secrets prints one clean JSON body on stdout, the sample line on stderr', async () => {
    const r = await runCli(
      ['config', 'render', '--config', file, '--provider', 'oci-ashburn', '--show-secrets'],
      { env: env() },
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const script = Buffer.from(body.metadata.user_data, 'base64').toString();
    expect(script).toContain(MANAGER_TOKEN_MARK);
    expect(script).toMatch(/-i [0-9a-f]{32} -M SAMPLE-MANAGER-TOKEN -m kasm\.example\.com/);
    expect(r.stderr).toMatch(/^# oci-ashburn \(oci\): LaunchInstanceDetails for a sample launch/);
  });

  it('an unknown --provider is a one-line input error (exit 2) naming the choices', async () => {
    const r = await runCli(['config', 'render', file, '--provider', 'nope'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no provider named "nope"');
    expect(r.stderr).toContain('"oci-ashburn", "gcp-east"');
  });
});
