/**
 * What the OCI emulator is started with and what it hands back (the in-process API the
 * tests, `demo` and `simulate` drive it with besides HTTP).
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { OciFault, OciOperation, OciPreemption } from './faults.js';
import type { StoredObject } from './object-storage.js';
import type { SecurityTokenClaims } from './security-tokens.js';
import type { OciSeed, StoredInstance } from './store.js';

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
