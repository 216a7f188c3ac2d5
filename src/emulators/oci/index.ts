/**
 * A local OCI Compute API (plus the few Identity/Network reads `doctor` needs) that the real
 * oci-core SDK can talk to: `client.endpoint = emulator.url`. It verifies every request's
 * HTTP signature against registered API keys, keeps instances with a lazily computed
 * lifecycle, pages with `opc-next-page`, honours `opc-retry-token`, and injects faults
 * (latency, 429, out of capacity per AD, quota, 500, never-finishing provisioning, dropped
 * connections) so adapters and scenarios meet every failure without a cloud account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspectKey } from '../../clouds/oci/key-inspect.js';
import { delay, dropConnection, listen, parseJsonBody, sendJson } from '../common/http.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import { FaultTable, type OciFault, type OciOperation, type OciPreemption } from './faults.js';
import { ociSpotRestProblem } from '../../clouds/oci/spot.js';
import { SecurityTokenIssuer, type SecurityTokenClaims } from './security-tokens.js';
import { verifyOciSignature } from './signature.js';
import {
  DEFAULT_NAMESPACE,
  emptyObjectStorage,
  isObjectPut,
  isObjectStoragePath,
  objectStorageAnswer,
  type StoredObject,
} from './object-storage.js';
import {
  emptyState,
  instanceJson,
  lifecycleOf,
  type LifecycleState,
  type OciSeed,
  type OciState,
  type StoredInstance,
} from './store.js';
import { listOrder } from './list-order.js';
import { REGION_KEYS } from './sdk-tables.generated.js';
import { ApiError, validateLaunch, validateUpdate } from './validate.js';

export type { OciFault, OciOperation, OciPreemption } from './faults.js';
export type { OciSeed, SeedShape } from './store.js';

export interface OciEmulatorOptions {
  port?: number;
  host?: string;
  /** Injectable clock (ms); lifecycle timing reads it lazily. */
  now?: () => number;
  stateFile?: string;
  /** PROVISIONING → RUNNING after this long (default 30 s of the injected clock). */
  provisioningDelayMs?: number;
  /** TERMINATING → TERMINATED after this long (default 20 s). */
  terminatingDelayMs?: number;
  /** Largest page ListInstances/ListShapes return, whatever `limit` asks (default 100). */
  pageSize?: number;
  /** Default us-ashburn-1; Instance.region and OCIDs name it as the real API does (iad). */
  region?: string;
  seed?: OciSeed;
  /** API keys to accept: keyId "tenancy/user/fingerprint" → public key PEM. */
  apiKeys?: Array<{
    keyId?: string;
    tenancy?: string;
    user?: string;
    fingerprint?: string;
    publicKeyPem: string;
  }>;
  /** Re-evaluate lifecycles on a real timer so 'running' fires without a request (demo). 0 = off. */
  tickMs?: number;
  /**
   * The clock a request's signed `date`/`x-date` is checked against (more than 5 minutes
   * off: 401 NotAuthenticated, as OCI answers). Default the real clock: the SDK stamps
   * requests with it, while `now` is often a simulation clock far from it.
   */
  authNow?: () => number;
  /** Object Storage: the tenancy's namespace (default emulatedns) and the buckets that exist. */
  objectStorage?: { namespace?: string; buckets?: string[] };
}

export interface ReceivedRequest {
  operation: OciOperation | 'unknown';
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
}

export interface RunningEvent {
  id: string;
  name: string;
  zone: string;
  tags: Record<string, string>;
  startupScript: string;
}

