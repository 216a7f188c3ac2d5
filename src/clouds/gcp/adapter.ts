/**
 * The GCP CloudAdapter on @google-cloud/compute (REST): list what carries our labels
 * across the project's zones, launch (Instance from
 * renderGcpInstance, idempotent via a requestId derived from the launch, then a bounded
 * zoneOperations.wait loop whose errors — stockout, quota — are classified), terminate and
 * relabel only what we own (setLabels with the label fingerprint), and read the machine
 * type's size. One retry policy (withRetry) and one classification for every call.
 */
import type { protos } from '@google-cloud/compute';
import type { GcpProvider } from './schema.js';
import { renderGcpInstance } from './render.js';
import type { AdapterOptions } from '../types.js';
import {
  isOwned,
  ownsInstance,
  patchTags,
  poolLabel,
  requestIdFor,
  TAG_IDLE_SINCE,
  TAG_MANAGED,
  TAG_MANAGED_VALUE,
  TAG_POOL,
  TAG_SERVER_ID,
} from '../ownership.js';
import { defaultSleep, retryOnConflict, withRetry } from '../retry.js';
import {
  CloudError,
  type AgentSize,
  type CloudAdapter,
  type InstanceState,
  type LaunchRequest,
  type LaunchResult,
  type OwnedInstance,
} from '../types.js';
import { closeGcpClients, createGcpClients, NO_LIBRARY_RETRY } from './client.js';
import { classifyGcpError, gcpErrorKind, operationError } from './errors.js';

type Instance = protos.google.cloud.compute.v1.IInstance;
type Operation = protos.google.cloud.compute.v1.IOperation;

export interface GcpAdapterOptions extends AdapterOptions {
  /** zoneOperations.wait calls per operation before giving up waiting (default 10). */
  maxOperationWaits?: number;
  /** Pause between two waits that came back unfinished (default 1000 ms; Google's wait itself blocks up to ~2 min). */
  operationPollMs?: number;
}

const STATES: Record<string, InstanceState> = {
  PROVISIONING: 'provisioning',
  STAGING: 'provisioning',
  RUNNING: 'running',
  REPAIRING: 'other',
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  SUSPENDED: 'stopped',
  STOPPED: 'stopped',
  // GCE's TERMINATED is "stopped" (the VM and its disk still exist and still count);
  // a deleted instance simply disappears from the list.
  TERMINATED: 'stopped',
};

/** Our ownership marks; updateTags never changes them (that would orphan the instance). */
const OWNERSHIP_KEYS = new Set([TAG_MANAGED, TAG_POOL, TAG_SERVER_ID]);
const OWNED_FILTER = `labels.${TAG_MANAGED} = "${TAG_MANAGED_VALUE}"`;

const lastSegment = (s: string | null | undefined): string => (s ?? '').split('/').pop() ?? '';

