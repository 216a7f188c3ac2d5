import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Document } from 'yaml';
import { writeSecretFileAtomic } from '../core/files.js';
import type { CloudName } from '../clouds/registry.js';
import type { FlowResult } from './flow.js';
import { parseAccelerators, parseIntLoose, parseList, parseMap } from './parse.js';
import { absPath, type Ctx, sshKeyText } from './questions.js';
import { DOCKER_AGENT_STARTUP_SCRIPT } from './templates/docker-agent.js';

/**
 * From answers to files: the config document (YAML, secrets only as `*_file` paths), and
 * the writes, each atomic and 0600. Nothing here asks anything.
 */

/** `~/x` for paths under the home folder (the config then works for the same user on
 * another machine or in CI), absolute otherwise. */
export function displayPath(p: string, home: string): string {
  const rel = relative(home, p);
  return home && rel && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.startsWith('/')
    ? `~/${rel.split(sep).join('/')}`
    : p;
}

/** Where a typed Kasm secret goes: $XDG_CONFIG_HOME/kasm-scale/NAME (the API key secret by default). */
export function defaultSecretFile(ctx: Ctx, name = 'kasm_api_key_secret'): string {
  const base = ctx.env.XDG_CONFIG_HOME ? resolve(ctx.env.XDG_CONFIG_HOME) : resolve(ctx.home, '.config');
  return resolve(base, 'kasm-scale', name);
}

const num = (v: unknown) => parseIntLoose(String(v ?? ''));
const str = (v: unknown) => String(v ?? '').trim();

type Common = Record<string, unknown>;

/** One builder per cloud (a Record over CloudName: a new cloud does not compile without its own). */
const PROVIDER_SECTION: Record<
  CloudName,
  (result: FlowResult, ctx: Ctx, common: Common) => Record<string, unknown>
> = {
  oci: ociSection,
  gcp: gcpSection,
};

function ociSection(result: FlowResult, ctx: Ctx, common: Common): Record<string, unknown> {
  const a = result.answers;
  const p = (file: string) => displayPath(file, ctx.home);
  const key = result.key!;
  const flex = /\.Flex$/i.test(str(a.oci_shape));
  const ssh = str(a.oci_ssh_public_key) ? sshKeyText(str(a.oci_ssh_public_key), ctx) : '';
  return {
    vm_provider_name: 'oci',
    ...common,
    oci_user_ocid: str(a.oci_user_ocid),
    oci_tenancy_ocid: str(a.oci_tenancy_ocid),
    oci_compartment_ocid: str(a.oci_compartment_ocid),
    oci_fingerprint: key.fingerprint,
    oci_private_key_file: p(key.privateKeyFile),
    ...(key.passphraseFile ? { oci_private_key_passphrase_file: p(key.passphraseFile) } : {}),
    oci_region: str(a.oci_region),
    oci_availability_domains: parseList(str(a.oci_availability_domains)),
    oci_shape: str(a.oci_shape),
    ...(flex
      ? {
          oci_flex_cpus: num(a.oci_flex_cpus),
          oci_flex_memory_gb: num(a.oci_flex_memory_gb),
          oci_baseline_ocpu_utilization: str(a.oci_baseline_ocpu_utilization),
        }
      : {}),
    oci_image_ocid: str(a.oci_image_ocid),
    oci_subnet_ocid: str(a.oci_subnet_ocid),
    oci_nsg_ocids: parseList(str(a.oci_nsg_ocids)),
    oci_boot_volume_gb: num(a.oci_boot_volume_gb),
    oci_custom_tags: parseMap(str(a.oci_custom_tags)),
    ...(ssh ? { oci_ssh_public_key: ssh } : {}),
    // --oci-endpoint: the provider talks to the same place init did (staging, emulator).
    ...(ctx.ociEndpoint ? { endpoint: ctx.ociEndpoint } : {}),
  };
}