export interface OciEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** 'running' (RunningEvent), 'terminated' ({id, name, zone, tags}). */
  events: EventEmitter;
  registerApiKey(
    key: string | { tenancy: string; user: string; fingerprint?: string },
    publicKeyPem: string,
  ): string;
  /** A security token for a session key, as OCI's auth service issues one (resource principal RPST, `oci session authenticate`). */
  issueSecurityToken(claims: SecurityTokenClaims): string;
  setFault(fault: OciFault): void;
  /** Reclaims preemptible instances now (see OciPreemption); returns the ids preempted. */
  preempt(p: OciPreemption): string[];
  clearFaults(): void;
  faults(): OciFault[];
  seed(seed: OciSeed): void;
  /** Current instances as the API would show them (lifecycle evaluated now). */
  readonly instances: Array<Record<string, any>>;
  /** Raw stored instances, including the launch body exactly as received. */
  readonly stored: ReadonlyArray<StoredInstance>;
  /** Every API request answered (capped at the last 5,000). */
  readonly requests: ReadonlyArray<ReceivedRequest>;
  /** Re-evaluates lifecycles and emits due events. */
  refresh(): void;
  /** Object Storage: makes a bucket; the objects of one (name → stored object). */
  createBucket(name: string): void;
  objects(bucket: string): Record<string, StoredObject>;
  readonly namespace: string;
}

const API = '/20160918';
const NOT_FOUND = 'Authorization failed or requested resource not found.';
const AUTH_MESSAGE = 'The required information to complete authentication was not provided or was incorrect.';

const hex = (n: number) => randomBytes(n).toString('hex');

