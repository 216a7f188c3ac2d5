/** Serves `/__emulator/...` from the control route table (routes/control.ts). */
import type { ServerResponse } from 'node:http';
import { parseJsonBody, sendJson } from '../common/http.js';
import { routeTable } from './router.js';
import { CONTROL_ROUTES, sendUnknownControlRoute, type ControlCall } from './routes/control.js';

const findRoute = routeTable(CONTROL_ROUTES);

export function serveControl(
  call: Omit<ControlCall, 'body'>,
  res: ServerResponse,
  method: string,
  path: string,
  raw: Buffer,
): void {
  const body = parseJsonBody(raw) as Record<string, any> | undefined;
  const found = findRoute(method, path);
  if (!found) return sendUnknownControlRoute(res, method, path);
  let out: unknown;
  try {
    out = found.route.handler({ ...call, body });
  } catch (err) {
    return sendJson(res, 400, { error: (err as Error).message });
  }
  if (out === undefined) return sendUnknownControlRoute(res, method, path);
  sendJson(res, 200, out);
}
