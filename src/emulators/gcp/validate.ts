import { gcpMessageProblems } from '../../clouds/gcp/values.js';
import { invalid, invalidField, notFound, GoogleApiError } from './google-errors.js';
import { parseRef } from './refs.js';
import { machineTypeSpec, regionOfZone, type GcpSeed, type MachineTypeSeed, type ImageSeed } from './seed.js';

/**
 * Checks an Instance body the way instances.insert does, so a rendering mistake fails in
 * tests the way it would fail at Google: unknown fields and wrong values (checked against
 * the client library's own protos, through the tables `config validate` uses), malformed
 * names/labels/tags/metadata, references to machine types, images, networks, accelerators
 * that do not exist, and GPUs without `onHostMaintenance: TERMINATE`.
 */

const NAME_RE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY_RE = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE_RE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const METADATA_KEY_RE = /^[a-zA-Z0-9_-]+$/;

/** `resource` + ['scheduling', 'nodeAffinities', 0] → `resource.scheduling.nodeAffinities[0]` */
function at(path: (string | number)[]): string {
  return path.reduce<string>(
    (p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : `${p}.${seg}`),
    'resource',
  );
}

/**
 * Names that are not fields of the message, and values not of their field's type (enum
 * values and documented ranges included), from the same generated proto tables the
 * config validator uses, answered as Google's front end answers them.
 */
function checkFields(body: unknown): void {
  const [first] = gcpMessageProblems(body, 'Instance', { lenientNumbers: true });
  if (!first) return;
  const key = first.path[first.path.length - 1];
  const parent = at(first.path.slice(0, -1));
  if (first.kind === 'unknown')
    throw new GoogleApiError(
      400,
      `Invalid JSON payload received. Unknown name "${String(key)}" at '${parent}': Cannot find field.`,
      'invalid',
    );
  throw invalidField(
    at(first.path),
    valueAt(body, first.path) ?? '',
    `${first.message[0].toUpperCase()}${first.message.slice(1)}.`,
  );
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, seg) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined),
    root,
  );
}

export interface ValidatedInstance {
  machineType: string;
  machineSpec: MachineTypeSeed;
  image: ImageSeed;
  gpus: number;
}

export function findImage(seed: GcpSeed, defaultProject: string, text: string): ImageSeed | undefined {
  const ref = parseRef(text);
  if (!ref || ref.collection !== 'images' || (!ref.global && ref.project === undefined)) return undefined;
  const project = ref.project ?? defaultProject;
  if (ref.family) return seed.images.find((i) => i.project === project && i.family === ref.name);
  return seed.images.find((i) => i.project === project && i.name === ref.name);
}

