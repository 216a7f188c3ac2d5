/**
 * Fault injection for the Kasm emulator: the ways a real Kasm (or what sits in front of
 * it) fails, so the client's one-line errors and reconcile's caution can be tested.
 */
export type KasmFaultKind = 'error_message' | 'status' | 'html500' | 'latency' | 'drop';

export interface KasmFault {
  /** A call name (`get_servers`) or a path (`/api/public/get_servers`); omitted = every API call. */
  route?: string;
  kind: KasmFaultKind;
  /** error_message: the text; status: the error_message in a JSON body (optional). */
  message?: string;
  /** status / html500: the HTTP status (401, 403, 429, 500, 502, ...). */
  status?: number;
  /** latency: milliseconds added before the answer. */
  ms?: number;
  /** How many calls it hits; omitted = until cleared. */
  times?: number;
  /** Matching calls let through untouched before it starts hitting (e.g. 1: the second get_kasms of a pass). */
  skip?: number;
}

export function callNameOf(routeOrPath: string): string {
  const parts = routeOrPath.split('?')[0].split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

export class FaultBook {
  private faults: KasmFault[] = [];

  add(f: KasmFault): void {
    if (!['error_message', 'status', 'html500', 'latency', 'drop'].includes(f.kind))
      throw new Error(`unknown fault kind: ${String(f.kind)}`);
    this.faults.push({ ...f });
  }

  clear(): void {
    this.faults = [];
  }

  list(): KasmFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The faults that hit this call now (latency first, then at most one failure); consumes `times`. */
  take(call: string): { latencyMs: number; failure?: KasmFault } {
    let latencyMs = 0;
    let failure: KasmFault | undefined;
    for (const f of this.faults) {
      if (f.route !== undefined && callNameOf(f.route) !== call) continue;
      if (f.skip && f.skip > 0) {
        f.skip -= 1;
        continue;
      }
      if (f.kind === 'latency') {
        latencyMs += f.ms ?? 0;
        this.consume(f);
      } else if (!failure) {
        failure = { ...f };
        this.consume(f);
      }
    }
    this.faults = this.faults.filter((f) => f.times === undefined || f.times > 0);
    return { latencyMs, failure };
  }

  private consume(f: KasmFault): void {
    if (f.times !== undefined) f.times -= 1;
  }
}
