import { instanceName, ownershipTags } from '../ownership.js';
import type { GcpProvider } from './schema.js';
import { tokensFor, type LaunchContext } from '../launch-context.js';
import { deepMerge } from '../../core/fields/merge.js';
import { fillStartupScript } from '../../core/fields/startup-script.js';
import { gcpOverrideWithSpot } from './spot.js';

/** Override keys that are ignored because kasm-scale (and Kasm) own them. */
export const GCP_PINNED_FIELDS = ['name', 'labels'] as const;

/** A bare name (`pd-ssd`) becomes the zonal path GCP expects; a path or URL stays. */
function zonal(zone: string, collection: string, value: string): string {
  return value.includes('/') ? value : `zones/${zone}/${collection}/${value}`;
}

/**
 * The exact Instance resource the GCP adapter passes to
 * `InstancesClient.insert({ project, zone, instanceResource })`, in the protobuf-JSON form
 * the library serialises (int64 as strings: `diskSizeGb: "50"`). Kasm's fields first, then
 * `gcp_config_override` (with the spot scheduling when `spot: true`) deep-merged (objects merge, arrays and scalars replace), then
 * `name` and `labels` put back: neither Kasm nor kasm-scale lets the override change them.
 * Throws InputError when the startup script does not fill.
 */
export function renderGcpInstance(p: GcpProvider, ctx: LaunchContext): Record<string, unknown> {
  const zone = ctx.zone || p.gcp_zone;
  const script = fillStartupScript(p.startup_script, tokensFor(ctx));
  const name = instanceName(ctx.autoscaleConfigName, ctx.serverId);
  const labels = {
    ...p.gcp_custom_labels,
    ...ownershipTags(ctx.autoscaleConfigName, ctx.serverId, ctx.ownerId),
  };

  const disk: Record<string, unknown> = {
    boot: true,
    autoDelete: true,
    initializeParams: {
      sourceImage: p.gcp_image,
      diskSizeGb: String(p.gcp_boot_volume_gb),
      diskType: zonal(zone, 'diskTypes', p.gcp_disk_type),
    },
  };
  if (p.gcp_cmek) disk.diskEncryptionKey = { kmsKeyName: p.gcp_cmek };

  const nic: Record<string, unknown> = { network: p.gcp_network, subnetwork: p.gcp_subnetwork };
  if (p.gcp_public_ip) nic.accessConfigs = [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }];

  const base: Record<string, unknown> = {
    name,
    machineType: zonal(zone, 'machineTypes', p.gcp_machine_type),
    disks: [disk],
    networkInterfaces: [nic],
  };
  if (p.gcp_network_tags.length) base.tags = { items: [...p.gcp_network_tags] };
  base.labels = labels;
  base.metadata = {
    items: [
      ...p.gcp_metadata.map((m) => ({ key: m.key, value: m.value })),
      { key: p.startup_script_type, value: script },
    ],
  };
  if (p.gcp_service_account)
    base.serviceAccounts = [
      { email: p.gcp_service_account.email, scopes: [...p.gcp_service_account.scopes] },
    ];
  if (p.gcp_guest_accelerators.length) {
    base.guestAccelerators = p.gcp_guest_accelerators.map((a) => ({
      acceleratorType: zonal(zone, 'acceleratorTypes', a.acceleratorType),
      acceleratorCount: a.acceleratorCount,
    }));
    // GCE refuses live migration for GPU instances: they must stop on host maintenance.
    base.scheduling = { onHostMaintenance: 'TERMINATE' };
  }

  const merged = deepMerge(base, gcpOverrideWithSpot(p) ?? {});
  merged.name = name;
  merged.labels = labels;
  return merged;
}
