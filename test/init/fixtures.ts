import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Values of the right shape for every OCID question (no real tenancy behind them). */
export const OCIDS = {
  user: 'ocid1.user.oc1..aaaaaaaauserexample0000000000000000000000000000000000000001',
  tenancy: 'ocid1.tenancy.oc1..aaaaaaaatenancyexample00000000000000000000000000000000000001',
  image: 'ocid1.image.oc1.iad.aaaaaaaaimageexample000000000000000000000000000000000000001',
  subnet: 'ocid1.subnet.oc1.iad.aaaaaaaasubnetexample00000000000000000000000000000000000001',
};

export const KASM_SECRET = 'kasm-api-secret-DO-NOT-PRINT-4f1c';
export const MANAGER_TOKEN = 'kasm-manager-token-DO-NOT-PRINT-9b2e';

export function ociAnswers(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: 'oci',
    vm_provider_config_name: 'oci-agents',
    oci_key_source: 'generate',
    oci_user_ocid: OCIDS.user,
    oci_tenancy_ocid: OCIDS.tenancy,
    oci_region: 'us-ashburn-1',
    oci_availability_domains: ['BEol:US-ASHBURN-AD-1', 'BEol:US-ASHBURN-AD-2'],
    oci_shape: 'VM.Standard.E4.Flex',
    oci_flex_cpus: 2,
    oci_flex_memory_gb: 16,
    oci_image_ocid: OCIDS.image,
    oci_subnet_ocid: OCIDS.subnet,
    oci_custom_tags: { team: 'desktops' },
    max_instances: 6,
    kasm_url: 'https://kasm.example.com',
    kasm_api_key: 'kasmkey123',
    kasm_api_key_secret: KASM_SECRET,
    kasm_manager_token: MANAGER_TOKEN,
    standby_cores: 8,
    standby_memory_mb: 16384,
    ...extra,
  };
}

/** A service account key file with a real RSA private key (the validator parses it). */
export function writeServiceAccount(dir: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = join(dir, 'sa.json');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'service_account',
      project_id: 'kasm-test-project',
      private_key_id: '0123456789abcdef',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'kasm-scale@kasm-test-project.iam.gserviceaccount.com',
      client_id: '123456789',
      token_uri: 'https://oauth2.googleapis.com/token',
    }),
    { mode: 0o600 },
  );
  return file;
}

export function gcpAnswers(saFile: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: 'gcp',
    vm_provider_config_name: 'gcp-gpu-agents',
    gcp_credentials_file: saFile,
    gcp_region: 'us-east4',
    gcp_zone: 'us-east4-b',
    gcp_machine_type: 'n1-standard-4',
    gcp_custom_labels: { team: 'desktops', env: 'prod' },
    gcp_network_tags: ['kasm-agent', 'https-server'],
    gcp_guest_accelerators: 'nvidia-tesla-t4:1',
    max_instances: 4,
    kasm_url: 'https://kasm.example.com',
    kasm_api_key: 'kasmkey123',
    kasm_api_key_secret: KASM_SECRET,
    kasm_manager_token: MANAGER_TOKEN,
    standby_gpus: 1,
    ...extra,
  };
}

export function writeAnswers(dir: string, answers: Record<string, unknown>, name = 'answers.yaml'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, name.endsWith('.json') ? JSON.stringify(answers) : stringify(answers));
  return file;
}