export async function createGcpAdapter(p: GcpProvider, opts: GcpAdapterOptions = {}): Promise<CloudAdapter> {
  const clients = await createGcpClients(p, { shared: opts.shareClients });
  const { instances, zoneOperations, machineTypes } = clients;
  const project = p.gcp_project;
  const byLabel = new Map((opts.poolNames ?? []).map((n) => [poolLabel(n), n]));
  const sleep = opts.sleep ?? defaultSleep;
  let sizeCache: AgentSize | undefined;

  /** One library call: our retry around it, classified on the way out. */
  async function call<T>(
    operation: string,
    fn: () => Promise<T>,
    ctx: { zone?: string; requestId?: string } = {},
  ): Promise<T> {
    try {
      return await withRetry(fn, {
        classify: gcpErrorKind,
        ...opts.retry,
        sleep: opts.sleep,
        random: opts.random,
      });
    } catch (err) {
      throw classifyGcpError(err, {
        operation,
        zone: ctx.zone,
        requestId: ctx.requestId,
        endpoint: clients.endpoint,
        project,
      });
    }
  }

  function toOwned(i: Instance, fallbackPool?: string): OwnedInstance {
    const tags: Record<string, string> = { ...((i.labels ?? {}) as Record<string, string>) };
    const idle = tags[TAG_IDLE_SINCE];
    const label = tags[TAG_POOL] ?? '';
    const status = String(i.status ?? '');
    return {
      id: String(i.name),
      name: String(i.name),
      state: STATES[status] ?? 'other',
      cloudState: status,
      zone: lastSegment(i.zone),
      createdAt: new Date(i.creationTimestamp ?? 0),
      autoscaleConfigName: fallbackPool ?? byLabel.get(label) ?? label,
      serverId: tags[TAG_SERVER_ID] ?? '',
      idleSince: idle !== undefined && /^\d{1,12}$/.test(idle) ? new Date(Number(idle) * 1000) : undefined,
      tags,
    };
  }

  async function listOwned(): Promise<OwnedInstance[]> {
    // Project-wide (aggregatedList), not only gcp_zone: after the pool moves to another
    // zone its old instances are still ours to see, count against max_instances and remove.
    // The whole listing is retried as one (pages are fetched by the library's iterator).
    return call('instances.aggregatedList', async () => {
      const out: OwnedInstance[] = [];
      const pages = instances.aggregatedListAsync(
        { project, filter: OWNED_FILTER, maxResults: 500 },
        { ...NO_LIBRARY_RETRY, autoPaginate: false },
      );
      for await (const [, scoped] of pages) {
        // The filter is the server's job; checking again keeps a loose filter from ever
        // handing us an instance we would then modify.
        for (const i of scoped.instances ?? [])
          if (isOwned(i.labels as Record<string, string>)) out.push(toOwned(i));
      }
      return out;
    });
  }

  /** Waits for an operation with zoneOperations.wait, a bounded number of times. */
  async function settle(op: Operation, zone: string, operation: string): Promise<Operation> {
    const maxWaits = opts.maxOperationWaits ?? 10;
    let cur = op;
    for (let n = 0; String(cur.status) !== 'DONE' && n < maxWaits; n++) {
      if (n > 0) await sleep(opts.operationPollMs ?? 1000);
      const name = String(cur.name);
      [cur] = await call(
        `${operation} (wait)`,
        () => zoneOperations.wait({ project, zone, operation: name }, NO_LIBRARY_RETRY),
        { zone, requestId: name },
      );
    }
    return cur;
  }

  async function launch(req: LaunchRequest): Promise<LaunchResult> {
    const zone = req.zone || p.gcp_zone;
    let resource: Record<string, unknown>;
    try {
      resource = renderGcpInstance(p, {
        autoscaleConfigName: req.autoscaleConfigName,
        serverId: req.serverId,
        zone,
        scriptTokens: req.scriptTokens,
        ...(req.ownerId ? { ownerId: req.ownerId } : {}),
      });
    } catch (err) {
      throw new CloudError({
        kind: 'invalid',
        cloud: 'gcp',
        message: `provider ${p.vm_provider_config_name}: ${(err as Error).message}`,
        zone,
        cause: err,
      });
    }
    // The same launch (idempotency key) → the same requestId → Google answers a retried
    // insert with the first one's operation instead of making a second instance.
    const requestId = requestIdFor(req.idempotencyKey);
    const [lro] = await call(
      'instances.insert',
      () =>
        instances.insert(
          { project, zone, requestId, instanceResource: resource as Instance },
          NO_LIBRARY_RETRY,
        ),
      { zone, requestId },
    );
    const op = await settle(lro.latestResponse as Operation, zone, 'instances.insert');
    const failed = operationError(op, { operation: 'instances.insert', zone, requestId, project });
    if (failed) throw failed;
    const name = String(resource.name);
    if (String(op.status) !== 'DONE') {
      // Accepted but still running after our bounded wait: report it as provisioning;
      // the next pass lists it (or reconcile's provision_timeout removes it).
      return {
        instance: {
          id: name,
          name,
          state: 'provisioning',
          cloudState: 'PROVISIONING',
          zone,
          createdAt: new Date(),
          autoscaleConfigName: req.autoscaleConfigName,
          serverId: req.serverId,
          tags: { ...((resource.labels ?? {}) as Record<string, string>) },
        },
        requestId: String(op.name ?? requestId),
      };
    }
    const [inst] = await call(
      'instances.get',
      () => instances.get({ project, zone, instance: name }, NO_LIBRARY_RETRY),
      { zone },
    );
    return { instance: toOwned(inst, req.autoscaleConfigName), requestId: String(op.name ?? requestId) };
  }

  function refuseUnowned(
    tags: Record<string, string> | undefined | null,
    instance: OwnedInstance,
    what: string,
  ): void {
    if (!ownsInstance(tags, instance.serverId)) {
      throw new CloudError({
        kind: 'invalid',
        cloud: 'gcp',
        message: `refusing to ${what} ${instance.name} in ${instance.zone}: it does not carry kasm-scale's ownership labels`,
        zone: instance.zone,
      });
    }
  }

  /** The live instance, or undefined when it is already gone. */
  async function getLive(instance: OwnedInstance): Promise<Instance | undefined> {
    try {
      const [i] = await call(
        'instances.get',
        () => instances.get({ project, zone: instance.zone, instance: instance.name }, NO_LIBRARY_RETRY),
        { zone: instance.zone },
      );
      return i;
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'not_found') return undefined;
      throw err;
    }
  }

  async function terminate(instance: OwnedInstance): Promise<{ requestId?: string }> {
    refuseUnowned(instance.tags, instance, 'terminate');
    // Check the live labels too: the caller's copy may be stale or hand-made.
    const live = await getLive(instance);
    if (!live) return {};
    refuseUnowned(live.labels as Record<string, string>, instance, 'terminate');
    const zone = instance.zone;
    // Stable per instance incarnation: a retried delete is the same request.
    const requestId = requestIdFor(`delete:${project}/${zone}/${instance.name}/${String(live.id ?? '')}`);
    const [lro] = await call(
      'instances.delete',
      () => instances.delete({ project, zone, instance: instance.name, requestId }, NO_LIBRARY_RETRY),
      { zone, requestId },
    );
    const op = lro.latestResponse as Operation;
    const failed = operationError(op, { operation: 'instances.delete', zone, requestId, project });
    if (failed) throw failed;
    return { requestId: String(op.name ?? requestId) };
  }

  async function updateTags(instance: OwnedInstance, patch: Record<string, string | null>): Promise<void> {
    refuseUnowned(instance.tags, instance, 'relabel');
    const touched = Object.keys(patch).filter((k) => OWNERSHIP_KEYS.has(k));
    if (touched.length)
      throw new CloudError({
        kind: 'invalid',
        cloud: 'gcp',
        message: `refusing to change ownership label(s) ${touched.join(', ')} on ${instance.name}`,
        zone: instance.zone,
      });
    const zone = instance.zone;
    // setLabels replaces the whole map and is guarded by labelFingerprint: read, change
    // ours, write with the fingerprint; a concurrent change (412) → read again, once.
    await retryOnConflict(2, async () => {
      const live = await getLive(instance);
      if (!live)
        throw new CloudError({
          kind: 'not_found',
          cloud: 'gcp',
          message: `GCP instances.setLabels in ${zone}: instance ${instance.name} no longer exists`,
          zone,
        });
      const current = (live.labels ?? {}) as Record<string, string>;
      refuseUnowned(current, instance, 'relabel');
      const labels = patchTags(current, patch);
      const labelFingerprint = String(live.labelFingerprint ?? '');
      const requestId = requestIdFor(
        `labels:${project}/${zone}/${instance.name}/${labelFingerprint}/${JSON.stringify(labels)}`,
      );
      const [lro] = await call(
        'instances.setLabels',
        () =>
          instances.setLabels(
            {
              project,
              zone,
              instance: instance.name,
              requestId,
              instancesSetLabelsRequestResource: { labels, labelFingerprint },
            },
            NO_LIBRARY_RETRY,
          ),
        { zone, requestId },
      );
      const failed = operationError(lro.latestResponse as Operation, {
        operation: 'instances.setLabels',
        zone,
        requestId,
        project,
      });
      if (failed) throw failed;
      instance.tags = labels;
    });
  }

  async function agentSize(): Promise<AgentSize> {
    if (sizeCache) return sizeCache;
    const zone = p.gcp_zone;
    const machineType = lastSegment(p.gcp_machine_type);
    const [mt] = await call(
      'machineTypes.get',
      () => machineTypes.get({ project, zone, machineType }, NO_LIBRARY_RETRY),
      { zone },
    );
    const builtIn = (mt.accelerators ?? []).reduce((n, a) => n + Number(a.guestAcceleratorCount ?? 0), 0);
    const attached = p.gcp_guest_accelerators.reduce((n, a) => n + a.acceleratorCount, 0);
    sizeCache = {
      cores: Number(mt.guestCpus ?? 0),
      memoryMb: Number(mt.memoryMb ?? 0),
      gpus: builtIn + attached,
    };
    return sizeCache;
  }

  return {
    kind: 'gcp',
    providerName: p.vm_provider_config_name,
    zones: () => [p.gcp_zone],
    listOwned,
    launch,
    terminate,
    updateTags,
    agentSize,
    async close() {
      // Shared clients outlive this adapter: closeSharedClients() ends them.
      if (!opts.shareClients) await closeGcpClients(clients);
    },
  };
}
