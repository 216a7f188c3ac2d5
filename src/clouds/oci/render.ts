import { InputError } from '../../core/errors.js';
import { instanceName, ownershipTags } from '../ownership.js';
import type { OciProvider } from './schema.js';
import { tokensFor, type LaunchContext } from '../launch-context.js';
import { deepMerge, isPlainObject } from '../../core/fields/merge.js';
import { translateOciOverride } from './override.js';
import { fillStartupScript } from '../../core/fields/startup-script.js';
import { ociOverrideWithSpot } from './spot.js';

/**
 * Fields the override may not change, because kasm-scale relies on them: it lists its
 * instances by compartment, picks the availability domain per launch (moving on when one
 * is out of capacity), and recognises its instances by the ownership tags.
 */
export const OCI_PINNED_FIELDS = ['compartmentId', 'availabilityDomain'] as const;

/** Flex shapes take a shapeConfig (OCPUs, memory, burstable baseline); fixed shapes refuse one. */
export function isFlexShape(shape: string): boolean {
  return /\.Flex$/i.test(shape);
}

/**
 * The exact LaunchInstanceDetails (REST camelCase, as oci-core sends it) for one agent:
 * Kasm's fields mapped onto the API, then `oci_config_override` translated from Python-SDK
 * snake_case (with the spot fields when `spot: true`) and deep-merged over them, then the pinned fields and ownership tags put back.
 * Launch and `config render` both call this; what it returns is what reaches the wire.
 * Throws InputError for an override that does not translate or a script that does not fill.
 */
export function renderOciLaunchDetails(p: OciProvider, ctx: LaunchContext): Record<string, unknown> {
  const script = fillStartupScript(p.startup_script, tokensFor(ctx));
  const owned = ownershipTags(ctx.autoscaleConfigName, ctx.serverId, ctx.ownerId);

  const base: Record<string, unknown> = {
    availabilityDomain: ctx.zone,
    compartmentId: p.oci_compartment_ocid,
    displayName: instanceName(ctx.autoscaleConfigName, ctx.serverId),
    shape: p.oci_shape,
  };
  if (isFlexShape(p.oci_shape)) {
    const shapeConfig: Record<string, unknown> = {};
    if (p.oci_flex_cpus !== undefined) shapeConfig.ocpus = p.oci_flex_cpus;
    if (p.oci_flex_memory_gb !== undefined) shapeConfig.memoryInGBs = p.oci_flex_memory_gb;
    if (p.oci_baseline_ocpu_utilization !== undefined)
      shapeConfig.baselineOcpuUtilization = p.oci_baseline_ocpu_utilization;
    if (Object.keys(shapeConfig).length) base.shapeConfig = shapeConfig;
  }
  const sourceDetails: Record<string, unknown> = {
    sourceType: 'image',
    imageId: p.oci_image_ocid,
    bootVolumeSizeInGBs: p.oci_boot_volume_gb,
  };
  if (p.oci_storage_vpus_per_gb !== undefined) sourceDetails.bootVolumeVpusPerGB = p.oci_storage_vpus_per_gb;
  base.sourceDetails = sourceDetails;
  const createVnicDetails: Record<string, unknown> = { subnetId: p.oci_subnet_ocid };
  if (p.oci_nsg_ocids.length) createVnicDetails.nsgIds = [...p.oci_nsg_ocids];
  base.createVnicDetails = createVnicDetails;
  const metadata: Record<string, string> = {};
  if (p.oci_ssh_public_key) metadata.ssh_authorized_keys = p.oci_ssh_public_key;
  metadata.user_data = Buffer.from(script, 'utf8').toString('base64');
  base.metadata = metadata;
  base.freeformTags = { ...p.oci_custom_tags, ...owned };

  const { details, problems } = translateOciOverride(ociOverrideWithSpot(p));
  if (problems.length) {
    const first = problems[0];
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    throw new InputError(`oci_config_override.${first.path}: ${first.message}${more}`, {
      hint: 'run kasm-scale config validate for every problem',
    });
  }
  const merged = deepMerge(base, details);
  for (const key of OCI_PINNED_FIELDS) merged[key] = base[key];
  merged.freeformTags = { ...(isPlainObject(merged.freeformTags) ? merged.freeformTags : {}), ...owned };
  return merged;
}
