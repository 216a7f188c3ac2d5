/**
 * How a Compute Engine request is served, in the order Google's front end does it: find the
 * route (an unknown path or method is a 404 before any credential is looked at), log it,
 * apply the injected latency/drop faults, authenticate, refuse what the caller may not do,
 * apply the injected error faults, then run the route's handler. Every refusal is Google's
 * error JSON (google-errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, dropConnection, parseJsonBody, sendJson } from '../common/http.js';
import type { AccessTokenBook } from './access-tokens.js';
import { verifyBearer, type ServiceAccountRecord } from './auth.js';
import type { FaultBook } from './faults.js';
import {
  forbidden,
  GoogleApiError,
  insufficientScopes,
  internal,
  invalid,
  notFound,
  rateLimited,
  sendGoogleError,
  unauthenticated,
} from './google-errors.js';
import type { ReceivedRequest } from './emulator-api.js';
import { routeTable, type RouteMatch } from './router.js';
import type { ComputeEnv, ComputeRoute } from './routes/compute-route.js';
import { COMPUTE_ROUTES } from './routes/compute-routes.js';

export interface ComputeDeps {
  env: ComputeEnv;
  faults: FaultBook;
  accessTokens: AccessTokenBook;
  accounts: () => readonly ServiceAccountRecord[];
  /** The request log (newest last), capped at MAX_LOG. */
  requests: ReceivedRequest[];
  /** Clock for JWT iat/exp checks. */
  authNow: () => number;
}

const MAX_LOG = 2000;
const findRoute = routeTable(COMPUTE_ROUTES);
const SERVED_METHODS = new Set(COMPUTE_ROUTES.map((r) => r.method));
/** `/compute/v1/projects/{project}/...`: the project, then the path the route table matches. */
const PROJECT_PATH = /^\/compute\/v1\/projects\/([^/]+)\/?(.*)$/;

export async function serveCompute(
  d: ComputeDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: Buffer,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const m = PROJECT_PATH.exec(url.pathname);
  // The rest is decoded before matching (an escaped `/` separates, as it always has here);
  // a malformed escape throws, which the server answers 500, on methods some route serves.
  const found = m && SERVED_METHODS.has(method) ? findRoute(method, decodeURIComponent(m[2])) : undefined;
  if (!m || !found) return sendGoogleError(res, notFound(url.pathname.replace(/^\/compute\/v1\//, '')));
  const project = decodeURIComponent(m[1]);
  const body = method === 'GET' || method === 'DELETE' ? undefined : parseJsonBody(raw);
  const { route, params } = found;
  d.requests.push({
    api: route.api,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body,
    at: d.env.now(),
  });
  if (d.requests.length > MAX_LOG) d.requests.splice(0, d.requests.length - MAX_LOG);

  const lat = d.faults.take('latency', { method: route.api });
  if (lat) await delay(lat.ms);
  if (d.faults.take('dropConnection', { method: route.api })) return dropConnection(res);
  const issued = d.accessTokens.fromHeader(req.headers.authorization, d.authNow());
  const auth: ReturnType<typeof verifyBearer> = issued
    ? { ok: true, account: issued.account }
    : verifyBearer(req.headers.authorization, d.accounts(), d.authNow());
  if (!auth.ok)
    return sendGoogleError(res, auth.insufficientScope ? insufficientScopes() : unauthenticated(), {
      'x-emulator-auth-failure': auth.reason,
    });
  if (route.write && auth.readOnlyScope)
    return sendGoogleError(res, insufficientScopes(), {
      'x-emulator-auth-failure': "the JWT's scopes allow reads only",
    });
  const rl = d.faults.take('rateLimit', { method: route.api });
  if (rl) return sendGoogleError(res, rateLimited(rl.retryAfterSeconds));
  const se = d.faults.take('serverError', { method: route.api });
  if (se) return sendGoogleError(res, internal(se.status ?? 500));
  // Lets a test act "between" two calls of a client (e.g. change labels under it).
  d.env.world.events.emit('request', {
    api: route.api,
    project,
    params: Object.values(params),
    query: Object.fromEntries(url.searchParams),
    body,
  });
  try {
    refuseCaller(d, found, project, auth.account, body, method);
    let gone = false;
    res.once('close', () => void (gone = true));
    const out = await route.handler({
      env: d.env,
      project,
      params,
      query: url.searchParams,
      body,
      user: auth.account.clientEmail,
      gone: () => gone,
    });
    sendJson(res, 200, out);
  } catch (err) {
    if (err instanceof GoogleApiError) return sendGoogleError(res, err);
    throw err;
  }
}

/** Throws what Compute Engine answers a caller the project, its roles or its body do not allow. */
function refuseCaller(
  d: ComputeDeps,
  { route, params }: RouteMatch<ComputeRoute>,
  project: string,
  account: ServiceAccountRecord,
  body: unknown,
  method: string,
): void {
  const { seed } = d.env;
  // Public image projects (debian-cloud, ...) are readable by everyone, for images only.
  const imageProject =
    (route.api.startsWith('images.') || route.api.startsWith('imageFamilyViews.')) &&
    seed.images.some((i) => i.project === project);
  if (!seed.projects.includes(project) && !imageProject) throw notFound(`projects/${project}`);
  if (account.projects && !account.projects.includes(project) && !imageProject)
    throw forbidden(route.write?.permission ?? 'compute.instances.list', `projects/${project}`);
  if (route.write && account.readOnly)
    throw forbidden(
      route.write.permission,
      `projects/${project}/zones/${params.zone}/instances/${params.instance ?? (body as { name?: string })?.name ?? ''}`,
    );
  if (body === undefined && method === 'POST') throw invalid('Invalid JSON payload received.');
}