function gcpSection(result: FlowResult, ctx: Ctx, common: Common): Record<string, unknown> {
  const a = result.answers;
  const p = (file: string) => displayPath(file, ctx.home);
  return {
    vm_provider_name: 'gcp',
    ...common,
    gcp_credentials_file: p(absPath(str(a.gcp_credentials_file), ctx)),
    gcp_project: str(a.gcp_project),
    gcp_region: str(a.gcp_region),
    gcp_zone: str(a.gcp_zone),
    gcp_machine_type: str(a.gcp_machine_type),
    gcp_image: str(a.gcp_image),
    gcp_boot_volume_gb: num(a.gcp_boot_volume_gb),
    gcp_disk_type: str(a.gcp_disk_type),
    gcp_network: str(a.gcp_network),
    gcp_subnetwork: str(a.gcp_subnetwork),
    gcp_public_ip: a.gcp_public_ip === true,
    gcp_network_tags: parseList(str(a.gcp_network_tags)),
    gcp_custom_labels: parseMap(str(a.gcp_custom_labels)),
    gcp_metadata: [],
    gcp_guest_accelerators: parseAccelerators(str(a.gcp_guest_accelerators)),
    vm_installed_os_type: 'linux',
    startup_script_type: 'startup-script',
    // --gcp-endpoint: as --oci-endpoint, every later command talks to the same place.
    ...(ctx.gcpEndpoint ? { endpoint: ctx.gcpEndpoint } : {}),
  };
}

export function buildConfig(
  result: FlowResult,
  ctx: Ctx,
  secretFile: string,
  managerTokenFile?: string,
): Record<string, unknown> {
  const a = result.answers;
  const p = (file: string) => displayPath(file, ctx.home);
  const script = str(a.startup_script_file)
    ? { startup_script_file: p(absPath(str(a.startup_script_file), ctx)) }
    : { startup_script: DOCKER_AGENT_STARTUP_SCRIPT };
  const common = {
    vm_provider_config_name: str(a.vm_provider_config_name),
    max_instances: num(a.max_instances),
    ...script,
  };
  const provider = PROVIDER_SECTION[a.cloud as CloudName](result, ctx, common);
  return {
    // The Docker agent template needs {manager_token}; the token stays out of the file: in the
    // 0600 file init wrote (or was given), else ${KASM_MANAGER_TOKEN} when the environment has
    // it. A script without {manager_token} needs neither (the question was not asked).
    kasm: {
      url: str(a.kasm_url),
      api_key: str(a.kasm_api_key),
      api_key_secret_file: p(secretFile),
      ...(managerTokenFile
        ? { manager_token_file: p(managerTokenFile) }
        : ctx.managerTokenInEnv
          ? { manager_token: '${KASM_MANAGER_TOKEN}' }
          : {}),
    },
    providers: [provider],
    autoscale: [
      {
        autoscale_config_name: str(a.autoscale_config_name),
        enabled: true,
        vm_provider_config_name: str(a.vm_provider_config_name),
        zone_name: str(a.zone_name),
        standby_cores: num(a.standby_cores),
        standby_memory_mb: num(a.standby_memory_mb),
        standby_gpus: num(a.standby_gpus),
        downscale_backoff: num(a.downscale_backoff),
        minimum_instances: num(a.minimum_instances),
      },
    ],
  };
}

export function configYaml(config: Record<string, unknown>, now = new Date()): string {
  const doc = new Document(config);
  doc.commentBefore = [
    ` kasm-scale config, written by \`kasm-scale init\` on ${now.toISOString().slice(0, 10)}.`,
    ' Secrets are not in this file: the *_file keys name 0600 files that hold them.',
    ' Check it: kasm-scale config validate <this file>',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Same bytes already there: writing again changes nothing and needs no permission. */
export function sameContent(path: string, data: string): boolean {
  try {
    return readFileSync(path, 'utf8') === data;
  } catch {
    return false;
  }
}

export { writeSecretFileAtomic };
