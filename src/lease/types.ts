/**
 * The pass lock as one interface, whatever keeps it: a lock file in the state dir (one
 * machine), or a lease on a service every runner reaches (an object in OCI Object Storage
 * or Google Cloud Storage, a Kubernetes Lease). A lease has a holder and a TTL; the holder
 * renews it while the pass runs, and a lease nobody renewed for a TTL is taken over.
 */

export interface Lease {
  /** Where the lease lives, for messages: "oci-object-storage bucket ops/kasm-scale.lease". */
  readonly where: string;
  /** This pass's holder identity (hostname, pid and a random part). */
  readonly holder: string;
  /** Why the lease is no longer this pass's, or undefined while it is held. No I/O. */
  lostReason(): string | undefined;
  /** Renews now (one round trip) and returns lostReason(): called before a batch of actions. */
  confirm(): Promise<string | undefined>;
  /** Stops renewing and gives the lease back (never throws). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** Warnings (a takeover, a failed renewal) go here. */
  warn: (line: string) => void;
  /** The state dir (the file lock lives there). */
  stateDir: string;
  /** Lease clock in ms; default the wall clock (see clock.ts for KASM_SCALE_NOW). */
  clock?: () => number;
  /** Runs `fn` every `ms`; returns a cancel function. Default setInterval (unref'd). */
  every?: (fn: () => void, ms: number) => () => void;
  /** Holder identity; default hostname/pid/random. */
  holder?: string;
  /** Kubernetes in-cluster files are read under this prefix (tests); default none. */
  serviceAccountPrefix?: string;
}

/** What a shared lease stores: enough for the next runner to judge it, and for a person to read. */
export interface LeaseRecord {
  holder: string;
  acquiredAt: string;
  renewedAt: string;
  ttlSeconds: number;
  /** How many times the lease changed hands (as a Kubernetes Lease counts leaseTransitions). */
  transitions: number;
}

export interface Versioned {
  /** undefined: the lease exists but nobody holds it (a released Kubernetes Lease). */
  record: LeaseRecord | undefined;
  /** etag, generation or resourceVersion: the compare-and-swap token. */
  version: string;
}

/**
 * A compare-and-swap store for one lease record. `create` and `replace` answer undefined
 * when another writer got there first (412/409): that is a lost race, not an error.
 * Anything else (no bucket, no permission, no network) throws a CliError.
 */
export interface LeaseStore {
  readonly where: string;
  read(): Promise<Versioned | undefined>;
  create(record: LeaseRecord): Promise<string | undefined>;
  replace(record: LeaseRecord, version: string): Promise<string | undefined>;
  /** Gives the lease back if it is still at `version` (delete, or clear the holder). */
  free(version: string): Promise<void>;
  close?(): Promise<void>;
}
