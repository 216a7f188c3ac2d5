/**
 * The OCI emulator's front doors, one per service it serves, each: find the route, check the
 * request's signature, call the handler, answer refusals as OCI's error JSON
 * (`{ code, message }`, `opc-request-id`). The order is OCI's: an unsigned request is
 * refused (401) before anything about the path is said, and a signed one for a path or
 * method the service does not have gets the same 404 NotAuthorizedOrNotFound as a resource
 * that is not there or not yours. The routes themselves: routes/table.ts.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, dropConnection, parseJsonBody, sendJson, type Handler } from '../common/http.js';
import { routeTable } from '../common/route-table.js';
import { isObjectStoragePath } from './object-storage.js';
import { notFound, type Answer } from './routes/call.js';
import { bucketOf } from './routes/object-storage.js';
import { COMPUTE_ROUTES, CONTROL_ROUTES, OBJECT_STORAGE_ROUTES } from './routes/table.js';
import { verifyOciSignature, type VerifyResult } from './signature.js';
import { ApiError } from './validate.js';
import type { OciWorld } from './world.js';

const API = '/20160918';
const CONTROL = '/__emulator';
const AUTH_MESSAGE = 'The required information to complete authentication was not provided or was incorrect.';

const findCompute = routeTable(COMPUTE_ROUTES);
const findObject = routeTable(OBJECT_STORAGE_ROUTES);
const findControl = routeTable(CONTROL_ROUTES);
/** A path outside /20160918 is no route of this API. */
const NO_ROUTE = { route: undefined, allowed: [], params: {} } as const;

const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();

/** The HTTP handler of an emulator holding `w`. */
export function ociRequestHandler(w: OciWorld): Handler {
  return async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = parseJsonBody(raw);
    if (url.pathname.startsWith(`${CONTROL}/`)) return serveControl(w, req, res, url, body);
    const requestId = `${hex(16)}/${hex(16)}`;
    if (isObjectStoragePath(url.pathname)) return serveObjectStorage(w, req, res, url, raw, requestId);
    return serveApi(w, req, res, url, raw, body, requestId);
  };
}

/** Compute, Identity and Network, under /20160918. */
async function serveApi(
  w: OciWorld,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: Buffer,
  body: unknown,
  requestId: string,
): Promise<void> {
  const path = url.pathname.startsWith(API) ? url.pathname.slice(API.length).replace(/\/+$/, '') : undefined;
  const found = path === undefined ? NO_ROUTE : findCompute(req.method ?? 'GET', path);
  const op = found.route?.operation ?? 'unknown';
  const send = (a: Answer) => {
    w.record(op, req, body, a.status);
    const headers = { 'opc-request-id': requestId, ...(a.headers ?? {}) };
    if (a.body === undefined) {
      res.writeHead(a.status, headers);
      res.end();
    } else sendJson(res, a.status, a.body, headers);
  };
  const fail = (e: ApiError) =>
    send({ status: e.status, body: { code: e.code, message: e.message }, headers: e.headers });

  // Latency and a dropped connection happen on the way, before the service checks anything.
  if (found.route) {
    const lat = w.faults.take(['latency'], found.route.operation);
    if (lat) await delay(lat.ms ?? 0);
    if (w.faults.take(['drop'], found.route.operation)) {
      w.record(op, req, body, 0);
      return dropConnection(res);
    }
  }
  const verdict = verifyOciSignature(
    { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw },
    // Security tokens (ST$…) are honoured here; Object Storage below takes API keys only.
    (keyId) =>
      keyId.startsWith('ST$') ? w.tokens.sessionKey(keyId.slice(3), w.authNow()) : w.state.keys[keyId],
    { now: w.authNow },
  );
  if (!verdict.ok) return fail(notAuthenticated(verdict));
  if (!found.route) return fail(notFound());
  const route = found.route;

  const thr = w.faults.take(['throttle'], route.operation);
  if (thr) {
    const retryAfter = { 'retry-after': String(thr.retryAfterSeconds ?? 1) };
    return fail(new ApiError(429, 'TooManyRequests', 'User-rate limit exceeded.', retryAfter));
  }
  if (w.faults.take(['error500'], route.operation))
    return fail(new ApiError(500, 'InternalError', 'Internal error occurred.'));

  w.refresh();
  try {
    // Decoded here, so a malformed escape is an unhandled error (500) after the signature check, as before.
    send(route.handler(w, { req, url, params: decoded(found.params), raw, body }));
  } catch (err) {
    if (err instanceof ApiError) return fail(err);
    throw err;
  }
  w.refresh();
}

/** Object Storage, under /n. */
function serveObjectStorage(
  w: OciWorld,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: Buffer,
  requestId: string,
): void {
  const method = req.method ?? 'GET';
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    w.record('unknown', req, undefined, status);
    const h = { 'opc-request-id': requestId, ...headers };
    if (Buffer.isBuffer(body)) {
      res.writeHead(status, h);
      res.end(method === 'HEAD' ? undefined : body);
    } else if (body === undefined) {
      res.writeHead(status, h);
      res.end();
    } else sendJson(res, status, body, h);
  };
  // GetNamespace is /n/ as well as /n; an object name may end in a slash, so nothing else is trimmed.
  const found = findObject(method, url.pathname === '/n/' ? '/n' : url.pathname);
  const verdict = verifyOciSignature(
    { method, path: req.url ?? '/', headers: req.headers, body: raw },
    (keyId) => w.state.keys[keyId],
    { now: w.authNow, unsignedBody: found.route?.unsignedBody },
  );
  if (!verdict.ok) {
    const e = notAuthenticated(verdict);
    return answer(e.status, { code: e.code, message: e.message });
  }
  try {
    const params = decoded(found.params);
    if (!found.route) {
      if (found.allowed.length === 0) throw notFound();
      // The service names a missing bucket before it refuses the method.
      if (params.bucketName !== undefined) bucketOf(w.objectStore, params);
      throw new ApiError(405, 'MethodNotAllowed', 'Method not allowed.');
    }
    const a = found.route.handler(w.objectStore, { req, params, raw, now: w.now() });
    if (method !== 'GET' && method !== 'HEAD') w.save();
    answer(a.status, a.body, a.headers);
  } catch (err) {
    if (err instanceof ApiError) return answer(err.status, { code: err.code, message: err.message });
    throw err;
  }
}

/** The control API, under /__emulator: unsigned, unrecorded, plain `{ code, message }` refusals. */
function serveControl(w: OciWorld, req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
  const { route } = findControl(req.method ?? 'GET', url.pathname.slice(CONTROL.length));
  if (!route)
    return sendJson(res, 404, {
      code: 'NotFound',
      message: `No emulator control route ${req.method} ${url.pathname}`,
    });
  try {
    sendJson(res, 200, route.handler(w, (body ?? {}) as Record<string, any>));
  } catch (err) {
    if (err instanceof ApiError) return sendJson(res, err.status, { code: err.code, message: err.message });
    sendJson(res, 400, { code: 'InvalidParameter', message: (err as Error).message });
  }
}

function notAuthenticated(verdict: Extract<VerifyResult, { ok: false }>): ApiError {
  const message = verdict.clockSkew ? verdict.reason : `${AUTH_MESSAGE} (${verdict.reason})`;
  return new ApiError(401, 'NotAuthenticated', message);
}

function decoded(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
}
