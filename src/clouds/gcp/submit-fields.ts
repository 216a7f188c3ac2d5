import { COMMON, def, opt, req, type SubmitField } from '../../core/fields/submit-kinds.js';

/** Kasm's keys for a GCP provider config, in the order of Kasm's form (`config submit`, docs/submit.md). */
export const GCP_SUBMIT_FIELDS: SubmitField[] = [
  ...COMMON,
  req(
    'gcp_credentials',
    'secret',
    'secret: Kasm masks it, so it is sent with every create and update, never printed',
    { compared: false, jsonText: true },
  ),
  req('gcp_project', 'string', ''),
  req('gcp_region', 'string', ''),
  req('gcp_zone', 'string', ''),
  req('gcp_machine_type', 'string', ''),
  req('gcp_image', 'string', ''),
  req('gcp_boot_volume_gb', 'integer', ''),
  req('gcp_disk_type', 'string', ''),
  opt('gcp_cmek', 'string', '', "Google's own encryption key"),
  req('gcp_network', 'string', ''),
  req('gcp_subnetwork', 'string', ''),
  def('gcp_public_ip', 'boolean', '`false`'),
  def('gcp_network_tags', 'json-list', '`[]`'),
  def('gcp_custom_labels', 'json-dict', '`{}`'),
  def('gcp_metadata', 'json-list', '`[]`'),
  opt('gcp_service_account', 'json-dict', {}, "the project's default service account"),
  def('gcp_guest_accelerators', 'json-list', '`[]`'),
  opt('gcp_config_override', 'json-dict', {}, 'nothing to merge'),
  def('vm_installed_os_type', 'string', '`linux`', { unconfirmed: true }),
  def('startup_script_type', 'string', '`startup-script`, or `windows-startup-script-ps1` for windows', {
    unconfirmed: true,
  }),
];
