import { COMMON, def, opt, req, type SubmitField } from '../../core/fields/submit-kinds.js';

/** Kasm's keys for an OCI provider config, in the order of Kasm's form (`config submit`, docs/submit.md). */
export const OCI_SUBMIT_FIELDS: SubmitField[] = [
  ...COMMON,
  req('oci_user_ocid', 'string', ''),
  req('oci_fingerprint', 'string', ''),
  req(
    'oci_private_key',
    'secret',
    'secret: Kasm masks it, so it is sent with every create and update, never printed',
    { compared: false },
  ),
  req('oci_region', 'string', ''),
  req('oci_tenancy_ocid', 'string', ''),
  req('oci_compartment_ocid', 'string', ''),
  def('oci_nsg_ocids', 'json-list', '`[]`'),
  req('oci_availability_domains', 'json-list', 'a non-empty list'),
  req('oci_image_ocid', 'string', ''),
  req('oci_shape', 'string', ''),
  opt(
    'oci_flex_cpus',
    'integer',
    0,
    'set only with .Flex shapes (validate refuses it otherwise); a fixed shape does not read it',
  ),
  opt(
    'oci_baseline_ocpu_utilization',
    'string',
    '',
    'as `oci_flex_cpus`; with a Flex shape "" means OCI\'s default (not burstable)',
  ),
  opt('oci_flex_memory_gb', 'integer', 0, 'as `oci_flex_cpus`'),
  req('oci_boot_volume_gb', 'integer', ''),
  opt(
    'oci_storage_vpus_per_gb',
    'integer',
    10,
    "OCI's own default for a boot volume (Balanced); 0 is outside OCI's 10–120 and could fail a launch if Kasm passed it on",
    { alsoUnset: [0] },
  ),
  def('oci_custom_tags', 'json-dict', '`{}`'),
  req('oci_subnet_ocid', 'string', ''),
  opt('oci_ssh_public_key', 'string', '', 'no SSH key'),
  opt('oci_config_override', 'json-dict', {}, 'nothing to merge'),
];
