/**
 * The OCI CloudAdapter on oci-core: list (paging through the compartment), launch (body from
 * renderOciLaunchDetails, idempotent via opc-retry-token), terminate and tag only what
 * carries our ownership tags, and read the shape's size. Every call goes through one
 * bounded retry (throttled/transient only) and one error classification.
 */
import { createHash } from 'node:crypto';
import type * as core from 'oci-core';
import type { OciProvider } from './schema.js';
import { renderOciLaunchDetails } from './render.js';
import type { AdapterOptions } from '../types.js';
import {
  isOwned,
  ownsInstance,
  patchTags,
  poolLabel,
  TAG_IDLE_SINCE,
  TAG_POOL,
  TAG_SERVER_ID,
} from '../ownership.js';
import { retryOnConflict, withRetry } from '../retry.js';
import {
  CloudError,
  type AgentSize,
  type CloudAdapter,
  type InstanceState,
  type LaunchRequest,
  type LaunchResult,
  type OwnedInstance,
} from '../types.js';
import { createOciClients } from './client.js';
import { classifyOciError, ociErrorKind } from './errors.js';

export type OciAdapterOptions = AdapterOptions;

const STATES: Record<string, InstanceState> = {
  PROVISIONING: 'provisioning',
  STARTING: 'provisioning',
  RUNNING: 'running',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
  TERMINATING: 'terminating',
  TERMINATED: 'terminated',
};

/** Ampere (Arm) shapes count one vCPU per OCPU; x86 shapes two (one core, two threads). */
export function vcpusPerOcpu(shape: string, processorDescription?: string): number {
  return /\.A\d+(\.|$)/i.test(shape) || /ampere|arm/i.test(processorDescription ?? '') ? 1 : 2;
}

/** opc-retry-token allows at most 64 characters; longer keys are hashed (stable). */
export function retryTokenFor(idempotencyKey: string): string {
  return /^[A-Za-z0-9._:-]{1,64}$/.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');
}

