/**
 * Fault injection for the OCI emulator: each fault matches an operation (or all of them)
 * and, for launch faults, an availability domain; `times` counts how often it fires
 * (unlimited when omitted, until clearFaults()).
 */

export type OciOperation =
  | 'ListInstances'
  | 'LaunchInstance'
  | 'GetInstance'
  | 'UpdateInstance'
  | 'TerminateInstance'
  | 'GetImage'
  | 'ListShapes'
  | 'GetSubnet'
  | 'GetNetworkSecurityGroup'
  | 'ListAvailabilityDomains'
  | 'GetCompartment';

export type OciFaultKind =
  /** Delay the answer by `ms` (real time: it is network latency). */
  | 'latency'
  /** 429 TooManyRequests with Retry-After: `retryAfterSeconds`. */
  | 'throttle'
  /** 500 InternalError "Out of host capacity." on LaunchInstance (in `availabilityDomain`, or any). */
  | 'capacity'
  /** 400 LimitExceeded (default) or QuotaExceeded (`code`) on LaunchInstance. */
  | 'quota'
  /** 500 InternalError. */
  | 'error500'
  /** The launched instance stays PROVISIONING forever. */
  | 'never_provision'
  /** The connection is cut without an answer. */
  | 'drop';

export interface OciFault {
  kind: OciFaultKind;
  /** Default: every operation ('capacity', 'quota', 'never_provision': LaunchInstance). */
  operation?: OciOperation | '*';
  availabilityDomain?: string;
  times?: number;
  ms?: number;
  retryAfterSeconds?: number;
  code?: 'LimitExceeded' | 'QuotaExceeded';
  /** 'capacity' only: fire on preemptible launches only (preemptible capacity runs out, on-demand does not). */
  preemptibleOnly?: boolean;
}

/**
 * Preemption (not an armed fault but an event, on POST /__emulator/preempt): OCI reclaims
 * preemptible capacity and the instances go TERMINATING → TERMINATED, as their
 * TERMINATE preemption action says. `ids`, or the `count` oldest running preemptible
 * instances (of `availabilityDomain` when given); on-demand instances are never preempted.
 */
export interface OciPreemption {
  ids?: string[];
  count?: number;
  availabilityDomain?: string;
}

const LAUNCH_ONLY = new Set<OciFaultKind>(['capacity', 'quota', 'never_provision']);

export class FaultTable {
  private faults: Array<OciFault & { left: number }> = [];

  add(f: OciFault): void {
    if (f.times !== undefined && (!Number.isInteger(f.times) || f.times < 1))
      throw new Error('fault times must be a positive integer');
    this.faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  list(): OciFault[] {
    return this.faults.map(({ left, ...f }) => ({ ...f, times: Number.isFinite(left) ? left : undefined }));
  }

  /** Consumes and returns the first matching fault of one of `kinds`, if any. */
  take(
    kinds: OciFaultKind[],
    operation: OciOperation,
    availabilityDomain?: string,
    launch: { preemptible?: boolean } = {},
  ): OciFault | undefined {
    const i = this.faults.findIndex((f) => {
      if (!kinds.includes(f.kind)) return false;
      if (f.preemptibleOnly && !launch.preemptible) return false;
      const op = f.operation ?? (LAUNCH_ONLY.has(f.kind) ? 'LaunchInstance' : '*');
      if (op !== '*' && op !== operation) return false;
      if (f.availabilityDomain && f.availabilityDomain !== availabilityDomain) return false;
      return true;
    });
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.left -= 1;
    if (f.left <= 0) this.faults.splice(i, 1);
    return f;
  }
}
