/**
 * The control methods as HTTP routes, for `kasm-scale emulator kasm` and tests in another
 * process: any method, /__emulator/<name>, a JSON body of the method's arguments. No key:
 * the emulator listens on loopback only. Answers are JSON: the result (or {ok: true}),
 * 400 {error} when the method refuses, 404 {error} for an unknown method.
 */
import type { ServerResponse } from 'node:http';
import { parseJsonBody, sendJson } from '../common/http.js';
import type { RegisterAgentInput } from './agent-control.js';
import type { AddAutoscaleConfigInput } from './autoscale-configs.js';
import type { KasmControl } from './control.js';
import type { KasmFault } from './faults.js';
import { matchRoute, type Route } from './router.js';
import type { AddSessionInput } from './sessions.js';

type Args = Record<string, unknown>;
type ControlHandler = (emu: KasmControl, a: Args) => unknown;

const route = (name: string, handler: ControlHandler): Route<ControlHandler> => ({
  method: '*',
  path: `/__emulator/${name}`,
  handler,
});
const ok = { ok: true };

export const CONTROL_ROUTES: readonly Route<ControlHandler>[] = [
  route('registerAgent', (emu, a) => emu.registerAgent(a as unknown as RegisterAgentInput)),
  route('setAgentStatus', (emu, a) =>
    emu.setAgentStatus(String(a.server_id), String(a.operational_status ?? a.status), {
      enabled: a.enabled as boolean | undefined,
    }),
  ),
  route('removeAgent', (emu, a) => ({ removed: emu.removeAgent(String(a.server_id)) })),
  route('checkIn', (emu, a) => ({ ok: emu.checkIn(String(a.server_id)) })),
  route('stopCheckingIn', (emu, a) => ({ ok: emu.stopCheckingIn(String(a.server_id)) })),
  route('addZone', (emu, a) => {
    emu.addZone(String(a.zone_name));
    return ok;
  }),
  route('addSession', (emu, a) => emu.addSession(a as unknown as AddSessionInput)),
  route('setSessionStatus', (emu, a) =>
    emu.setSessionStatus(String(a.kasm_id), String(a.operational_status ?? a.status)),
  ),
  route('removeSession', (emu, a) => ({ removed: emu.removeSession(String(a.kasm_id)) })),
  route('addAutoscaleConfig', (emu, a) => emu.addAutoscaleConfig(a as unknown as AddAutoscaleConfigInput)),
  route('setAutoscaleConfigEnabled', (emu, a) => {
    emu.setAutoscaleConfigEnabled(String(a.autoscale_config_id), Boolean(a.enabled));
    return ok;
  }),
  route('assignWaitingSessions', (emu) => ({ assigned: emu.assignWaitingSessions() })),
  route('setFault', (emu, a) => {
    emu.setFault(a as unknown as KasmFault);
    return ok;
  }),
  route('clearFaults', (emu) => {
    emu.clearFaults();
    return ok;
  }),
  route('calls', (emu) => emu.calls()),
  route('state', (emu) => emu.state()),
];

/** The control method a path names (letters only), or undefined when it is no control path. */
export function controlMethodOf(path: string): string | undefined {
  return /^\/__emulator\/([A-Za-z]+)\/?$/.exec(path)?.[1];
}

export function answerControl(
  emu: KasmControl,
  res: ServerResponse,
  method: string,
  name: string,
  body: Buffer,
): void {
  const doc = parseJsonBody(body);
  if (doc === undefined) return sendJson(res, 400, { error: 'body is not JSON' });
  const found = matchRoute(CONTROL_ROUTES, method, `/__emulator/${name}`);
  if (found.kind !== 'found') return sendJson(res, 404, { error: `unknown control method ${name}` });
  try {
    sendJson(res, 200, found.route.handler(emu, (doc ?? {}) as Args) ?? ok);
  } catch (err) {
    sendJson(res, 400, { error: (err as Error).message });
  }
}
