/**
 * GCP's part of `kasm-scale init`: the service account key file, then the project, zone,
 * machine and network questions, each checked by the schema `config validate` uses.
 */
import {
  absPath,
  checkInt,
  checkText,
  displayPath,
  fieldCheck,
  fileProblem,
  readText,
  via,
} from '../../core/wizard/answer-checks.js';
import { parseAccelerators, parseIntLoose, parseList, parseMap } from '../../core/wizard/parse.js';
import type { Question } from '../../core/wizard/question.js';
import type { CloudWizard } from '../wizard-types.js';
import { gcpFields as gcp } from './schema.js';

export const GCP_QUESTIONS: Question[] = [
  {
    id: 'gcp_credentials_file',
    kind: 'input',
    message: 'Service account key JSON file',
    validate: (raw, _a, ctx) => {
      const problem = fileProblem(raw, ctx, 'the service account key JSON file');
      if (problem) return problem;
      let json: unknown;
      try {
        json = JSON.parse(readText(raw, ctx));
      } catch {
        return `${absPath(raw, ctx)} is not JSON; expected the service account key file downloaded from IAM → Service Accounts → Keys`;
      }
      return fieldCheck(gcp.gcp_credentials)(json);
    },
  },
  {
    id: 'gcp_project',
    kind: 'input',
    message: 'Project ID',
    default: (a, ctx) => {
      try {
        const j = JSON.parse(readText(String(a.gcp_credentials_file), ctx)) as { project_id?: string };
        return j.project_id;
      } catch {
        return undefined;
      }
    },
    validate: checkText(gcp.gcp_project),
  },
  {
    id: 'gcp_region',
    kind: 'input',
    message: 'Region',
    default: 'us-east4',
    validate: checkText(gcp.gcp_region),
  },
  {
    id: 'gcp_zone',
    kind: 'input',
    message: 'Zone',
    default: (a) => `${String(a.gcp_region)}-b`,
    validate: (raw, a) => {
      const base = checkText(gcp.gcp_zone)(raw);
      if (base) return base;
      const region = String(a.gcp_region);
      return raw.trim().startsWith(`${region}-`)
        ? undefined
        : `zone ${raw.trim()} is not in region ${region}; expected a zone such as ${region}-b`;
    },
  },
  {
    id: 'gcp_machine_type',
    kind: 'input',
    message: 'Machine type',
    default: 'e2-standard-4',
    validate: checkText(gcp.gcp_machine_type),
  },
  {
    id: 'gcp_image',
    kind: 'input',
    message: 'Image',
    default: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    validate: checkText(gcp.gcp_image),
  },
  {
    id: 'gcp_boot_volume_gb',
    kind: 'input',
    message: 'Boot volume, GB (at least 50)',
    default: '80',
    validate: checkInt(gcp.gcp_boot_volume_gb),
  },
  {
    id: 'gcp_disk_type',
    kind: 'input',
    message: 'Disk type',
    default: 'pd-balanced',
    validate: checkText(gcp.gcp_disk_type),
  },
  {
    id: 'gcp_network',
    kind: 'input',
    message: 'Network',
    default: (a) => `projects/${String(a.gcp_project)}/global/networks/default`,
    validate: checkText(gcp.gcp_network),
  },
  {
    id: 'gcp_subnetwork',
    kind: 'input',
    message: 'Subnetwork',
    default: (a) => `projects/${String(a.gcp_project)}/regions/${String(a.gcp_region)}/subnetworks/default`,
    validate: (raw, a) => {
      const base = checkText(gcp.gcp_subnetwork)(raw);
      if (base) return base;
      const m = /\/regions\/([^/]+)\//.exec(raw);
      return m && m[1] !== a.gcp_region
        ? `the subnetwork is in region ${m[1]}, not ${String(a.gcp_region)}; expected projects/<p>/regions/${String(a.gcp_region)}/subnetworks/<name>`
        : undefined;
    },
  },
  { id: 'gcp_public_ip', kind: 'confirm', message: 'Give agents a public IP?', default: true },
  {
    id: 'gcp_custom_labels',
    kind: 'input',
    message: 'Labels, key=value comma-separated (empty for none)',
    optional: true,
    validate: via(parseMap, fieldCheck(gcp.gcp_custom_labels)),
  },
  {
    id: 'gcp_network_tags',
    kind: 'input',
    message: 'Network tags, comma-separated (empty for none)',
    optional: true,
    validate: via(parseList, fieldCheck(gcp.gcp_network_tags)),
  },
  {
    id: 'gcp_guest_accelerators',
    kind: 'input',
    message: 'GPUs per agent as TYPE:COUNT, e.g. nvidia-tesla-t4:1 (empty for none)',
    optional: true,
    validate: via(parseAccelerators, fieldCheck(gcp.gcp_guest_accelerators)),
  },
];

const num = (v: unknown) => parseIntLoose(String(v ?? ''));
const str = (v: unknown) => String(v ?? '').trim();

/** A fresh wizard per init run. */
export function gcpWizard(): CloudWizard {
  return {
    endpointFlag: {
      flag: '--gcp-endpoint',
      what: 'a GCP Compute-compatible API, e.g. http://127.0.0.1:8124 for kasm-scale emulator gcp',
    },
    questionIds: GCP_QUESTIONS.map((q) => q.id),
    run: async (host) => {
      for (const q of GCP_QUESTIONS) await host.ask(q, host.ctx);
      await host.askShared();
      const { answers: a, ctx, endpoint } = host;
      return {
        section: (common) => ({
          vm_provider_name: 'gcp',
          ...common,
          gcp_credentials_file: displayPath(absPath(str(a.gcp_credentials_file), ctx), ctx.home),
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
          // --gcp-endpoint: every later command talks to the same place init did.
          ...(endpoint ? { endpoint } : {}),
        }),
      };
    },
  };
}
