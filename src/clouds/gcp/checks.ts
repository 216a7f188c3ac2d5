import type { PathSegments } from '../../core/fields/path.js';
import { defaultScriptType, GCP_METADATA_TOTAL_LIMIT, GCP_PATTERNS, gcpFields } from './schema.js';
import { isBlank, valid, type CheckContext } from '../../core/fields/check-context.js';
import { gcpSpotProblems } from './spot.js';

/** GCP rules that involve more than one field. */
export function checkGcp(p: Record<string, unknown>, at: PathSegments, ctx: CheckContext): void {
  if (isBlank(p.startup_script) && p.startup_script_file === undefined)
    ctx.add(
      [...at, 'startup_script'],
      'missing startup_script; expected the script Kasm runs on each new agent (inline, or startup_script_file: a path)',
    );
  const hasKey = !isBlank(p.gcp_credentials) || p.gcp_credentials_file !== undefined;
  if (p.gcp_auth === 'adc' && hasKey)
    ctx.add(
      [...at, p.gcp_credentials_file !== undefined ? 'gcp_credentials_file' : 'gcp_credentials'],
      'gcp_auth: adc and a service account key are both set; expected exactly one: remove gcp_auth to use the key, or remove the key to use Application Default Credentials',
      { atKey: true },
    );
  else if (p.gcp_auth !== 'adc' && !hasKey)
    ctx.add(
      [...at, 'gcp_credentials'],
      'missing gcp_credentials; expected the service account key JSON (inline or ${ENV}), gcp_credentials_file: a path, or gcp_auth: adc to use the credentials of the machine (see docs/credentials.md)',
    );

  const region = valid(gcpFields.gcp_region, p.gcp_region);
  const zone = valid(gcpFields.gcp_zone, p.gcp_zone);
  if (region && zone && !zone.startsWith(`${region}-`))
    ctx.add(
      [...at, 'gcp_zone'],
      `zone ${zone} is not in region ${region}; expected a zone of ${region}, such as ${region}-a`,
      { found: zone },
    );

  const subnet = valid(gcpFields.gcp_subnetwork, p.gcp_subnetwork);
  const subnetRegion = subnet ? GCP_PATTERNS.subnetwork.exec(subnet)?.[1] : undefined;
  if (region && subnetRegion && subnetRegion !== region)
    ctx.add(
      [...at, 'gcp_subnetwork'],
      `the subnetwork is in region ${subnetRegion}; expected a subnetwork of gcp_region ${region} (projects/<p>/regions/${region}/subnetworks/<name>)`,
    );

  // Item by item: one malformed accelerator does not hide another's zone mismatch.
  jsonItems(p.gcp_guest_accelerators).forEach((a, i) => {
    const type =
      typeof a === 'object' && a !== null ? (a as { acceleratorType?: unknown }).acceleratorType : undefined;
    const z = typeof type === 'string' ? GCP_PATTERNS.accelerator.exec(type)?.[1] : undefined;
    if (zone && z && z !== zone)
      ctx.add(
        [...at, 'gcp_guest_accelerators', i, 'acceleratorType'],
        `the accelerator type is in zone ${z}; expected one of gcp_zone ${zone}`,
      );
  });

  const os = valid(gcpFields.vm_installed_os_type, p.vm_installed_os_type) ?? 'linux';
  const scriptType = valid(gcpFields.startup_script_type, p.startup_script_type);
  if (scriptType && (os === 'windows') !== scriptType.startsWith('windows-'))
    ctx.add(
      [...at, 'startup_script_type'],
      os === 'windows'
        ? `${scriptType} is a Linux script key but vm_installed_os_type is windows; expected windows-startup-script-ps1, -cmd or -bat`
        : `${scriptType} is a Windows script key but vm_installed_os_type is ${os}; expected startup-script (or set vm_installed_os_type: windows)`,
      { found: scriptType },
    );
  const scriptKey = scriptType ?? defaultScriptType(os);

  // Item by item, so a clash is reported even when another item (a duplicate key) is wrong.
  const metadata = metadataItems(p.gcp_metadata);
  metadata.forEach((m, i) => {
    if (m.key === scriptKey)
      ctx.add(
        [...at, 'gcp_metadata', i, 'key'],
        `metadata key "${m.key}" is where kasm-scale puts startup_script (startup_script_type ${scriptKey}); expected another key, or put the script in startup_script`,
        { found: m.key },
      );
  });
  const script = typeof p.startup_script === 'string' ? p.startup_script : '';
  const total = [...metadata.map((m) => m.key + m.value), scriptKey + script].reduce(
    (n, s) => n + Buffer.byteLength(s),
    0,
  );
  if (total >= GCP_METADATA_TOTAL_LIMIT)
    ctx.add(
      [...at, 'gcp_metadata'],
      `metadata keys and values, the startup script included, total ${total} bytes; expected less than ${GCP_METADATA_TOTAL_LIMIT} (GCP's limit)`,
    );

  if (p.spot === true)
    for (const x of gcpSpotProblems({
      gcp_machine_type: valid(gcpFields.gcp_machine_type, p.gcp_machine_type),
      gcp_config_override: valid(gcpFields.gcp_config_override, p.gcp_config_override),
    }))
      ctx.add([...at, x.key], x.message, { atKey: true });
}

/** The {key, value} items of gcp_metadata that are well-formed on their own (the list may still have other problems). */
function metadataItems(v: unknown): { key: string; value: string }[] {
  return jsonItems(v).filter(
    (m): m is { key: string; value: string } =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as { key?: unknown }).key === 'string' &&
      typeof (m as { value?: unknown }).value === 'string',
  );
}

/** The items of a list field given as a list or as JSON text holding one; [] otherwise. */
function jsonItems(v: unknown): unknown[] {
  let list = v;
  if (typeof v === 'string') {
    try {
      list = v.trim() === '' ? [] : JSON.parse(v);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? list : [];
}