export function validateInstance(
  seed: GcpSeed,
  project: string,
  zone: string,
  body: unknown,
): ValidatedInstance {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw invalid('Invalid JSON payload received. Expected an Instance object.');
  checkFields(body);
  const inst = body as Record<string, any>;
  const region = regionOfZone(seed, zone)!;

  if (typeof inst.name !== 'string' || !NAME_RE.test(inst.name)) {
    throw invalidField(
      'resource.name',
      inst.name ?? '',
      "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
    );
  }

  const mtRef = typeof inst.machineType === 'string' ? parseRef(inst.machineType) : undefined;
  if (!mtRef || mtRef.collection !== 'machineTypes' || !mtRef.zone) {
    throw invalidField(
      'resource.machineType',
      inst.machineType ?? '',
      "Must be a match of regex '(?:(?:[-a-z0-9]{1,63}\\.)*(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?):)?(?:[0-9]{1,19}|(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?))'",
    );
  }
  if (mtRef.zone !== zone)
    throw invalidField('resource.machineType', inst.machineType, `Machine type must be in zone '${zone}'.`);
  const machineSpec = machineTypeSpec(seed, mtRef.name);
  if (!machineSpec)
    throw invalidField(
      'resource.machineType',
      inst.machineType,
      `Machine type with name '${mtRef.name}' does not exist in zone '${zone}'.`,
    );

  // Disks: exactly one boot disk created from an image we know.
  const disks = inst.disks;
  if (!Array.isArray(disks) || disks.length === 0)
    throw invalid("Invalid value for field 'resource.disks': ''. At least one disk must be specified.");
  const boots = disks.filter((d: any) => d?.boot === true);
  if (boots.length !== 1)
    throw invalid("Invalid value for field 'resource.disks': ''. Exactly one boot disk must be specified.");
  const boot = boots[0];
  const ip = boot.initializeParams;
  if (!ip || typeof ip.sourceImage !== 'string')
    throw invalid(
      "Invalid value for field 'resource.disks[0].initializeParams.sourceImage': ''. Source image must be specified.",
    );
  const image = findImage(seed, project, ip.sourceImage);
  if (!image) throw notFound(ip.sourceImage.replace(/^https?:\/\/[^/]+\/compute\/v1\//, ''));
  if (ip.diskSizeGb !== undefined) {
    const size = Number(ip.diskSizeGb);
    if (!Number.isInteger(size) || size < (image.diskSizeGb ?? 10) || size > 65536) {
      throw invalidField(
        'resource.disks[0].initializeParams.diskSizeGb',
        String(ip.diskSizeGb),
        `Requested disk size cannot be smaller than the image size (${image.diskSizeGb ?? 10} GB).`,
      );
    }
  }
  if (ip.diskType !== undefined) {
    const ref = parseRef(ip.diskType);
    const name = ref?.name;
    if (
      !ref ||
      (ref.collection !== undefined && ref.collection !== 'diskTypes') ||
      (ref.zone !== undefined && ref.zone !== zone) ||
      !seed.diskTypes.includes(name!)
    ) {
      throw invalidField(
        'resource.disks[0].initializeParams.diskType',
        ip.diskType,
        'Disk type does not exist in this zone.',
      );
    }
  }
  for (const d of disks) {
    const kms = d?.diskEncryptionKey?.kmsKeyName;
    if (
      kms !== undefined &&
      !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+(\/cryptoKeyVersions\/[^/]+)?$/.test(
        kms,
      )
    ) {
      throw invalidField(
        'resource.disks[0].diskEncryptionKey.kmsKeyName',
        kms,
        'Must be a Cloud KMS key resource name.',
      );
    }
  }

  // Networking.
  const nics = inst.networkInterfaces;
  if (!Array.isArray(nics) || nics.length === 0)
    throw invalid(
      "Invalid value for field 'resource.networkInterfaces': ''. At least one network interface must be specified.",
    );
  nics.forEach((nic: any, i: number) => {
    if (nic.network !== undefined) {
      const ref = parseRef(nic.network);
      if (
        !ref ||
        (ref.collection !== undefined && ref.collection !== 'networks') ||
        !seed.networks.includes(ref.name)
      ) {
        throw notFound(`projects/${ref?.project ?? project}/global/networks/${ref?.name ?? nic.network}`);
      }
    }
    if (nic.subnetwork !== undefined) {
      const ref = parseRef(nic.subnetwork);
      const r = ref?.region ?? region;
      if (
        !ref ||
        (ref.collection !== undefined && ref.collection !== 'subnetworks') ||
        !seed.subnetworks.some((s) => s.region === r && s.name === ref.name)
      ) {
        throw notFound(
          `projects/${ref?.project ?? project}/regions/${r}/subnetworks/${ref?.name ?? nic.subnetwork}`,
        );
      }
      if (r !== region)
        throw invalidField(
          `resource.networkInterfaces[${i}].subnetwork`,
          nic.subnetwork,
          `Subnetwork must be in region '${region}'.`,
        );
    }
    for (const ac of nic.accessConfigs ?? []) {
      if (ac.type !== undefined && ac.type !== 'ONE_TO_ONE_NAT' && ac.type !== 'DIRECT_IPV6')
        throw invalidField(
          `resource.networkInterfaces[${i}].accessConfigs[0].type`,
          ac.type,
          'Must be ONE_TO_ONE_NAT.',
        );
    }
  });

  // Labels, network tags, metadata.
  validateLabels(inst.labels ?? {}, 'resource.labels');
  const tags = inst.tags?.items ?? [];
  if (!Array.isArray(tags) || tags.length > 64)
    throw invalid("Invalid value for field 'resource.tags.items': ''. At most 64 tags.");
  for (const t of tags)
    if (typeof t !== 'string' || !NAME_RE.test(t))
      throw invalidField(
        'resource.tags.items',
        t,
        "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
      );
  const items = inst.metadata?.items ?? [];
  if (!Array.isArray(items)) throw invalidField('resource.metadata.items', items, 'Must be a list.');
  const seen = new Set<string>();
  let total = 0;
  for (const it of items) {
    if (typeof it?.key !== 'string' || !METADATA_KEY_RE.test(it.key) || Buffer.byteLength(it.key) >= 128)
      throw invalidField(
        'resource.metadata.items.key',
        it?.key ?? '',
        "Must be a match of regex '[a-zA-Z0-9-_]{1,128}'",
      );
    if (seen.has(it.key))
      throw invalidField('resource.metadata.items.key', it.key, 'Duplicate metadata key.');
    seen.add(it.key);
    const len = Buffer.byteLength(String(it.value ?? ''));
    if (len > 256 * 1024)
      throw invalid(
        `Invalid value for field 'resource.metadata.items.value': ''. Metadata value for key '${it.key}' exceeds 256 KiB.`,
      );
    total += len + Buffer.byteLength(it.key);
  }
  if (total > 512 * 1024)
    throw invalid("Invalid value for field 'resource.metadata': ''. Metadata exceeds 512 KiB in total.");

  // Accelerators need a host-maintenance policy that stops the VM.
  let gpus = (machineSpec.accelerators ?? []).reduce((n, a) => n + a.guestAcceleratorCount, 0);
  for (const [i, acc] of (inst.guestAccelerators ?? []).entries()) {
    const ref = parseRef(acc?.acceleratorType ?? '');
    if (!ref || (ref.collection !== undefined && ref.collection !== 'acceleratorTypes'))
      throw invalidField(
        `resource.guestAccelerators[${i}].acceleratorType`,
        acc?.acceleratorType ?? '',
        'Must be zones/ZONE/acceleratorTypes/TYPE.',
      );
    if (ref.zone !== undefined && ref.zone !== zone)
      throw invalidField(
        `resource.guestAccelerators[${i}].acceleratorType`,
        acc.acceleratorType,
        `Accelerator type must be in zone '${zone}'.`,
      );
    const type = seed.acceleratorTypes[ref.name];
    if (!type) throw notFound(`projects/${project}/zones/${zone}/acceleratorTypes/${ref.name}`);
    const count = Number(acc.acceleratorCount);
    if (!Number.isInteger(count) || count < 1 || count > type.maximumCardsPerInstance)
      throw invalidField(
        `resource.guestAccelerators[${i}].acceleratorCount`,
        String(acc.acceleratorCount),
        `Must be between 1 and ${type.maximumCardsPerInstance}.`,
      );
    gpus += count;
  }
  if (gpus > 0 && inst.scheduling?.onHostMaintenance !== 'TERMINATE') {
    throw invalid(
      "Invalid value for field 'resource.scheduling.onHostMaintenance': 'MIGRATE'. Instances with guest accelerators do not support live migration.",
    );
  }
  for (const sa of inst.serviceAccounts ?? []) {
    if (typeof sa?.email !== 'string' || !(sa.email === 'default' || /@/.test(sa.email)))
      throw invalidField(
        'resource.serviceAccounts[0].email',
        sa?.email ?? '',
        'Must be an email address or "default".',
      );
  }
  return { machineType: mtRef.name, machineSpec, image, gpus };
}

export function validateLabels(labels: unknown, field: string): void {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels))
    throw invalidField(field, labels, 'Labels must be a map.');
  if (Object.keys(labels).length > 64)
    throw invalid(`Invalid value for field '${field}': ''. Too many labels (max 64).`);
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    if (!LABEL_KEY_RE.test(k))
      throw invalidField(
        field,
        k,
        'Label keys must start with a lowercase letter and contain only lowercase letters, digits, underscores and dashes (max 63).',
      );
    if (typeof v !== 'string' || !LABEL_VALUE_RE.test(v))
      throw invalidField(
        `${field}.${k}`,
        v,
        'Label values may contain only lowercase letters, digits, underscores and dashes (max 63).',
      );
  }
}
