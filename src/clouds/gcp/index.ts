import type { CloudModule } from '../module.js';
import { checkGcp } from './checks.js';
import { renderGcpInstance } from './render.js';
import { gcpFields, gcpInputSchema, gcpSchema, type GcpProvider } from './schema.js';
import { gcpOverrideWithSpot } from './spot.js';
import { GCP_SUBMIT_FIELDS } from './submit-fields.js';

/** Google Cloud: everything kasm-scale knows about it, as the registry lists it. */
export const gcp = {
  name: 'gcp',
  label: 'Google Cloud (GCP)',
  inputSchema: gcpInputSchema,
  schema: gcpSchema,
  fields: gcpFields,
  secretKeys: ['gcp_credentials'],
  fileKeys: { gcp_credentials_file: 'gcp_credentials', startup_script_file: 'startup_script' },
  nestedKeys: {
    gcp_metadata: ['key', 'value'],
    gcp_service_account: ['email', 'scopes'],
    gcp_guest_accelerators: ['acceleratorType', 'acceleratorCount'],
  },
  check: checkGcp,
  zones: (p) => [p.gcp_zone],
  render: {
    // compute.instances.insert takes the Instance resource itself.
    kind: 'Instance',
    body: renderGcpInstance,
    redact: (p, request, redacted) => {
      const items = (request.metadata as { items?: unknown } | undefined)?.items;
      if (Array.isArray(items))
        for (const item of items as { key?: unknown; value?: unknown }[])
          if (item && item.key === p.startup_script_type && typeof item.value === 'string')
            item.value = redacted('startup script', item.value);
    },
  },
  submitFields: GCP_SUBMIT_FIELDS,
  submitProvider: (p) => ({ ...p, gcp_config_override: gcpOverrideWithSpot(p) }),
  adapter: async () => (await import('./adapter.js')).createGcpAdapter,
  closeSharedClients: async () => (await import('./client.js')).closeSharedGcpClients(),
  doctor: async () => (await import('./doctor.js')).gcpChecks,
  wizard: async () => (await import('./wizard.js')).gcpWizard(),
} as const satisfies CloudModule<GcpProvider>;