export async function startOciEmulator(opts: OciEmulatorOptions = {}): Promise<OciEmulator> {
  const now = opts.now ?? Date.now;
  const provisioningDelayMs = opts.provisioningDelayMs ?? 30_000;
  const terminatingDelayMs = opts.terminatingDelayMs ?? 20_000;
  const pageSize = Math.max(1, opts.pageSize ?? 100);
  const region = opts.region ?? 'us-ashburn-1';
  // Real OCIDs and Instance.region say `iad` for us-ashburn-1 (see sdk-tables.generated.ts).
  const regionKey = REGION_KEYS[region] ?? region;
  let authSkewMs = 0;
  const authNow = () => (opts.authNow ?? Date.now)() + authSkewMs;
  const events = new EventEmitter();
  const faults = new FaultTable();
  const requests: ReceivedRequest[] = [];

  const tokens = new SecurityTokenIssuer(authNow);
  const state: OciState = loadStateFile<OciState>(opts.stateFile) ?? emptyState();
  if (opts.seed) applySeed(opts.seed);
  state.objectStorage ??= emptyObjectStorage(opts.objectStorage?.namespace ?? DEFAULT_NAMESPACE);
  const objectStore = state.objectStorage;
  for (const b of opts.objectStorage?.buckets ?? []) objectStore.buckets[b] ??= {};
  const save = () => saveStateFile(opts.stateFile, state);

  function applySeed(seed: OciSeed): void {
    for (const k of Object.keys(seed) as Array<keyof OciSeed>) {
      const v = seed[k];
      if (v) (state.seed as Record<string, unknown>)[k] = v;
    }
  }

  function registerApiKey(
    key: string | { tenancy: string; user: string; fingerprint?: string },
    publicKeyPem: string,
  ): string {
    const info = inspectKey(publicKeyPem);
    // The console refuses API keys under 2048 bits ("The key must be at least 2048 bits").
    if (info.bits < 2048)
      throw new ApiError(
        400,
        'InvalidParameter',
        `The public key is ${info.bits} bits; OCI API keys must be RSA keys of at least 2048 bits (make one with: kasm-scale keys generate)`,
      );
    const pem = info.publicKeyPem;
    const keyId =
      typeof key === 'string'
        ? key
        : `${key.tenancy}/${key.user}/${key.fingerprint ?? inspectKey(pem).fingerprint}`;
    state.keys[keyId] = pem;
    save();
    return keyId;
  }
  for (const k of opts.apiKeys ?? []) {
    registerApiKey(
      k.keyId ?? { tenancy: k.tenancy ?? '', user: k.user ?? '', fingerprint: k.fingerprint },
      k.publicKeyPem,
    );
  }

  function stateOf(i: StoredInstance): LifecycleState {
    return lifecycleOf(i, now(), terminatingDelayMs);
  }

  /** Emits events for transitions that are due (lazily, on every request and tick). */
  function refresh(): void {
    let changed = false;
    for (const i of state.instances) {
      const s = stateOf(i);
      // Reached RUNNING (possibly before a later terminate that nobody observed in between).
      const reachedRunning =
        s === 'RUNNING' ||
        (i.terminateRequestedAt !== undefined &&
          i.runningAt !== null &&
          i.runningAt <= i.terminateRequestedAt);
      if (reachedRunning && !i.runningEmitted) {
        i.runningEmitted = true;
        changed = true;
        const ud = i.details.metadata?.user_data;
        const ev: RunningEvent = {
          id: i.id,
          name: i.displayName,
          zone: i.details.availabilityDomain,
          tags: { ...i.freeformTags },
          startupScript: typeof ud === 'string' ? Buffer.from(ud, 'base64').toString('utf8') : '',
        };
        events.emit('running', ev);
      }
      if (s === 'TERMINATED' && !i.terminatedEmitted) {
        i.terminatedEmitted = true;
        changed = true;
        events.emit('terminated', {
          id: i.id,
          name: i.displayName,
          zone: i.details.availabilityDomain,
          tags: { ...i.freeformTags },
        });
      }
    }
    if (changed) save();
  }

  const findInstance = (id: string) => state.instances.find((i) => i.id === id);
  const etagOf = (i: StoredInstance) =>
    `"${createHash('sha256').update(`${i.id}:${i.version}`).digest('hex').slice(0, 32)}"`;
  const view = (i: StoredInstance) => instanceJson(i, stateOf(i), regionKey);

  /** Cursor pagination: the token is the offset, opaque to clients. */
  function paginate<T>(items: T[], url: URL): { page: T[]; next?: string } {
    const limitParam = url.searchParams.get('limit');
    let limit = pageSize;
    if (limitParam !== null) {
      const n = Number(limitParam);
      if (!Number.isInteger(n) || n < 1 || n > 1000)
        throw new ApiError(400, 'InvalidParameter', 'limit must be an integer between 1 and 1000.');
      limit = Math.min(n, pageSize);
    }
    const pageParam = url.searchParams.get('page');
    let start = 0;
    if (pageParam) {
      const decoded = Number(Buffer.from(pageParam, 'base64url').toString('utf8').replace(/^p:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0)
        throw new ApiError(400, 'InvalidParameter', 'Invalid page token.');
      start = decoded;
    }
    const page = items.slice(start, start + limit);
    const next =
      start + limit < items.length ? Buffer.from(`p:${start + limit}`).toString('base64url') : undefined;
    return { page, next };
  }

  const requireParam = (url: URL, name: string): string => {
    const v = url.searchParams.get(name);
    if (!v) throw new ApiError(400, 'MissingParameter', `Missing required parameter ${name}.`);
    return v;
  };

  type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

  function listInstances(url: URL): Answer {
    const compartmentId = requireParam(url, 'compartmentId');
    const ad = url.searchParams.get('availabilityDomain');
    const ls = url.searchParams.get('lifecycleState');
    const displayName = url.searchParams.get('displayName');
    const items = state.instances
      .filter((i) => i.details.compartmentId === compartmentId)
      .filter((i) => !ad || i.details.availabilityDomain === ad)
      .filter((i) => !displayName || i.displayName === displayName)
      .map(view)
      .filter((j) => !ls || j.lifecycleState === ls)
      .sort(listOrder(url.searchParams.get('sortBy'), url.searchParams.get('sortOrder')));
    const { page, next } = paginate(items, url);
    return { status: 200, body: page, headers: next ? { 'opc-next-page': next } : {} };
  }

  function launchInstance(req: IncomingMessage, raw: Buffer, parsed: unknown): Answer {
    if (parsed === undefined) throw new ApiError(400, 'InvalidParameter', 'Request body is not valid JSON.');
    validateLaunch(parsed);
    const d = parsed as Record<string, any>;
    const t = now();
    const token = req.headers['opc-retry-token'];
    const bodyHash = createHash('sha256').update(raw).digest('hex');
    if (typeof token === 'string' && token) {
      const prior = state.retryTokens[token];
      if (prior && t - prior.at < 24 * 3600_000) {
        if (prior.bodyHash !== bodyHash) {
          throw new ApiError(
            409,
            'InvalidatedRetryToken',
            'The retry token was already used for a request with a different body.',
          );
        }
        const existing = findInstance(prior.instanceId);
        if (existing) return { status: 200, body: view(existing), headers: { etag: etagOf(existing) } };
      }
    }
    checkReferences(d);
    const spot = ociSpotRestProblem(d);
    if (spot) throw new ApiError(400, 'InvalidParameter', spot);
    const fault = faults.take(['capacity', 'quota'], 'LaunchInstance', d.availabilityDomain, {
      preemptible: Boolean(d.preemptibleInstanceConfig),
    });
    if (fault?.kind === 'capacity') throw new ApiError(500, 'InternalError', 'Out of host capacity.');
    if (fault?.kind === 'quota') {
      const code = fault.code ?? 'LimitExceeded';
      throw new ApiError(
        400,
        code,
        code === 'QuotaExceeded'
          ? `Quota exceeded for ${d.shape} cores in compartment.`
          : `The following service limits were exceeded: standard-e4-core-count. Request a service limit increase from the service limits page in the Console.`,
      );
    }
    const never = faults.take(['never_provision'], 'LaunchInstance', d.availabilityDomain);
    const inst: StoredInstance = {
      id: `ocid1.instance.oc1.${regionKey}.${hex(30)}`,
      seq: ++state.seq,
      details: d,
      freeformTags: { ...(d.freeformTags ?? {}) },
      definedTags: { ...(d.definedTags ?? {}) },
      displayName: d.displayName ?? `instance-${new Date(t).toISOString().replace(/\D/g, '').slice(0, 14)}`,
      createdAt: t,
      runningAt: never ? null : t + provisioningDelayMs,
      version: 1,
    };
    state.instances.push(inst);
    if (typeof token === 'string' && token)
      state.retryTokens[token] = { instanceId: inst.id, bodyHash, at: t };
    save();
    return { status: 200, body: view(inst), headers: { etag: etagOf(inst) } };
  }

  /** Only checked against what was seeded: an unseeded emulator accepts any OCID. */
  function checkReferences(d: Record<string, any>): void {
    const s = state.seed;
    if (s.availabilityDomains.length && !s.availabilityDomains.includes(d.availabilityDomain)) {
      throw new ApiError(400, 'InvalidParameter', `Invalid availabilityDomain: ${d.availabilityDomain}`);
    }
    if (s.compartments.length && !s.compartments.some((c) => c.id === d.compartmentId))
      throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    const imageId = d.sourceDetails?.imageId ?? d.imageId;
    if (s.images.length && imageId && !s.images.some((i) => i.id === imageId))
      throw new ApiError(404, 'NotAuthorizedOrNotFound', `Image ${imageId} not found.`);
    const subnetId = d.createVnicDetails?.subnetId ?? d.subnetId;
    if (s.subnets.length && !s.subnets.some((x) => x.id === subnetId))
      throw new ApiError(404, 'NotAuthorizedOrNotFound', `Subnet ${subnetId} not found.`);
    for (const nsg of d.createVnicDetails?.nsgIds ?? []) {
      if (s.networkSecurityGroups.length && !s.networkSecurityGroups.some((x) => x.id === nsg))
        throw new ApiError(404, 'NotAuthorizedOrNotFound', `Network security group ${nsg} not found.`);
    }
    if (s.shapes.length) {
      const shape = s.shapes.find(
        (x) =>
          x.shape === d.shape &&
          (!x.availabilityDomains || x.availabilityDomains.includes(d.availabilityDomain)),
      );
      if (!shape)
        throw new ApiError(
          400,
          'InvalidParameter',
          `Shape ${d.shape} is not valid in ${d.availabilityDomain}.`,
        );
      if (shape.isFlexible && !d.shapeConfig?.ocpus)
        throw new ApiError(
          400,
          'InvalidParameter',
          `Shape ${d.shape} is a flexible shape: shapeConfig.ocpus is required.`,
        );
    }
  }

  function getInstance(id: string): Answer {
    const i = findInstance(id);
    if (!i) throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    return { status: 200, body: view(i), headers: { etag: etagOf(i) } };
  }

  function updateInstance(req: IncomingMessage, id: string, parsed: unknown): Answer {
    const i = findInstance(id);
    if (!i) throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    if (parsed === undefined) throw new ApiError(400, 'InvalidParameter', 'Request body is not valid JSON.');
    validateUpdate(parsed);
    const ifMatch = req.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== etagOf(i))
      throw new ApiError(412, 'NoEtagMatch', 'The resource has changed since the etag was read.');
    if (stateOf(i) === 'TERMINATED' || stateOf(i) === 'TERMINATING')
      throw new ApiError(409, 'IncorrectState', `Instance ${id} is ${stateOf(i)}.`);
    const u = parsed as Record<string, any>;
    // Tag maps are replaced whole, as the real API does (no merge).
    if (u.freeformTags) i.freeformTags = { ...u.freeformTags };
    if (u.definedTags) i.definedTags = { ...u.definedTags };
    if (typeof u.displayName === 'string') i.displayName = u.displayName;
    i.version++;
    save();
    return { status: 200, body: view(i), headers: { etag: etagOf(i) } };
  }

  function terminateInstance(req: IncomingMessage, id: string): Answer {
    const i = findInstance(id);
    if (!i) throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    const ifMatch = req.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== etagOf(i))
      throw new ApiError(412, 'NoEtagMatch', 'The resource has changed since the etag was read.');
    if (i.terminateRequestedAt === undefined) {
      // Record whether it had reached RUNNING, so a late read still emits 'running' first.
      if (i.runningAt !== null && i.runningAt > now()) i.runningAt = null;
      i.terminateRequestedAt = now();
      i.version++;
      save();
    }
    return { status: 204 };
  }

  function preempt(p: OciPreemption): string[] {
    const t = now();
    const running = state.instances.filter(
      (i) =>
        i.details.preemptibleInstanceConfig &&
        i.terminateRequestedAt === undefined &&
        (!p.availabilityDomain || i.details.availabilityDomain === p.availabilityDomain),
    );
    let chosen: StoredInstance[];
    if (p.ids) {
      chosen = p.ids.map((id) => {
        const i = findInstance(id);
        if (!i) throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
        if (!i.details.preemptibleInstanceConfig)
          throw new Error(`instance ${id} is on-demand capacity: only preemptible instances are preempted`);
        return i;
      });
    } else {
      const n = p.count ?? 1;
      if (!Number.isInteger(n) || n < 1) throw new Error('count must be a positive integer');
      chosen = running.sort((a, b) => a.seq - b.seq).slice(0, n);
    }
    for (const i of chosen) {
      if (i.terminateRequestedAt !== undefined) continue;
      if (i.runningAt !== null && i.runningAt > t) i.runningAt = null;
      i.terminateRequestedAt = t;
      i.preemptedAt = t;
      i.version++;
    }
    save();
    refresh();
    return chosen.map((i) => i.id);
  }

  /** Where a seeded object without a compartment lives: required (never null) in the SDK's models. */
  const defaultCompartment = () => state.seed.compartments[0]?.id ?? 'ocid1.tenancy.oc1..emulated';

  function getById<T extends { id: string }>(list: T[], id: string, shape: (x: T) => unknown): Answer {
    const x = list.find((y) => y.id === id);
    if (!x) throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    return {
      status: 200,
      body: shape(x),
      headers: { etag: `"${createHash('sha256').update(id).digest('hex').slice(0, 16)}"` },
    };
  }

  function listShapes(url: URL): Answer {
    const compartmentId = requireParam(url, 'compartmentId');
    if (state.seed.compartments.length && !state.seed.compartments.some((c) => c.id === compartmentId))
      throw new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND);
    const ad = url.searchParams.get('availabilityDomain');
    const imageId = url.searchParams.get('imageId');
    if (ad && state.seed.availabilityDomains.length && !state.seed.availabilityDomains.includes(ad)) {
      throw new ApiError(400, 'InvalidParameter', `Invalid availabilityDomain: ${ad}`);
    }
    const items = state.seed.shapes
      .filter((s) => !ad || !s.availabilityDomains || s.availabilityDomains.includes(ad))
      .filter((s) => !imageId || !s.imageIds || s.imageIds.includes(imageId))
      .map((s) => ({
        shape: s.shape,
        ocpus: s.ocpus,
        memoryInGBs: s.memoryInGBs,
        // As OCI answers: every shape states its GPU count (0 when it has none); only GPU shapes describe them.
        gpus: s.gpus ?? 0,
        ...((s.gpus ?? 0) > 0 ? { gpuDescription: s.gpuDescription ?? 'NVIDIA GPU' } : {}),
        isFlexible: Boolean(s.isFlexible),
        processorDescription: s.processorDescription ?? '2.55 GHz AMD EPYC',
        ...(s.ocpuOptions ? { ocpuOptions: s.ocpuOptions } : {}),
        ...(s.memoryOptions ? { memoryOptions: s.memoryOptions } : {}),
      }));
    const { page, next } = paginate(items, url);
    return { status: 200, body: page, headers: next ? { 'opc-next-page': next } : {} };
  }

  function route(method: string, path: string, url: URL): OciOperation | 'unknown' {
    const p = path.replace(/\/+$/, '');
    if (p === '/instances')
      return method === 'GET' ? 'ListInstances' : method === 'POST' ? 'LaunchInstance' : 'unknown';
    if (/^\/instances\/[^/]+$/.test(p))
      return (
        ({ GET: 'GetInstance', PUT: 'UpdateInstance', DELETE: 'TerminateInstance' } as const)[
          method as 'GET'
        ] ?? 'unknown'
      );
    if (method !== 'GET') return 'unknown';
    if (/^\/images\/[^/]+$/.test(p)) return 'GetImage';
    if (p === '/shapes') return 'ListShapes';
    if (/^\/subnets\/[^/]+$/.test(p)) return 'GetSubnet';
    if (/^\/networkSecurityGroups\/[^/]+$/.test(p)) return 'GetNetworkSecurityGroup';
    if (p === '/availabilityDomains') return 'ListAvailabilityDomains';
    if (/^\/compartments\/[^/]+$/.test(p)) return 'GetCompartment';
    void url;
    return 'unknown';
  }

  function dispatch(
    op: OciOperation,
    req: IncomingMessage,
    url: URL,
    path: string,
    raw: Buffer,
    parsed: unknown,
  ): Answer {
    const id = decodeURIComponent(path.split('/')[2] ?? '');
    const s = state.seed;
    switch (op) {
      case 'ListInstances':
        return listInstances(url);
      case 'LaunchInstance':
        return launchInstance(req, raw, parsed);
      case 'GetInstance':
        return getInstance(id);
      case 'UpdateInstance':
        return updateInstance(req, id, parsed);
      case 'TerminateInstance':
        return terminateInstance(req, id);
      case 'GetImage':
        return getById(s.images, id, (i) => ({
          id: i.id,
          displayName: i.displayName ?? 'Canonical-Ubuntu-22.04-2024.01.01-0',
          compartmentId: i.compartmentId ?? defaultCompartment(),
          operatingSystem: i.operatingSystem ?? 'Canonical Ubuntu',
          operatingSystemVersion: i.operatingSystemVersion ?? '22.04',
          lifecycleState: i.lifecycleState ?? 'AVAILABLE',
          createImageAllowed: true,
          timeCreated: new Date(0).toISOString(),
        }));
      case 'ListShapes':
        return listShapes(url);
      case 'GetSubnet':
        return getById(s.subnets, id, (x) => ({
          id: x.id,
          vcnId: x.vcnId ?? `ocid1.vcn.oc1.${regionKey}.emulated`,
          compartmentId: x.compartmentId ?? defaultCompartment(),
          availabilityDomain: x.availabilityDomain ?? null,
          cidrBlock: x.cidrBlock ?? '10.0.1.0/24',
          displayName: x.displayName ?? 'subnet',
          lifecycleState: 'AVAILABLE',
          routeTableId: `ocid1.routetable.oc1.${regionKey}.emulated`,
          virtualRouterIp: '10.0.1.1',
          virtualRouterMac: '00:00:17:00:00:01',
        }));
      case 'GetNetworkSecurityGroup':
        return getById(s.networkSecurityGroups, id, (x) => ({
          id: x.id,
          vcnId: x.vcnId ?? `ocid1.vcn.oc1.${regionKey}.emulated`,
          compartmentId: x.compartmentId ?? defaultCompartment(),
          displayName: x.displayName ?? 'nsg',
          lifecycleState: 'AVAILABLE',
          timeCreated: new Date(0).toISOString(),
        }));
      case 'ListAvailabilityDomains': {
        const compartmentId = requireParam(url, 'compartmentId');
        return {
          status: 200,
          body: s.availabilityDomains.map((name, n) => ({
            name,
            id: `ocid1.availabilitydomain.oc1..ad${n + 1}`,
            compartmentId,
          })),
        };
      }
      case 'GetCompartment':
        return getById(s.compartments, id, (c) => ({
          id: c.id,
          compartmentId: 'ocid1.tenancy.oc1..emulated',
          name: c.name ?? 'kasm',
          description: c.name ?? 'kasm',
          lifecycleState: c.lifecycleState ?? 'ACTIVE',
          timeCreated: new Date(0).toISOString(),
        }));
    }
  }

  function record(
    op: ReceivedRequest['operation'],
    req: IncomingMessage,
    body: unknown,
    status: number,
  ): void {
    requests.push({
      operation: op,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      status,
    });
    if (requests.length > 5000) requests.splice(0, requests.length - 5000);
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    parsed: unknown,
  ): Promise<void> {
    const p = url.pathname.replace(/^\/__emulator/, '');
    const b = (parsed ?? {}) as Record<string, any>;
    try {
      if (p === '/faults' && req.method === 'POST') {
        setFault(b as OciFault);
        return sendJson(res, 200, { faults: faults.list() });
      }
      if (p === '/faults' && req.method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      if (p === '/faults' && req.method === 'GET') return sendJson(res, 200, { faults: faults.list() });
      if (p === '/preempt' && req.method === 'POST')
        return sendJson(res, 200, { preempted: preempt(b as OciPreemption) });
      if (p === '/keys' && req.method === 'POST') {
        const keyId = registerApiKey(
          b.keyId ?? { tenancy: b.tenancy, user: b.user, fingerprint: b.fingerprint },
          String(b.publicKeyPem ?? ''),
        );
        return sendJson(res, 200, { keyId });
      }
      if (p === '/clock' && req.method === 'POST') {
        // Puts the emulator's clock for signed dates this far ahead (or behind, negative) of real time.
        authSkewMs = Number(b.skewMs ?? 0);
        if (!Number.isFinite(authSkewMs)) throw new Error('skewMs must be a number of milliseconds');
        return sendJson(res, 200, { skewMs: authSkewMs, now: new Date(authNow()).toISOString() });
      }
      if (p === '/seed' && req.method === 'POST') {
        applySeed(b as OciSeed);
        save();
        return sendJson(res, 200, { seed: state.seed });
      }
      if (p === '/buckets' && req.method === 'POST') {
        objectStore.buckets[String(b.name)] ??= {};
        save();
        return sendJson(res, 200, { buckets: Object.keys(objectStore.buckets) });
      }
      if (p === '/instances' && req.method === 'GET') {
        refresh();
        return sendJson(res, 200, { instances: state.instances.map(view) });
      }
      return sendJson(res, 404, {
        code: 'NotFound',
        message: `No emulator control route ${req.method} ${url.pathname}`,
      });
    } catch (err) {
      if (err instanceof ApiError) return sendJson(res, err.status, { code: err.code, message: err.message });
      return sendJson(res, 400, { code: 'InvalidParameter', message: (err as Error).message });
    }
  }

  function setFault(f: OciFault): void {
    const kinds = ['latency', 'throttle', 'capacity', 'quota', 'error500', 'never_provision', 'drop'];
    if (!f || !kinds.includes(f.kind)) throw new Error(`fault kind must be one of ${kinds.join(', ')}`);
    faults.add(f);
  }

  async function handler(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const parsed = parseJsonBody(raw);
    if (url.pathname.startsWith('/__emulator/')) return handleControl(req, res, url, parsed);

    const requestId = `${hex(16).toUpperCase()}/${hex(16).toUpperCase()}`;
    if (isObjectStoragePath(url.pathname)) return objectStorage(req, res, url, raw, requestId);
    const path = url.pathname.startsWith(API) ? url.pathname.slice(API.length) : '\0';
    const op = path === '\0' ? 'unknown' : route(req.method ?? 'GET', path, url);
    const send = (a: Answer) => {
      record(op, req, parsed, a.status);
      const headers = { 'opc-request-id': requestId, ...(a.headers ?? {}) };
      if (a.body === undefined) {
        res.writeHead(a.status, headers);
        res.end();
      } else sendJson(res, a.status, a.body, headers);
    };
    const fail = (e: ApiError) =>
      send({ status: e.status, body: { code: e.code, message: e.message }, headers: e.headers });

    if (op !== 'unknown') {
      const lat = faults.take(['latency'], op);
      if (lat) await delay(lat.ms ?? 0);
      if (faults.take(['drop'], op)) {
        record(op, req, parsed, 0);
        return dropConnection(res);
      }
    }

    const verdict = verifyOciSignature(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw },
      (keyId) => (keyId.startsWith('ST$') ? tokens.sessionKey(keyId.slice(3), authNow()) : state.keys[keyId]),
      { now: authNow },
    );
    if (!verdict.ok)
      return fail(
        new ApiError(
          401,
          'NotAuthenticated',
          verdict.clockSkew ? verdict.reason : `${AUTH_MESSAGE} (${verdict.reason})`,
        ),
      );
    if (op === 'unknown') return fail(new ApiError(404, 'NotAuthorizedOrNotFound', NOT_FOUND));

    const thr = faults.take(['throttle'], op);
    if (thr) {
      return fail(
        new ApiError(429, 'TooManyRequests', 'User-rate limit exceeded.', {
          'retry-after': String(thr.retryAfterSeconds ?? 1),
        }),
      );
    }
    if (faults.take(['error500'], op))
      return fail(new ApiError(500, 'InternalError', 'Internal error occurred.'));

    refresh();
    try {
      send(dispatch(op, req, url, path, raw, parsed));
    } catch (err) {
      if (err instanceof ApiError) return fail(err);
      throw err;
    }
    refresh();
  }

  function objectStorage(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: Buffer,
    requestId: string,
  ): void {
    const method = req.method ?? 'GET';
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record('unknown', req, undefined, status);
      const h = { 'opc-request-id': requestId, ...headers };
      if (Buffer.isBuffer(body)) {
        res.writeHead(status, h);
        res.end(method === 'HEAD' ? undefined : body);
      } else if (body === undefined) {
        res.writeHead(status, h);
        res.end();
      } else sendJson(res, status, body, h);
    };
    const verdict = verifyOciSignature(
      { method, path: req.url ?? '/', headers: req.headers, body: raw },
      (keyId) => state.keys[keyId],
      { now: authNow, unsignedBody: isObjectPut(method, url.pathname) },
    );
    if (!verdict.ok)
      return answer(401, {
        code: 'NotAuthenticated',
        message: verdict.clockSkew ? verdict.reason : `${AUTH_MESSAGE} (${verdict.reason})`,
      });
    try {
      const a = objectStorageAnswer(objectStore, req, url.pathname, raw, now());
      if (method !== 'GET' && method !== 'HEAD') save();
      answer(a.status, a.body, a.headers);
    } catch (err) {
      if (err instanceof ApiError) return answer(err.status, { code: err.code, message: err.message });
      throw err;
    }
  }

  const server = await listen(handler, { port: opts.port, host: opts.host });
  const timer = opts.tickMs ? setInterval(refresh, opts.tickMs) : undefined;
  timer?.unref();

  return {
    url: server.url,
    port: server.port,
    close: async () => {
      if (timer) clearInterval(timer);
      await server.close();
    },
    events,
    registerApiKey,
    issueSecurityToken: (c) => tokens.issue(c),
    setFault,
    preempt,
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    seed: (s) => {
      applySeed(s);
      save();
    },
    get instances() {
      refresh();
      return state.instances.map(view) as Array<Record<string, any>>;
    },
    get stored() {
      return state.instances;
    },
    get requests() {
      return requests;
    },
    refresh,
    createBucket: (name) => {
      objectStore.buckets[name] ??= {};
      save();
    },
    objects: (bucket) => objectStore.buckets[bucket] ?? {},
    get namespace() {
      return objectStore.namespace;
    },
  };
}
