import type { EventEmitter } from 'node:events';
import type { AccessTokenBook } from './access-tokens.js';
import type { ServiceAccountRecord } from './auth.js';
import type { GcpFault, GcpPreemption } from './faults.js';
import type { GcpSeed } from './seed.js';
import type { SeedInstance } from './world.js';

/**
 * A local Compute Engine (v1 REST) for tests, `demo` and manual trials: the official
 * @google-cloud/compute client talks to it unchanged (apiEndpoint 127.0.0.1, port,
 * protocol http) and authenticates with a self-signed service account JWT, which is
 * verified here against the registered public key.
 */
export interface GcpEmulatorOptions {
  port?: number;
  host?: string;
  /** Lifecycle clock (ms). Default Date.now. */
  now?: () => number;
  /** Clock for JWT iat/exp checks; default the real clock (the library signs with it). */
  authNow?: () => number;
  stateFile?: string;
  /** PROVISIONING → STAGING → RUNNING takes this long (default 3000 ms). */
  provisioningDelayMs?: number;
  /** Operations (insert, setLabels) reach DONE after this long (default 0). */
  operationDelayMs?: number;
  /** STOPPING → TERMINATED → gone takes this long after a delete (default 1000 ms). */
  deleteDelayMs?: number;
  /** Page size of instances.list when maxResults is not given (default 500, Google's). */
  pageSize?: number;
  seed?: Partial<GcpSeed>;
  /** Service account keys (Google's JSON; only the public half is kept) or records. */
  serviceAccounts?: (Record<string, unknown> | ServiceAccountRecord)[];
  faults?: GcpFault[];
  /** CPU quota per region; a launch beyond it fails with QUOTA_EXCEEDED. */
  cpuQuota?: Record<string, number>;
  /** Move lifecycles on a timer (default: only when `now` is not injected). */
  autoTick?: boolean;
  /** Access tokens issued by the emulated identity services (../gcp-identity/); accepted as bearer tokens. */
  accessTokens?: AccessTokenBook;
  /** Cloud Storage buckets that exist (storage.ts; kept in memory only). */
  buckets?: string[];
}

export interface ReceivedRequest {
  api: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
}

export interface GcpEmulator {
  url: string;
  port: number;
  /** What kasm-scale's `endpoint` key takes (same as url). */
  endpoint: string;
  close(): Promise<void>;
  events: EventEmitter;
  seed: GcpSeed;
  registerServiceAccount(
    emailOrKey: string | Record<string, unknown>,
    publicKeyPemOrKeyJson?: string,
    extra?: { keyId?: string; projects?: string[]; readOnly?: boolean },
  ): void;
  setFault(fault: GcpFault): void;
  /** Preempts Spot VMs now (see GcpPreemption); returns the names preempted. */
  preempt(p: GcpPreemption): string[];
  clearFaults(): void;
  faults(): GcpFault[];
  /** Every instance (JSON as instances.get answers, plus `project`). */
  instances(): (Record<string, unknown> & { project: string })[];
  /** Requests received on /compute/ (newest last; capped). */
  requests: ReceivedRequest[];
  /** The last received request of an API method, e.g. 'instances.insert'. */
  lastRequest(api: string): ReceivedRequest | undefined;
  /** Moves lifecycles to the current clock and emits due events. */
  tick(): void;
  /**
   * Puts instances straight into the world (no insert, no operation, no request logged):
   * for benchmarks and tests that need thousands at once. Validated like an insert; all
   * or nothing. Returns them as instances.get would answer.
   */
  seedInstances(items: SeedInstance[]): Record<string, unknown>[];
  /** Replaces an instance's labels as someone else would (new fingerprint). */
  setInstanceLabels(project: string, zone: string, name: string, labels: Record<string, string>): void;
  /** Adds to the clock (on top of `now`), for runs that cannot inject one. */
  advance(ms: number): void;
  /** The access tokens this API accepts besides self-signed JWTs (shared with ../gcp-identity/). */
  accessTokens: AccessTokenBook;
  /** Cloud Storage: makes a bucket; reads an object's data (undefined: none). */
  createBucket(name: string): void;
  object(bucket: string, name: string): Buffer | undefined;
}
