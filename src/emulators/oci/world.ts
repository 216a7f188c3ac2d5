/**
 * Everything an OCI emulator knows, shared by its route handlers and its in-process API:
 * the persisted state (instances, retry tokens, seed, API keys, Object Storage), the two
 * clocks (`now` for lifecycles, `authNow` for signed dates), the armed faults, the security
 * token issuer, the record of requests, and the lifecycle events. Lifecycles are computed
 * lazily from the clock, so `refresh()` is what turns a due transition into an event.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { inspectKey } from '../../clouds/oci/key-inspect.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import type { OciEmulatorOptions, ReceivedRequest, RunningEvent } from './emulator-types.js';
import { FaultTable, type OciFault } from './faults.js';
import { DEFAULT_NAMESPACE, emptyObjectStorage, type ObjectStorageState } from './object-storage.js';
import { REGION_KEYS } from './sdk-tables.generated.js';
import { SecurityTokenIssuer } from './security-tokens.js';
import {
  emptyState,
  instanceJson,
  lifecycleOf,
  type LifecycleState,
  type OciSeed,
  type OciState,
  type StoredInstance,
} from './store.js';
import { ApiError } from './validate.js';

export type ApiKeyRef = string | { tenancy: string; user: string; fingerprint?: string };

const FAULT_KINDS = ['latency', 'throttle', 'capacity', 'quota', 'error500', 'never_provision', 'drop'];

export class OciWorld {
  readonly now: () => number;
  readonly provisioningDelayMs: number;
  readonly terminatingDelayMs: number;
  /** Largest page a list answers, whatever `limit` asks. */
  readonly pageSize: number;
  /** Real OCIDs and Instance.region say `iad` for us-ashburn-1 (see sdk-tables.generated.ts). */
  readonly regionKey: string;
  /** How far the clock signed dates are checked against is moved from real time (POST /__emulator/clock). */
  authSkewMs = 0;
  readonly authNow: () => number;
  readonly events = new EventEmitter();
  readonly faults = new FaultTable();
  readonly tokens: SecurityTokenIssuer;
  readonly requests: ReceivedRequest[] = [];
  readonly state: OciState;
  readonly objectStore: ObjectStorageState;

  constructor(private readonly opts: OciEmulatorOptions) {
    this.now = opts.now ?? Date.now;
    this.provisioningDelayMs = opts.provisioningDelayMs ?? 30_000;
    this.terminatingDelayMs = opts.terminatingDelayMs ?? 20_000;
    this.pageSize = Math.max(1, opts.pageSize ?? 100);
    const region = opts.region ?? 'us-ashburn-1';
    this.regionKey = REGION_KEYS[region] ?? region;
    this.authNow = () => (opts.authNow ?? Date.now)() + this.authSkewMs;
    this.tokens = new SecurityTokenIssuer(this.authNow);
    this.state = loadStateFile<OciState>(opts.stateFile) ?? emptyState();
    if (opts.seed) this.applySeed(opts.seed);
    this.state.objectStorage ??= emptyObjectStorage(opts.objectStorage?.namespace ?? DEFAULT_NAMESPACE);
    this.objectStore = this.state.objectStorage;
    for (const b of opts.objectStorage?.buckets ?? []) this.objectStore.buckets[b] ??= {};
    for (const k of opts.apiKeys ?? []) {
      this.registerApiKey(
        k.keyId ?? { tenancy: k.tenancy ?? '', user: k.user ?? '', fingerprint: k.fingerprint },
        k.publicKeyPem,
      );
    }
  }

  save(): void {
    saveStateFile(this.opts.stateFile, this.state);
  }

  /** Seeds the read-only objects; only the kinds `seed` names are replaced. */
  applySeed(seed: OciSeed): void {
    for (const k of Object.keys(seed) as Array<keyof OciSeed>) {
      const v = seed[k];
      if (v) (this.state.seed as Record<string, unknown>)[k] = v;
    }
  }

  registerApiKey(key: ApiKeyRef, publicKeyPem: string): string {
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
    this.state.keys[keyId] = pem;
    this.save();
    return keyId;
  }

  setFault(f: OciFault): void {
    if (!f || !FAULT_KINDS.includes(f.kind))
      throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
    this.faults.add(f);
  }

  stateOf(i: StoredInstance): LifecycleState {
    return lifecycleOf(i, this.now(), this.terminatingDelayMs);
  }

  /** An instance as the API shows it, lifecycle evaluated now. */
  view(i: StoredInstance): Record<string, any> {
    return instanceJson(i, this.stateOf(i), this.regionKey);
  }

  etagOf(i: StoredInstance): string {
    return `"${createHash('sha256').update(`${i.id}:${i.version}`).digest('hex').slice(0, 32)}"`;
  }

  findInstance(id: string): StoredInstance | undefined {
    return this.state.instances.find((i) => i.id === id);
  }

  /** Where a seeded object without a compartment lives: required (never null) in the SDK's models. */
  defaultCompartment(): string {
    return this.state.seed.compartments[0]?.id ?? 'ocid1.tenancy.oc1..emulated';
  }

  /** Emits events for transitions that are due (lazily, on every request and tick). */
  refresh(): void {
    let changed = false;
    for (const i of this.state.instances) {
      const s = this.stateOf(i);
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
        this.events.emit('running', ev);
      }
      if (s === 'TERMINATED' && !i.terminatedEmitted) {
        i.terminatedEmitted = true;
        changed = true;
        const ev = {
          id: i.id,
          name: i.displayName,
          zone: i.details.availabilityDomain,
          tags: { ...i.freeformTags },
        };
        this.events.emit('terminated', ev);
      }
    }
    if (changed) this.save();
  }

  /** Keeps the last 5,000 answered API requests for tests to inspect. */
  record(op: ReceivedRequest['operation'], req: IncomingMessage, body: unknown, status: number): void {
    const path = req.url ?? '';
    this.requests.push({ operation: op, method: req.method ?? '', path, headers: req.headers, body, status });
    if (this.requests.length > 5000) this.requests.splice(0, this.requests.length - 5000);
  }
}
