import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FaultBook } from './faults.js';
import { GoogleApiError, invalid, invalidField, notFound } from './google-errors.js';
import { resolveServiceAccounts } from './project.js';
import { parseRef } from './refs.js';
import { regionOfZone, type GcpSeed } from './seed.js';
import { validateInstance, validateLabels } from './validate.js';
import { gcpSpotRequestProblem } from '../../clouds/gcp/spot.js';

/**
 * The emulated Compute Engine state: instances and zone operations, with lifecycles that
 * are a pure function of the injected clock. Nothing runs in the background: every read
 * calls `refresh()`, which moves instances along and emits 'running' / 'terminated'.
 */

export const API_BASE = 'https://www.googleapis.com/compute/v1/';

export interface InstanceRecord {
  project: string;
  zone: string;
  name: string;
  id: string;
  /** The Instance body as received (parsed JSON). */
  body: Record<string, any>;
  machineType: string;
  guestCpus: number;
  memoryMb: number;
  gpus: number;
  createdAt: number;
  /** ms after createdAt when it becomes RUNNING; null = never (stuck provisioning). */
  runningAfterMs: number | null;
  labels: Record<string, string>;
  labelFingerprint: string;
  deleteAt?: number;
  /** Preempted with instanceTerminationAction STOP (Google's default for Spot VMs): TERMINATED, kept. */
  stoppedAt?: number;
  runningEmitted?: boolean;
}

export interface OperationRecord {
  project: string;
  zone: string;
  name: string;
  id: string;
  operationType: 'insert' | 'delete' | 'setLabels' | 'compute.instances.preempted';
  /** Set on system operations, e.g. "Instance was preempted." */
  statusMessage?: string;
  targetName: string;
  targetId?: string;
  startedAt: number;
  /** null = never finishes. */
  doneAt: number | null;
  error?: { code: string; message: string };
  httpErrorStatusCode?: number;
  httpErrorMessage?: string;
  user: string;
}

export interface WorldState {
  instances: InstanceRecord[];
  operations: OperationRecord[];
  requestIds: Record<string, string>;
  seq: number;
}

export interface RunningEvent {
  id: string;
  name: string;
  zone: string;
  project: string;
  tags: Record<string, string>;
  startupScript?: string;
}

/** One instance put straight into the world by `seedInstances` (no insert, no operation). */
export interface SeedInstance {
  /** Default: the seed's first project. */
  project?: string;
  name: string;
  zone: string;
  labels?: Record<string, string>;
  /** A machine type name (e2-standard-4, custom-4-16384); default e2-standard-4. */
  machineType?: string;
  /**
   * RUNNING (default): up already, so no 'running' event. PROVISIONING: never comes up on
   * its own (as the stuckProvisioning fault), for provision-timeout cases.
   */
  status?: 'RUNNING' | 'PROVISIONING';
  /** ISO string or ms; default now. */
  creationTimestamp?: string | number;
}

export interface WorldOptions {
  now: () => number;
  provisioningDelayMs: number;
  operationDelayMs: number;
  deleteDelayMs: number;
  /** CPU quota per region (guestCpus of live instances); absent = unlimited. */
  cpuQuota?: Record<string, number>;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const STARTUP_KEYS = [
  'startup-script',
  'windows-startup-script-ps1',
  'windows-startup-script-cmd',
  'windows-startup-script-bat',
];

export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest().subarray(0, 8).toString('base64');
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

export class World {
  readonly events = new EventEmitter();
  private instances = new Map<string, InstanceRecord>();
  private operations = new Map<string, OperationRecord>();
  private requestIds = new Map<string, string>();
  private seq = 0;

  constructor(
    readonly seed: GcpSeed,
    private readonly faults: FaultBook,
    private readonly opts: WorldOptions,
    private readonly onChange: () => void,
  ) {}

  now(): number {
    return this.opts.now();
  }

  // ---- persistence -------------------------------------------------------------------
  snapshot(): WorldState {
    return {
      instances: [...this.instances.values()],
      operations: [...this.operations.values()],
      requestIds: Object.fromEntries(this.requestIds),
      seq: this.seq,
    };
  }

