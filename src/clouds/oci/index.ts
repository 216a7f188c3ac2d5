import type { CloudModule } from '../module.js';
import { checkOci } from './checks.js';
import { renderOciLaunchDetails } from './render.js';
import { ociFields, ociInputSchema, ociSchema, type OciProvider } from './schema.js';
import { ociOverrideWithSpot } from './spot.js';
import { OCI_SUBMIT_FIELDS } from './submit-fields.js';

/** Oracle Cloud: everything kasm-scale knows about it, as the registry lists it. */
export const oci = {
  name: 'oci',
  label: 'Oracle Cloud (OCI)',
  inputSchema: ociInputSchema,
  schema: ociSchema,
  fields: ociFields,
  secretKeys: ['oci_private_key', 'oci_private_key_passphrase'],
  fileKeys: {
    oci_private_key_file: 'oci_private_key',
    oci_private_key_passphrase_file: 'oci_private_key_passphrase',
    startup_script_file: 'startup_script',
  },
  // The security_token mode's OCI config file: oci-common reads it (profile, token and key paths).
  pathKeys: ['oci_config_file'],
  check: checkOci,
  zones: (p) => [...p.oci_availability_domains],
  render: {
    kind: 'LaunchInstanceDetails',
    body: renderOciLaunchDetails,
    redact: (_p, request, redacted) => {
      const metadata = request.metadata as Record<string, unknown> | undefined;
      if (metadata && typeof metadata.user_data === 'string')
        metadata.user_data = redacted('user_data (base64 startup script)', metadata.user_data);
    },
  },
  submitFields: OCI_SUBMIT_FIELDS,
  submitProvider: (p) => ({ ...p, oci_config_override: ociOverrideWithSpot(p) }),
  submitNotes: (p) =>
    p.oci_private_key_passphrase
      ? [
          'oci_private_key_passphrase is not sent: Kasm has no passphrase field, so Kasm needs an unencrypted private key',
        ]
      : [],
  adapter: async () => (await import('./adapter.js')).createOciAdapter,
  doctor: async () => (await import('./doctor.js')).ociChecks,
  wizard: async () => (await import('./wizard.js')).ociWizard(),
} as const satisfies CloudModule<OciProvider>;
