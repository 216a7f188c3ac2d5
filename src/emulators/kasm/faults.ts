/**
 * Fault injection for the Kasm emulator: the ways a real Kasm (or what sits in front of
 * it) fails, so the client's one-line errors and reconcile's caution can be tested.
 */
import type { ServerResponse } from 'node:http';
import { dropConnection, sendHtmlError, sendJson, sendText } from '../common/http.js';

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

/** Answers as the fault says, in the form Kasm (or the proxy in front of it) would; false: no answer sent. */
export function sendFault(res: ServerResponse, failure: KasmFault): boolean {
  switch (failure.kind) {
    case 'drop':
      dropConnection(res);
      return true;
    case 'html500':
      sendHtmlError(res, failure.status ?? 500);
      return true;
    case 'error_message':
      sendJson(res, 200, { error_message: failure.message ?? 'Injected failure' });
      return true;
    case 'status':
      sendStatusFault(res, failure.status ?? 500, failure.message);
      return true;
    case 'latency':
      // take() folds latency into latencyMs and never returns it as the failure.
      return false;
  }
}

function sendStatusFault(res: ServerResponse, status: number, message: string | undefined): void {
  if (status === 401) return sendJson(res, 401, { error_message: message ?? 'Unauthorized' });
  if (status === 403) return sendJson(res, 403, { error_message: message ?? 'Access Denied' });
  if (status === 429)
    return sendJson(res, 429, { error_message: message ?? 'Too Many Requests' }, { 'retry-after': '1' });
  if (message) return sendJson(res, status, { error_message: message });
  sendText(res, status, `${status} error`);
}
