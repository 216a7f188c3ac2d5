/**
 * The emulator's own control API under `/__emulator/` (faults, preemption, keys, clock), for
 * `curl` and for tests in another process. Not Google's: answers are plain JSON, a handler
 * that throws answers 400 with its message, an unknown route 404.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../../common/http.js';
import type { ServiceAccountRecord } from '../auth.js';
import type { GcpEmulator, ReceivedRequest } from '../emulator-api.js';
import type { GcpFault, GcpPreemption } from '../faults.js';
import type { Route } from '../router.js';

export interface ControlCall {
  emulator: GcpEmulator;
  /** The parsed JSON body ({} when empty, undefined when not JSON). */
  body: Record<string, any> | undefined;
  accounts: () => readonly ServiceAccountRecord[];
  requests: ReceivedRequest[];
  /** How many instances the world holds (cheaper than rendering them). */
  instanceCount: () => number;
  now: () => number;
}

export interface ControlRoute extends Route {
  /** The answer's JSON; `undefined` answers as an unknown route would. */
  handler: (c: ControlCall) => unknown;
}

export const CONTROL_ROUTES: readonly ControlRoute[] = [
  { method: '*', path: 'health', handler: (c) => ({ ok: true, instances: c.instanceCount() }) },
  { method: 'GET', path: 'faults', handler: (c) => ({ faults: c.emulator.faults() }) },
  {
    method: 'DELETE',
    path: 'faults',
    handler: (c) => (c.emulator.clearFaults(), { faults: [] }),
  },
  {
    method: 'POST',
    path: 'faults',
    handler: (c) => {
      for (const f of Array.isArray(c.body) ? c.body : [c.body]) c.emulator.setFault(f as GcpFault);
      return { faults: c.emulator.faults() };
    },
  },
  {
    method: 'POST',
    path: 'preempt',
    handler: (c) => ({ preempted: c.emulator.preempt((c.body ?? {}) as GcpPreemption) }),
  },
  { method: 'POST', path: 'service-accounts', handler: registerServiceAccount },
  { method: 'GET', path: 'instances', handler: (c) => ({ instances: c.emulator.instances() }) },
  { method: 'GET', path: 'requests', handler: (c) => ({ requests: c.requests }) },
  { method: 'POST', path: 'tick', handler: (c) => (c.emulator.tick(), { now: c.now() }) },
  {
    method: 'POST',
    path: 'advance',
    handler: (c) => (c.emulator.advance(Number(c.body?.ms ?? 0)), { now: c.now() }),
  },
];

function registerServiceAccount({ body, emulator, accounts }: ControlCall): unknown {
  if (!body) return undefined;
  // `curl --data @key.json` works too: a bare key as downloaded (only its public half is kept).
  if (body.type === 'service_account') emulator.registerServiceAccount(body);
  else if (body.key)
    emulator.registerServiceAccount(body.key, undefined, {
      projects: body.projects,
      readOnly: body.read_only,
    });
  else
    emulator.registerServiceAccount(String(body.client_email), String(body.public_key_pem), {
      keyId: body.key_id,
      projects: body.projects,
      readOnly: body.read_only,
    });
  return { service_accounts: accounts().map((a) => ({ client_email: a.clientEmail, key_id: a.keyId })) };
}

export function sendUnknownControlRoute(res: ServerResponse, method: string, path: string): void {
  sendJson(res, 404, { error: `unknown control route ${method} /__emulator/${path}` });
}