export function createOciAdapter(p: OciProvider, opts: OciAdapterOptions = {}): CloudAdapter {
  const clients = createOciClients(p);
  const { compute } = clients;
  const byLabel = new Map((opts.poolNames ?? []).map((n) => [poolLabel(n), n]));

  /** One SDK call: our retry around it, classified on the way out. */
  async function call<T>(operation: string, fn: () => Promise<T>, zone?: string): Promise<T> {
    try {
      return await withRetry(fn, {
        classify: (err) => {
          const kind = ociErrorKind(err);
          const id =
            typeof err === 'object' && err !== null
              ? (err as { opcRequestId?: string | null }).opcRequestId
              : undefined;
          return { kind, retryAfterMs: clients.takeRetryAfter(id) };
        },
        ...opts.retry,
        sleep: opts.sleep,
        random: opts.random,
      });
    } catch (err) {
      throw classifyOciError(err, { operation, zone, endpoint: clients.endpoint });
    }
  }

  function toOwned(i: core.models.Instance, fallbackPool?: string): OwnedInstance {
    const tags = { ...(i.freeformTags ?? {}) };
    const idle = Number(tags[TAG_IDLE_SINCE]);
    const label = tags[TAG_POOL] ?? '';
    return {
      id: i.id,
      name: i.displayName ?? i.id,
      state: STATES[i.lifecycleState] ?? 'other',
      cloudState: String(i.lifecycleState),
      zone: i.availabilityDomain,
      createdAt: new Date(i.timeCreated as unknown as string),
      autoscaleConfigName: fallbackPool ?? byLabel.get(label) ?? label,
      serverId: tags[TAG_SERVER_ID] ?? '',
      idleSince:
        tags[TAG_IDLE_SINCE] !== undefined && Number.isFinite(idle) ? new Date(idle * 1000) : undefined,
      tags,
    };
  }

  async function listOwned(): Promise<OwnedInstance[]> {
    const out: OwnedInstance[] = [];
    let page: string | undefined;
    // Compartment-wide, not per configured AD: an instance in an AD that was removed from
    // the config is still ours to see (and eventually remove).
    do {
      const res = await call('ListInstances', () =>
        compute.listInstances({ compartmentId: p.oci_compartment_ocid, limit: 1000, page }),
      );
      for (const i of res.items) {
        if (i.lifecycleState === 'TERMINATED' || !isOwned(i.freeformTags)) continue;
        out.push(toOwned(i));
      }
      page = res.opcNextPage ?? undefined;
    } while (page);
    return out;
  }

  async function launch(req: LaunchRequest): Promise<LaunchResult> {
    let details: Record<string, unknown>;
    try {
      details = renderOciLaunchDetails(p, {
        autoscaleConfigName: req.autoscaleConfigName,
        serverId: req.serverId,
        zone: req.zone,
        scriptTokens: req.scriptTokens,
        ...(req.ownerId ? { ownerId: req.ownerId } : {}),
      });
    } catch (err) {
      throw new CloudError({
        kind: 'invalid',
        cloud: 'oci',
        message: `provider ${p.vm_provider_config_name}: ${(err as Error).message}`,
        zone: req.zone,
        cause: err,
      });
    }
    const res = await call(
      'LaunchInstance',
      () =>
        compute.launchInstance({
          launchInstanceDetails: details as unknown as core.models.LaunchInstanceDetails,
          opcRetryToken: retryTokenFor(req.idempotencyKey),
        }),
      req.zone,
    );
    return { instance: toOwned(res.instance, req.autoscaleConfigName), requestId: res.opcRequestId };
  }

  function refuseUnowned(
    tags: Record<string, string> | undefined,
    instance: OwnedInstance,
    what: string,
  ): void {
    if (!ownsInstance(tags, instance.serverId)) {
      throw new CloudError({
        kind: 'invalid',
        cloud: 'oci',
        message: `refusing to ${what} ${instance.id}: it does not carry kasm-scale's ownership tags`,
        zone: instance.zone,
      });
    }
  }

  async function terminate(instance: OwnedInstance): Promise<{ requestId?: string }> {
    refuseUnowned(instance.tags, instance, 'terminate');
    // Check the live tags too: the caller's copy may be stale or hand-made.
    const live = await call(
      'GetInstance',
      () => compute.getInstance({ instanceId: instance.id }),
      instance.zone,
    );
    refuseUnowned(live.instance.freeformTags, instance, 'terminate');
    if (live.instance.lifecycleState === 'TERMINATING' || live.instance.lifecycleState === 'TERMINATED')
      return { requestId: live.opcRequestId };
    const res = await call(
      'TerminateInstance',
      () => compute.terminateInstance({ instanceId: instance.id, preserveBootVolume: false }),
      instance.zone,
    );
    return { requestId: res.opcRequestId };
  }

  async function updateTags(instance: OwnedInstance, patch: Record<string, string | null>): Promise<void> {
    refuseUnowned(instance.tags, instance, 'retag');
    // The API replaces the whole map: read, change ours, write back with the etag so a
    // concurrent change is never lost (412 → read again).
    await retryOnConflict(3, async () => {
      const got = await call(
        'GetInstance',
        () => compute.getInstance({ instanceId: instance.id }),
        instance.zone,
      );
      const current = got.instance.freeformTags ?? {};
      refuseUnowned(current, instance, 'retag');
      const tags = patchTags(current, patch);
      await call(
        'UpdateInstance',
        () =>
          compute.updateInstance({
            instanceId: instance.id,
            updateInstanceDetails: { freeformTags: tags },
            ifMatch: got.etag,
          }),
        instance.zone,
      );
      instance.tags = tags;
    });
  }

  async function agentSize(): Promise<AgentSize> {
    const perOcpu = vcpusPerOcpu(p.oci_shape);
    if (p.oci_flex_cpus !== undefined && p.oci_flex_memory_gb !== undefined) {
      return { cores: p.oci_flex_cpus * perOcpu, memoryMb: Math.round(p.oci_flex_memory_gb * 1024), gpus: 0 };
    }
    const zone = p.oci_availability_domains[0];
    const shapes: core.models.Shape[] = [];
    let page: string | undefined;
    do {
      const res = await call(
        'ListShapes',
        () =>
          compute.listShapes({
            compartmentId: p.oci_compartment_ocid,
            availabilityDomain: zone,
            imageId: p.oci_image_ocid,
            page,
          }),
        zone,
      );
      shapes.push(...res.items);
      page = res.opcNextPage ?? undefined;
    } while (page);
    const s = shapes.find((x) => x.shape === p.oci_shape);
    if (!s)
      throw new CloudError({
        kind: 'not_found',
        cloud: 'oci',
        message: `shape ${p.oci_shape} is not offered in ${zone} for image ${p.oci_image_ocid}`,
        zone,
      });
    const ocpus = p.oci_flex_cpus ?? s.ocpus ?? 0;
    const memGb = p.oci_flex_memory_gb ?? s.memoryInGBs ?? 0;
    return {
      cores: ocpus * vcpusPerOcpu(p.oci_shape, s.processorDescription),
      memoryMb: Math.round(memGb * 1024),
      gpus: s.gpus ?? 0,
    };
  }

  return {
    kind: 'oci',
    providerName: p.vm_provider_config_name,
    zones: () => [...p.oci_availability_domains],
    listOwned,
    launch,
    terminate,
    updateTags,
    agentSize,
    async close() {
      clients.compute.close?.();
      clients.network.close?.();
    },
  };
}