  restore(s: WorldState): void {
    for (const i of s.instances ?? []) this.instances.set(key(i.project, i.zone, i.name), i);
    for (const o of s.operations ?? []) this.operations.set(key(o.project, o.zone, o.name), o);
    for (const [k, v] of Object.entries(s.requestIds ?? {})) this.requestIds.set(k, v);
    this.seq = s.seq ?? 0;
  }

  // ---- lifecycle ---------------------------------------------------------------------
  status(i: InstanceRecord): string {
    const now = this.now();
    if (i.deleteAt !== undefined)
      return now < i.deleteAt + this.opts.deleteDelayMs / 2 ? 'STOPPING' : 'TERMINATED';
    if (i.stoppedAt !== undefined) return 'TERMINATED';
    if (i.runningAfterMs === null) return 'PROVISIONING';
    if (now >= i.createdAt + i.runningAfterMs) return 'RUNNING';
    return now < i.createdAt + i.runningAfterMs / 2 ? 'PROVISIONING' : 'STAGING';
  }

  /** Moves every instance along the clock; emits events; drops deleted instances. */
  refresh(): void {
    const now = this.now();
    let changed = false;
    for (const [k, i] of this.instances) {
      if (i.deleteAt !== undefined) {
        if (now >= i.deleteAt + this.opts.deleteDelayMs) {
          this.instances.delete(k);
          changed = true;
          this.emit('terminated', {
            id: i.id,
            name: i.name,
            zone: i.zone,
            project: i.project,
            tags: { ...i.labels },
          });
        }
        continue;
      }
      if (!i.runningEmitted && this.status(i) === 'RUNNING') {
        i.runningEmitted = true;
        changed = true;
        const item = (i.body.metadata?.items ?? []).find((it: { key: string }) =>
          STARTUP_KEYS.includes(it.key),
        );
        const ev: RunningEvent = {
          id: i.id,
          name: i.name,
          zone: i.zone,
          project: i.project,
          tags: { ...i.labels },
          startupScript: item?.value,
        };
        this.emit('running', ev);
      }
    }
    // Operations are kept one hour (requestId dedupe window on the real service).
    for (const [k, o] of this.operations) {
      if (o.doneAt !== null && now - o.doneAt > 3_600_000) {
        this.operations.delete(k);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  private emit(name: string, payload: unknown): void {
    try {
      this.events.emit(name, payload);
    } catch {
      // A listener's bug must not break the API answer.
    }
  }

  // ---- instances ---------------------------------------------------------------------
  allInstances(): InstanceRecord[] {
    this.refresh();
    return [...this.instances.values()];
  }

  listInstances(project: string, zone: string): InstanceRecord[] {
    return this.allInstances()
      .filter((i) => i.project === project && i.zone === zone)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  getInstance(project: string, zone: string, name: string): InstanceRecord {
    this.refresh();
    const i = this.instances.get(key(project, zone, name));
    if (!i) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
    return i;
  }

  private dedupe(project: string, zone: string, requestId: string | undefined): OperationRecord | undefined {
    if (requestId === undefined) return undefined;
    if (!UUID_RE.test(requestId) || /^[0-]+$/.test(requestId))
      throw invalidField('requestId', requestId, 'Must be a valid UUID (not all zeros).');
    const name = this.requestIds.get(`${project}/${zone}/${requestId}`);
    return name ? this.operations.get(key(project, zone, name)) : undefined;
  }

  private newOperation(
    init: Omit<OperationRecord, 'name' | 'id' | 'startedAt' | 'doneAt'> & { doneAfterMs: number | null },
    requestId?: string,
  ): OperationRecord {
    const now = this.now();
    const hex = randomBytes(10).toString('hex');
    const { doneAfterMs, ...rest } = init;
    const op: OperationRecord = {
      ...rest,
      name: `operation-${now}-${hex.slice(0, 13)}-${hex.slice(13, 20)}`,
      id: this.nextId(),
      startedAt: now,
      doneAt: doneAfterMs === null ? null : now + doneAfterMs,
    };
    if (this.faults.take('stuckOperation', { method: `instances.${init.operationType}` })) op.doneAt = null;
    this.operations.set(key(op.project, op.zone, op.name), op);
    if (requestId) this.requestIds.set(`${op.project}/${op.zone}/${requestId}`, op.name);
    return op;
  }

  private nextId(): string {
    this.seq += 1;
    const h = createHash('sha256').update(`${this.seq}/${this.now()}`).digest();
    // uint64 as a decimal string, as Compute sends ids.
    return (h.readBigUInt64BE(0) >> 1n).toString();
  }

  insert(
    project: string,
    zone: string,
    body: unknown,
    requestId: string | undefined,
    user: string,
  ): OperationRecord {
    this.refresh();
    const replay = this.dedupe(project, zone, requestId);
    if (replay) return replay;
    const v = validateInstance(this.seed, project, zone, body);
    const inst = body as Record<string, any>;
    if (this.instances.has(key(project, zone, inst.name))) {
      throw new GoogleApiError(
        409,
        `The resource 'projects/${project}/zones/${zone}/instances/${inst.name}' already exists`,
        'alreadyExists',
      );
    }
    const base = {
      project,
      zone,
      operationType: 'insert' as const,
      targetName: inst.name,
      user,
      doneAfterMs: this.opts.operationDelayMs,
    };
    const spot = isSpotRequest(inst);
    const spotProblem = gcpSpotRequestProblem(inst, v.machineType);
    if (spotProblem) throw new GoogleApiError(400, spotProblem, 'invalid');
    const stockout = this.faults.take('stockout', { zone, spot });
    if (stockout) {
      return this.finish(
        this.newOperation(
          {
            ...base,
            error: {
              code: stockout.code ?? 'ZONE_RESOURCE_POOL_EXHAUSTED',
              message: `The zone 'projects/${project}/zones/${zone}' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.`,
            },
            httpErrorStatusCode: 503,
            httpErrorMessage: 'SERVICE UNAVAILABLE',
          },
          requestId,
        ),
      );
    }
    const region = regionOfZone(this.seed, zone) ?? zone;
    const quota = this.faults.take('quota', { zone });
    const limit = this.opts.cpuQuota?.[region];
    const used = [...this.instances.values()]
      .filter((i) => regionOfZone(this.seed, i.zone) === region)
      .reduce((n, i) => n + i.guestCpus, 0);
    if (quota || (limit !== undefined && used + v.machineSpec.guestCpus > limit)) {
      const metric = quota?.metric ?? 'CPUS';
      const message = `Quota '${metric}' exceeded.  Limit: ${limit ?? used}.0 in region ${region}.`;
      if (quota?.http) throw new GoogleApiError(403, message, 'quotaExceeded', 'usageLimits');
      return this.finish(
        this.newOperation(
          {
            ...base,
            error: { code: 'QUOTA_EXCEEDED', message },
            httpErrorStatusCode: 403,
            httpErrorMessage: 'FORBIDDEN',
          },
          requestId,
        ),
      );
    }
    const stuck = this.faults.take('stuckProvisioning', { zone });
    const labels = sortedLabels({ ...(inst.labels ?? {}) });
    const rec: InstanceRecord = {
      project,
      zone,
      name: inst.name,
      id: this.nextId(),
      body: inst,
      machineType: v.machineType,
      guestCpus: v.machineSpec.guestCpus,
      memoryMb: v.machineSpec.memoryMb,
      gpus: v.gpus,
      createdAt: this.now(),
      runningAfterMs: stuck ? null : this.opts.provisioningDelayMs,
      labels,
      labelFingerprint: fingerprintOf(labels),
    };
    this.instances.set(key(project, zone, rec.name), rec);
    return this.finish(this.newOperation({ ...base, targetId: rec.id }, requestId));
  }

  /**
   * Puts many instances in at once, for benchmarks and tests that need a big world fast.
   * Each is validated as an insert of the same name, zone, machine type and labels would be
   * (boot disk from the seed's first image); all or nothing, one save at the end.
   */
  seedInstances(items: SeedInstance[]): InstanceRecord[] {
    const image = this.seed.images[0];
    if (!image) throw new Error('seedInstances: the seed has no image to boot from');
    const now = this.now();
    const seen = new Set<string>();
    const records = items.map((it) => {
      const project = it.project ?? this.seed.projects[0];
      if (!project || !this.seed.projects.includes(project))
        throw new Error(`seedInstances: unknown project ${String(project)} (instance ${it.name})`);
      if (!regionOfZone(this.seed, it.zone))
        throw new Error(`seedInstances: unknown zone ${it.zone} (instance ${it.name})`);
      const k = key(project, it.zone, it.name);
      if (this.instances.has(k) || seen.has(k))
        throw new Error(`seedInstances: instance ${it.name} already exists in ${project}/${it.zone}`);
      seen.add(k);
      const body: Record<string, any> = {
        name: it.name,
        machineType: `zones/${it.zone}/machineTypes/${it.machineType ?? 'e2-standard-4'}`,
        disks: [
          {
            boot: true,
            autoDelete: true,
            initializeParams: { sourceImage: `projects/${image.project}/global/images/${image.name}` },
          },
        ],
        networkInterfaces: [{ network: 'global/networks/default' }],
        labels: { ...(it.labels ?? {}) },
      };
      let v: ReturnType<typeof validateInstance>;
      try {
        v = validateInstance(this.seed, project, it.zone, body);
      } catch (err) {
        throw new Error(`seedInstances: instance ${it.name}: ${(err as Error).message}`);
      }
      const createdAt =
        it.creationTimestamp === undefined
          ? now
          : typeof it.creationTimestamp === 'number'
            ? it.creationTimestamp
            : Date.parse(it.creationTimestamp);
      if (!Number.isFinite(createdAt) || createdAt > now)
        throw new Error(
          `seedInstances: instance ${it.name}: creationTimestamp ${String(it.creationTimestamp)} is not a time up to now`,
        );
      const running = (it.status ?? 'RUNNING') === 'RUNNING';
      const labels = sortedLabels({ ...(it.labels ?? {}) });
      const rec: InstanceRecord = {
        project,
        zone: it.zone,
        name: it.name,
        id: '',
        body,
        machineType: v.machineType,
        guestCpus: v.machineSpec.guestCpus,
        memoryMb: v.machineSpec.memoryMb,
        gpus: v.gpus,
        createdAt,
        runningAfterMs: running ? 0 : null,
        labels,
        labelFingerprint: fingerprintOf(labels),
        runningEmitted: running,
      };
      return rec;
    });
    for (const rec of records) {
      rec.id = this.nextId();
      this.instances.set(key(rec.project, rec.zone, rec.name), rec);
    }
    this.onChange();
    return records;
  }

  /**
   * Google reclaims Spot capacity: the instance stops (ACPI soft off), then is deleted or
   * left TERMINATED as its instanceTerminationAction says (Google's default: STOP), and the
   * zone gets a system operation `compute.instances.preempted`, "Instance was preempted.".
   * Standard instances are never preempted.
   */
  preempt(project: string, zone: string, name: string): OperationRecord {
    this.refresh();
    const i = this.getInstance(project, zone, name);
    if (!isSpotRequest(i.body))
      throw new Error(`instance ${name} is not a Spot VM: only Spot (or preemptible) VMs are preempted`);
    const now = this.now();
    if (i.body.scheduling?.instanceTerminationAction === 'DELETE') {
      if (i.deleteAt === undefined) i.deleteAt = now;
    } else if (i.stoppedAt === undefined && i.deleteAt === undefined) i.stoppedAt = now;
    const op = this.newOperation({
      project,
      zone,
      operationType: 'compute.instances.preempted',
      statusMessage: 'Instance was preempted.',
      targetName: name,
      targetId: i.id,
      user: 'system',
      doneAfterMs: 0,
    });
    this.onChange();
    return op;
  }

  delete(
    project: string,
    zone: string,
    name: string,
    requestId: string | undefined,
    user: string,
  ): OperationRecord {
    this.refresh();
    const replay = this.dedupe(project, zone, requestId);
    if (replay) return replay;
    const i = this.getInstance(project, zone, name);
    const now = this.now();
    if (i.deleteAt === undefined) i.deleteAt = now;
    const left = Math.max(0, i.deleteAt + this.opts.deleteDelayMs - now);
    return this.finish(
      this.newOperation(
        {
          project,
          zone,
          operationType: 'delete',
          targetName: name,
          targetId: i.id,
          user,
          doneAfterMs: Math.max(left, this.opts.operationDelayMs),
        },
        requestId,
      ),
    );
  }

  setLabels(
    project: string,
    zone: string,
    name: string,
    body: any,
    requestId: string | undefined,
    user: string,
  ): OperationRecord {
    this.refresh();
    const replay = this.dedupe(project, zone, requestId);
    if (replay) return replay;
    const i = this.getInstance(project, zone, name);
    if (!body || typeof body !== 'object') throw invalid('Invalid JSON payload received.');
    if (typeof body.labelFingerprint !== 'string' || body.labelFingerprint === '') {
      throw new GoogleApiError(400, "Required field 'labelFingerprint' not specified", 'required');
    }
    if (body.labelFingerprint !== i.labelFingerprint) {
      throw new GoogleApiError(
        412,
        'Labels fingerprint either invalid or resource labels have changed',
        'conditionNotMet',
      );
    }
    // Same rules as on insert: validate through a minimal copy of the instance.
    const labels = body.labels ?? {};
    validateLabels(labels, 'labels');
    i.labels = sortedLabels({ ...labels });
    i.labelFingerprint = fingerprintOf(i.labels);
    return this.finish(
      this.newOperation(
        {
          project,
          zone,
          operationType: 'setLabels',
          targetName: name,
          targetId: i.id,
          user,
          doneAfterMs: this.opts.operationDelayMs,
        },
        requestId,
      ),
    );
  }

  replaceLabels(project: string, zone: string, name: string, labels: Record<string, string>): void {
    const i = this.getInstance(project, zone, name);
    validateLabels(labels, 'labels');
    i.labels = sortedLabels({ ...labels });
    i.labelFingerprint = fingerprintOf(i.labels);
    this.onChange();
  }

  private finish(op: OperationRecord): OperationRecord {
    this.onChange();
    return op;
  }

  // ---- operations --------------------------------------------------------------------
  getOperation(project: string, zone: string, name: string): OperationRecord {
    this.refresh();
    const op = this.operations.get(key(project, zone, name));
    if (!op) throw notFound(`projects/${project}/zones/${zone}/operations/${name}`);
    return op;
  }

  /** A zone's operations, oldest first (zoneOperations.list). */
  listOperations(project: string, zone: string): OperationRecord[] {
    this.refresh();
    return [...this.operations.values()].filter((o) => o.project === project && o.zone === zone);
  }

  operationStatus(op: OperationRecord): 'PENDING' | 'RUNNING' | 'DONE' {
    const now = this.now();
    if (op.doneAt === null) return now < op.startedAt + 1 ? 'PENDING' : 'RUNNING';
    if (now >= op.doneAt) return 'DONE';
    return now < op.startedAt + (op.doneAt - op.startedAt) / 3 ? 'PENDING' : 'RUNNING';
  }

  // ---- JSON views --------------------------------------------------------------------
  instanceJson(i: InstanceRecord): Record<string, unknown> {
    const b = i.body;
    const zoneUrl = `${API_BASE}projects/${i.project}/zones/${i.zone}`;
    const region = regionOfZone(this.seed, i.zone) ?? i.zone;
    const status = this.status(i);
    const nics = (b.networkInterfaces ?? []).map((n: any, idx: number) => {
      const net = parseRef(n.network ?? 'global/networks/default');
      const sub = n.subnetwork ? parseRef(n.subnetwork) : undefined;
      return {
        kind: 'compute#networkInterface',
        name: `nic${idx}`,
        network: `${API_BASE}projects/${net?.project ?? i.project}/global/networks/${net?.name ?? 'default'}`,
        ...(sub
          ? {
              subnetwork: `${API_BASE}projects/${sub.project ?? i.project}/regions/${sub.region ?? region}/subnetworks/${sub.name}`,
            }
          : {}),
        networkIP: `10.128.${(Number(BigInt(i.id) % 250n) + idx) % 250}.${2 + Number(BigInt(i.id) % 200n)}`,
        stackType: 'IPV4_ONLY',
        fingerprint: fingerprintOf(n),
        ...(n.accessConfigs
          ? {
              accessConfigs: n.accessConfigs.map((a: any) => ({
                kind: 'compute#accessConfig',
                type: a.type ?? 'ONE_TO_ONE_NAT',
                name: a.name ?? 'External NAT',
                networkTier: a.networkTier ?? 'PREMIUM',
                ...(status === 'RUNNING' ? { natIP: `34.0.${Number(BigInt(i.id) % 250n)}.${idx + 10}` } : {}),
              })),
            }
          : {}),
      };
    });
    const disks = (b.disks ?? []).map((d: any, idx: number) => ({
      kind: 'compute#attachedDisk',
      type: 'PERSISTENT',
      mode: 'READ_WRITE',
      source: `${zoneUrl}/disks/${d.initializeParams?.diskName ?? (idx === 0 ? i.name : `${i.name}-${idx}`)}`,
      deviceName: d.deviceName ?? (d.boot ? 'persistent-disk-0' : `persistent-disk-${idx}`),
      index: idx,
      boot: Boolean(d.boot),
      autoDelete: d.autoDelete ?? false,
      interface: d.interface ?? 'SCSI',
      diskSizeGb: String(d.initializeParams?.diskSizeGb ?? 10),
      ...(d.diskEncryptionKey ? { diskEncryptionKey: { kmsKeyName: d.diskEncryptionKey.kmsKeyName } } : {}),
    }));
    return {
      kind: 'compute#instance',
      id: i.id,
      creationTimestamp: new Date(i.createdAt).toISOString(),
      name: i.name,
      ...(b.description ? { description: b.description } : {}),
      tags: { items: b.tags?.items ?? [], fingerprint: fingerprintOf(b.tags?.items ?? []) },
      machineType: `${zoneUrl}/machineTypes/${i.machineType}`,
      status,
      zone: zoneUrl,
      canIpForward: b.canIpForward ?? false,
      networkInterfaces: nics,
      disks,
      metadata: {
        kind: 'compute#metadata',
        fingerprint: fingerprintOf(b.metadata?.items ?? []),
        items: b.metadata?.items ?? [],
      },
      serviceAccounts: resolveServiceAccounts(i.project, b.serviceAccounts),
      selfLink: `${zoneUrl}/instances/${i.name}`,
      scheduling: {
        onHostMaintenance: 'MIGRATE',
        automaticRestart: true,
        preemptible: false,
        provisioningModel: 'STANDARD',
        ...(b.scheduling ?? {}),
      },
      cpuPlatform: 'Intel Broadwell',
      labels: i.labels,
      labelFingerprint: i.labelFingerprint,
      guestAccelerators: (b.guestAccelerators ?? []).map((a: any) => ({
        acceleratorType: `${zoneUrl}/acceleratorTypes/${parseRef(a.acceleratorType)?.name}`,
        acceleratorCount: a.acceleratorCount,
      })),
      startRestricted: false,
      deletionProtection: b.deletionProtection ?? false,
      fingerprint: fingerprintOf([i.labels, b.metadata]),
      ...(status === 'RUNNING'
        ? { lastStartTimestamp: new Date(i.createdAt + (i.runningAfterMs ?? 0)).toISOString() }
        : {}),
    };
  }

  operationJson(op: OperationRecord): Record<string, unknown> {
    const status = this.operationStatus(op);
    const zoneUrl = `${API_BASE}projects/${op.project}/zones/${op.zone}`;
    return {
      kind: 'compute#operation',
      id: op.id,
      name: op.name,
      zone: zoneUrl,
      operationType: op.operationType,
      ...(op.statusMessage ? { statusMessage: op.statusMessage } : {}),
      targetLink: `${zoneUrl}/instances/${op.targetName}`,
      ...(op.targetId ? { targetId: op.targetId } : {}),
      status,
      user: op.user,
      progress: status === 'DONE' ? 100 : 0,
      insertTime: new Date(op.startedAt).toISOString(),
      ...(status !== 'PENDING' ? { startTime: new Date(op.startedAt).toISOString() } : {}),
      ...(status === 'DONE'
        ? {
            endTime: new Date(op.doneAt!).toISOString(),
            ...(op.error
              ? {
                  error: { errors: [op.error] },
                  httpErrorStatusCode: op.httpErrorStatusCode,
                  httpErrorMessage: op.httpErrorMessage,
                }
              : {}),
          }
        : {}),
      selfLink: `${zoneUrl}/operations/${op.name}`,
    };
  }
}

/** A Spot VM, or a legacy preemptible one. */
function isSpotRequest(body: Record<string, any>): boolean {
  return body.scheduling?.provisioningModel === 'SPOT' || body.scheduling?.preemptible === true;
}

function key(project: string, zone: string, name: string): string {
  return `${project}/${zone}/${name}`;
}
