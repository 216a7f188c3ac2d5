import type { ObjectStorageState } from './object-storage.js';
/**
 * The OCI emulator's state: instances with lazily computed lifecycle (from the injected
 * clock, so tests advance time instead of sleeping), retry tokens, seeded read-only
 * objects and registered API keys. Plain JSON so `--state FILE` can persist it.
 */

export interface SeedShape {
  shape: string;
  ocpus: number;
  memoryInGBs: number;
  isFlexible?: boolean;
  gpus?: number;
  /** Shape.gpuDescription, e.g. "NVIDIA® Tesla® V100" (GPU shapes only). */
  gpuDescription?: string;
  /** ADs offering it; default: every seeded AD. */
  availabilityDomains?: string[];
  /** Images it is compatible with; default: every image. */
  imageIds?: string[];
  ocpuOptions?: { min: number; max: number };
  memoryOptions?: {
    minInGBs: number;
    maxInGBs: number;
    defaultPerOcpuInGBs?: number;
    minPerOcpuInGBs?: number;
    maxPerOcpuInGBs?: number;
  };
  processorDescription?: string;
}

export interface OciSeed {
  availabilityDomains?: string[];
  compartments?: Array<{ id: string; name?: string; lifecycleState?: string }>;
  images?: Array<{
    id: string;
    displayName?: string;
    operatingSystem?: string;
    operatingSystemVersion?: string;
    compartmentId?: string;
    lifecycleState?: string;
  }>;
  subnets?: Array<{
    id: string;
    vcnId?: string;
    compartmentId?: string;
    availabilityDomain?: string | null;
    cidrBlock?: string;
    displayName?: string;
  }>;
  networkSecurityGroups?: Array<{ id: string; vcnId?: string; compartmentId?: string; displayName?: string }>;
  shapes?: SeedShape[];
}

export interface StoredInstance {
  id: string;
  seq: number;
  /** The LaunchInstanceDetails exactly as received (parsed JSON). */
  details: Record<string, any>;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  displayName: string;
  createdAt: number;
  /** When PROVISIONING turns RUNNING; null: never (fault). */
  runningAt: number | null;
  terminateRequestedAt?: number;
  /** Set when the emulator preempted it (preemptible capacity reclaimed): it terminates as its preemption action says. */
  preemptedAt?: number;
  version: number;
  runningEmitted?: boolean;
  terminatedEmitted?: boolean;
}

export interface OciState {
  seq: number;
  instances: StoredInstance[];
  retryTokens: Record<string, { instanceId: string; bodyHash: string; at: number }>;
  seed: Required<OciSeed>;
  keys: Record<string, string>;
  /** Object Storage (object-storage.ts); absent in state files written before it existed. */
  objectStorage?: ObjectStorageState;
}

export function emptyState(seed: OciSeed = {}): OciState {
  return {
    seq: 0,
    instances: [],
    retryTokens: {},
    seed: {
      availabilityDomains: seed.availabilityDomains ?? [],
      compartments: seed.compartments ?? [],
      images: seed.images ?? [],
      subnets: seed.subnets ?? [],
      networkSecurityGroups: seed.networkSecurityGroups ?? [],
      shapes: seed.shapes ?? [],
    },
    keys: {},
  };
}

export type LifecycleState = 'PROVISIONING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED';

export function lifecycleOf(i: StoredInstance, now: number, terminatingDelayMs: number): LifecycleState {
  if (i.terminateRequestedAt !== undefined) {
    return now >= i.terminateRequestedAt + terminatingDelayMs ? 'TERMINATED' : 'TERMINATING';
  }
  if (i.runningAt !== null && now >= i.runningAt) return 'RUNNING';
  return 'PROVISIONING';
}

/** The Instance resource as the REST API returns it. */
export function instanceJson(
  i: StoredInstance,
  state: LifecycleState,
  region: string,
): Record<string, unknown> {
  const d = i.details;
  const sc = d.shapeConfig ?? {};
  return {
    id: i.id,
    availabilityDomain: d.availabilityDomain,
    compartmentId: d.compartmentId,
    displayName: i.displayName,
    shape: d.shape,
    shapeConfig: {
      ocpus: sc.ocpus ?? 1,
      memoryInGBs: sc.memoryInGBs ?? 16,
      vcpus: sc.vcpus ?? (sc.ocpus ?? 1) * 2,
      ...(sc.baselineOcpuUtilization ? { baselineOcpuUtilization: sc.baselineOcpuUtilization } : {}),
    },
    sourceDetails: d.sourceDetails ?? { sourceType: 'image', imageId: d.imageId },
    imageId: d.sourceDetails?.imageId ?? d.imageId,
    metadata: d.metadata ?? {},
    extendedMetadata: d.extendedMetadata ?? {},
    freeformTags: i.freeformTags,
    definedTags: i.definedTags,
    systemTags: {},
    faultDomain: d.faultDomain ?? 'FAULT-DOMAIN-1',
    launchMode: 'PARAVIRTUALIZED',
    ...(d.agentConfig ? { agentConfig: d.agentConfig } : {}),
    ...(d.instanceOptions ? { instanceOptions: d.instanceOptions } : {}),
    ...(d.preemptibleInstanceConfig ? { preemptibleInstanceConfig: d.preemptibleInstanceConfig } : {}),
    lifecycleState: state,
    region,
    timeCreated: new Date(i.createdAt).toISOString(),
  };
}
