/**
 * Fault injection: each fault fires `count` times (default: until cleared) on the API
 * calls it names (`instances.insert`, `instances.list`, ... ; default: every call), and for
 * stockout/quota only on launches in its `zone` (default: every zone).
 */

export type GcpFault =
  /** Adds delay before answering (real time: this is what latency is). */
  | { kind: 'latency'; ms: number; count?: number; methods?: string[] }
  /** 429 rateLimitExceeded, with Retry-After when retryAfterSeconds is given. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number; count?: number; methods?: string[] }
  /** 500 backendError (or 503 with status: 503). */
  | { kind: 'serverError'; status?: 500 | 503; count?: number; methods?: string[] }
  /** The socket is destroyed without an answer. */
  | { kind: 'dropConnection'; count?: number; methods?: string[] }
  /** instances.insert accepted, operation ends DONE with ZONE_RESOURCE_POOL_EXHAUSTED (or the given code); no instance. `spotOnly`: Spot capacity runs out, standard does not. */
  | {
      kind: 'stockout';
      zone?: string;
      spotOnly?: boolean;
      code?:
        | 'ZONE_RESOURCE_POOL_EXHAUSTED'
        | 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS'
        | 'RESOURCE_POOL_EXHAUSTED';
      count?: number;
    }
  /** instances.insert: operation error QUOTA_EXCEEDED (or, with `http: true`, an immediate 403 quotaExceeded). */
  | { kind: 'quota'; zone?: string; metric?: string; http?: boolean; count?: number }
  /** Launched instances stay PROVISIONING for ever (a broken image / startup that never boots). */
  | { kind: 'stuckProvisioning'; zone?: string; count?: number }
  /** Operations started now never reach DONE. */
  | { kind: 'stuckOperation'; count?: number; methods?: string[] };

/**
 * Preemption (an event, not an armed fault; POST /__emulator/preempt): the named
 * instances, or the `count` oldest running Spot VMs (of `zone` when given), are preempted.
 */
export interface GcpPreemption {
  names?: string[];
  zone?: string;
  project?: string;
  count?: number;
}

export const FAULT_KINDS = [
  'latency',
  'rateLimit',
  'serverError',
  'dropConnection',
  'stockout',
  'quota',
  'stuckProvisioning',
  'stuckOperation',
] as const;

interface Armed {
  fault: GcpFault;
  left: number;
}

export class FaultBook {
  private armed: Armed[] = [];

  add(fault: GcpFault): void {
    if (!FAULT_KINDS.includes(fault.kind))
      throw new Error(
        `unknown fault kind ${String((fault as { kind: unknown }).kind)}; known: ${FAULT_KINDS.join(', ')}`,
      );
    const count = fault.count ?? Number.POSITIVE_INFINITY;
    if (!(count > 0)) return;
    this.armed.push({ fault, left: count });
  }

  clear(): void {
    this.armed = [];
  }

  list(): GcpFault[] {
    return this.armed.map((a) => ({ ...a.fault, count: Number.isFinite(a.left) ? a.left : undefined }));
  }

  /** Takes one firing of the first matching fault of a kind (and uses it up). */
  take<K extends GcpFault['kind']>(
    kind: K,
    ctx: { method?: string; zone?: string; spot?: boolean },
  ): Extract<GcpFault, { kind: K }> | undefined {
    for (const a of this.armed) {
      const f = a.fault;
      if (f.kind !== kind) continue;
      const methods = 'methods' in f ? f.methods : undefined;
      if (methods && methods.length > 0 && (!ctx.method || !methods.includes(ctx.method))) continue;
      const zone = 'zone' in f ? f.zone : undefined;
      if (zone && ctx.zone !== zone) continue;
      if ('spotOnly' in f && f.spotOnly && !ctx.spot) continue;
      a.left -= 1;
      if (a.left <= 0) this.armed = this.armed.filter((x) => x !== a);
      return f as Extract<GcpFault, { kind: K }>;
    }
    return undefined;
  }
}
