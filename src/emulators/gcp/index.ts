import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import { delay, dropConnection, listen, parseJsonBody, sendJson } from '../common/http.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import { AccessTokenBook } from './access-tokens.js';
import { toServiceAccountRecord, verifyBearer, type ServiceAccountRecord } from './auth.js';
import { FaultBook, type GcpFault, type GcpPreemption } from './faults.js';
import { matches, parseFilter } from './filter.js';
import { waitForOperation } from './operation-wait.js';
import { tokenAnswer } from './token.js';
import { isStoragePath, storageAnswer, type GcsState } from './storage.js';
import { defaultComputeAccount, projectNumber } from './project.js';
import {
  forbidden,
  GoogleApiError,
  insufficientScopes,
  internal,
  invalid,
  invalidField,
  notFound,
  rateLimited,
  unauthenticated,
} from './google-errors.js';
import { defaultSeed, machineTypeSpec, mergeSeed, regionOfZone, type GcpSeed } from './seed.js';
import { findImage } from './validate.js';
import { API_BASE, World, type SeedInstance, type WorldState } from './world.js';
import { own } from '../../core/own.js';

export type { GcpFault, GcpPreemption } from './faults.js';
export type { GcpSeed } from './seed.js';
export type { RunningEvent, SeedInstance } from './world.js';

/**
 * A local Compute Engine (v1 REST) for tests, `demo` and manual trials: the official
 * @google-cloud/compute client talks to it unchanged (apiEndpoint 127.0.0.1, port,
 * protocol http) and authenticates with a self-signed service account JWT, which is
 * verified here against the registered public key.
 */
export interface GcpEmulatorOptions {
  port?: number;
  host?: string;
  /** Lifecycle clock (ms). Default Date.now. */
  now?: () => number;
  /** Clock for JWT iat/exp checks; default the real clock (the library signs with it). */
  authNow?: () => number;
  stateFile?: string;
  /** PROVISIONING → STAGING → RUNNING takes this long (default 3000 ms). */
  provisioningDelayMs?: number;
  /** Operations (insert, setLabels) reach DONE after this long (default 0). */
  operationDelayMs?: number;
  /** STOPPING → TERMINATED → gone takes this long after a delete (default 1000 ms). */
  deleteDelayMs?: number;
  /** Page size of instances.list when maxResults is not given (default 500, Google's). */
  pageSize?: number;
  seed?: Partial<GcpSeed>;
  /** Service account keys (Google's JSON; only the public half is kept) or records. */
  serviceAccounts?: (Record<string, unknown> | ServiceAccountRecord)[];
  faults?: GcpFault[];
  /** CPU quota per region; a launch beyond it fails with QUOTA_EXCEEDED. */
  cpuQuota?: Record<string, number>;
  /** Move lifecycles on a timer (default: only when `now` is not injected). */
  autoTick?: boolean;
  /** Access tokens issued by the emulated identity services (../gcp-identity/); accepted as bearer tokens. */
  accessTokens?: AccessTokenBook;
  /** Cloud Storage buckets that exist (storage.ts; kept in memory only). */
  buckets?: string[];
}

export interface ReceivedRequest {
  api: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
}

export interface GcpEmulator {
  url: string;
  port: number;
  /** What kasm-scale's `endpoint` key takes (same as url). */
  endpoint: string;
  close(): Promise<void>;
  events: EventEmitter;
  seed: GcpSeed;
  registerServiceAccount(
    emailOrKey: string | Record<string, unknown>,
    publicKeyPemOrKeyJson?: string,
    extra?: { keyId?: string; projects?: string[]; readOnly?: boolean },
  ): void;
  setFault(fault: GcpFault): void;
  /** Preempts Spot VMs now (see GcpPreemption); returns the names preempted. */
  preempt(p: GcpPreemption): string[];
  clearFaults(): void;
  faults(): GcpFault[];
  /** Every instance (JSON as instances.get answers, plus `project`). */
  instances(): (Record<string, unknown> & { project: string })[];
  /** Requests received on /compute/ (newest last; capped). */
  requests: ReceivedRequest[];
  /** The last received request of an API method, e.g. 'instances.insert'. */
  lastRequest(api: string): ReceivedRequest | undefined;
  /** Moves lifecycles to the current clock and emits due events. */
  tick(): void;
  /**
   * Puts instances straight into the world (no insert, no operation, no request logged):
   * for benchmarks and tests that need thousands at once. Validated like an insert; all
   * or nothing. Returns them as instances.get would answer.
   */
  seedInstances(items: SeedInstance[]): Record<string, unknown>[];
  /** Replaces an instance's labels as someone else would (new fingerprint). */
  setInstanceLabels(project: string, zone: string, name: string, labels: Record<string, string>): void;
  /** Adds to the clock (on top of `now`), for runs that cannot inject one. */
  advance(ms: number): void;
  /** The access tokens this API accepts besides self-signed JWTs (shared with ../gcp-identity/). */
  accessTokens: AccessTokenBook;
  /** Cloud Storage: makes a bucket; reads an object's data (undefined: none). */
  createBucket(name: string): void;
  object(bucket: string, name: string): Buffer | undefined;
}

interface Persisted {
  world: WorldState;
  serviceAccounts: ServiceAccountRecord[];
  /** Projects added at run time (a registered key's project_id). */
  projects?: string[];
}

type Route = { api: string; write?: { permission: string }; run: (ctx: RouteCtx) => unknown };
interface RouteCtx {
  project: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  user: string;
  /** True once the client has gone away (a blocked wait stops). */
  gone: () => boolean;
}

const MAX_LOG = 2000;

export async function startGcpEmulator(opts: GcpEmulatorOptions = {}): Promise<GcpEmulator> {
  const baseNow = opts.now ?? Date.now;
  let offset = 0;
  const now = (): number => baseNow() + offset;
  const authNow = opts.authNow ?? Date.now;
  const seed = mergeSeed(defaultSeed(), opts.seed);
  const faults = new FaultBook();
  for (const f of opts.faults ?? []) faults.add(f);
  let accounts: ServiceAccountRecord[] = [];
  const requests: ReceivedRequest[] = [];
  const accessTokens = opts.accessTokens ?? new AccessTokenBook();

  const persisted = loadStateFile<Persisted>(opts.stateFile);
  const save = (): void =>
    saveStateFile(opts.stateFile, {
      world: world.snapshot(),
      serviceAccounts: accounts,
      projects: seed.projects,
    } satisfies Persisted);
  const world: World = new World(
    seed,
    faults,
    {
      now,
      provisioningDelayMs: opts.provisioningDelayMs ?? 3000,
      operationDelayMs: opts.operationDelayMs ?? 0,
      deleteDelayMs: opts.deleteDelayMs ?? 1000,
      cpuQuota: opts.cpuQuota,
    },
    () => save(),
  );
  if (persisted) {
    world.restore(persisted.world);
    accounts = persisted.serviceAccounts ?? [];
    for (const pr of persisted.projects ?? []) if (!seed.projects.includes(pr)) seed.projects.push(pr);
  }

  const registerServiceAccount: GcpEmulator['registerServiceAccount'] = (emailOrKey, pub, extra) => {
    const rec = toServiceAccountRecord(emailOrKey, pub, extra);
    accounts = accounts.filter((a) => !(a.clientEmail === rec.clientEmail && a.keyId === rec.keyId));
    accounts.push(rec);
    // A key's own project exists in the emulated world: what a newcomer expects.
    const key =
      typeof emailOrKey === 'object'
        ? emailOrKey
        : pub?.trim().startsWith('{')
          ? (JSON.parse(pub) as Record<string, unknown>)
          : undefined;
    if (typeof key?.project_id === 'string' && !seed.projects.includes(key.project_id))
      seed.projects.push(key.project_id);
    save();
  };
  for (const sa of opts.serviceAccounts ?? []) {
    if ('publicKeyPem' in sa && typeof sa.publicKeyPem === 'string')
      registerServiceAccount(String(sa.clientEmail), sa.publicKeyPem, {
        keyId: sa.keyId as string | undefined,
        projects: sa.projects as string[] | undefined,
        readOnly: sa.readOnly as boolean | undefined,
      });
    else registerServiceAccount(sa as Record<string, unknown>);
  }

  const pageSize = opts.pageSize ?? 500;
  const zoneOf = (z: string): string => {
    if (!regionOfZone(seed, z)) throw invalidField('zone', z, 'Unknown zone.');
    return z;
  };
  const routes: [RegExp, string, Route][] = [
    [
      /^$/,
      'GET',
      {
        api: 'projects.get',
        run: (c) => ({
          kind: 'compute#project',
          id: projectNumber(c.project),
          name: c.project,
          selfLink: `${API_BASE}projects/${c.project}`,
          defaultServiceAccount: defaultComputeAccount(c.project),
          commonInstanceMetadata: { items: [] },
        }),
      },
    ],
    [/^zones\/([^/]+)$/, 'GET', { api: 'zones.get', run: (c) => zoneJson(seed, c.project, c.params[0]) }],
    [
      /^regions\/([^/]+)$/,
      'GET',
      { api: 'regions.get', run: (c) => regionJson(seed, c.project, c.params[0]) },
    ],
    [/^zones\/([^/]+)\/instances$/, 'GET', { api: 'instances.list', run: (c) => listInstances(c) }],
    [
      /^aggregated\/instances$/,
      'GET',
      { api: 'instances.aggregatedList', run: (c) => aggregatedInstances(c) },
    ],
    [
      /^zones\/([^/]+)\/instances$/,
      'POST',
      {
        api: 'instances.insert',
        write: { permission: 'compute.instances.create' },
        run: (c) =>
          world.operationJson(
            world.insert(
              c.project,
              zoneOf(c.params[0]),
              c.body,
              c.query.get('requestId') ?? undefined,
              c.user,
            ),
          ),
      },
    ],
    [
      /^zones\/([^/]+)\/instances\/([^/]+)$/,
      'GET',
      {
        api: 'instances.get',
        run: (c) => world.instanceJson(world.getInstance(c.project, zoneOf(c.params[0]), c.params[1])),
      },
    ],
    [
      /^zones\/([^/]+)\/instances\/([^/]+)$/,
      'DELETE',
      {
        api: 'instances.delete',
        write: { permission: 'compute.instances.delete' },
        run: (c) =>
          world.operationJson(
            world.delete(
              c.project,
              zoneOf(c.params[0]),
              c.params[1],
              c.query.get('requestId') ?? undefined,
              c.user,
            ),
          ),
      },
    ],
    [
      /^zones\/([^/]+)\/instances\/([^/]+)\/setLabels$/,
      'POST',
      {
        api: 'instances.setLabels',
        write: { permission: 'compute.instances.setLabels' },
        run: (c) =>
          world.operationJson(
            world.setLabels(
              c.project,
              zoneOf(c.params[0]),
              c.params[1],
              c.body,
              c.query.get('requestId') ?? undefined,
              c.user,
            ),
          ),
      },
    ],
    [
      /^zones\/([^/]+)\/operations\/([^/]+)$/,
      'GET',
      {
        api: 'zoneOperations.get',
        run: (c) => world.operationJson(world.getOperation(c.project, zoneOf(c.params[0]), c.params[1])),
      },
    ],
    [/^zones\/([^/]+)\/operations$/, 'GET', { api: 'zoneOperations.list', run: (c) => listOperations(c) }],
    // Blocks until DONE or about 2 minutes of the emulator's clock, as Google's wait does.
    [
      /^zones\/([^/]+)\/operations\/([^/]+)\/wait$/,
      'POST',
      {
        api: 'zoneOperations.wait',
        run: async (c) => {
          const read = () => world.getOperation(c.project, zoneOf(c.params[0]), c.params[1]);
          return world.operationJson(
            await waitForOperation(world, read, { now, abandoned: () => closing || c.gone() }),
          );
        },
      },
    ],
    [
      /^zones\/([^/]+)\/machineTypes\/([^/]+)$/,
      'GET',
      {
        api: 'machineTypes.get',
        run: (c) => machineTypeJson(seed, c.project, zoneOf(c.params[0]), c.params[1]),
      },
    ],
    [
      /^zones\/([^/]+)\/acceleratorTypes\/([^/]+)$/,
      'GET',
      {
        api: 'acceleratorTypes.get',
        run: (c) => acceleratorTypeJson(seed, c.project, zoneOf(c.params[0]), c.params[1]),
      },
    ],
    [
      /^zones\/([^/]+)\/diskTypes\/([^/]+)$/,
      'GET',
      { api: 'diskTypes.get', run: (c) => diskTypeJson(seed, c.project, zoneOf(c.params[0]), c.params[1]) },
    ],
    [
      /^zones\/([^/]+)\/imageFamilyViews\/([^/]+)$/,
      'GET',
      {
        api: 'imageFamilyViews.get',
        run: (c) => (
          zoneOf(c.params[0]),
          { image: imageJson(seed, c.project, `global/images/family/${c.params[1]}`) }
        ),
      },
    ],
    [
      /^global\/images\/family\/([^/]+)$/,
      'GET',
      {
        api: 'images.getFromFamily',
        run: (c) => imageJson(seed, c.project, `global/images/family/${c.params[0]}`),
      },
    ],
    [
      /^global\/images\/([^/]+)$/,
      'GET',
      { api: 'images.get', run: (c) => imageJson(seed, c.project, `global/images/${c.params[0]}`) },
    ],
    [
      /^global\/networks\/([^/]+)$/,
      'GET',
      { api: 'networks.get', run: (c) => networkJson(seed, c.project, c.params[0]) },
    ],
    [
      /^regions\/([^/]+)\/subnetworks\/([^/]+)$/,
      'GET',
      { api: 'subnetworks.get', run: (c) => subnetworkJson(seed, c.project, c.params[0], c.params[1]) },
    ],
  ];

  /** zoneOperations.list: filter and keyset paging on the name, as instances.list. */
  function listOperations(c: RouteCtx): unknown {
    const zone = zoneOf(c.params[0]);
    const { filter, size, after } = listQuery(c);
    const all = world
      .listOperations(c.project, zone)
      .map((o) => world.operationJson(o))
      .filter((j) => matches(filter, j))
      .sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1))
      .filter((j) => after === undefined || String(j.name) > after);
    const items = all.slice(0, size);
    return {
      kind: 'compute#operationList',
      id: `projects/${c.project}/zones/${zone}/operations`,
      items,
      selfLink: `${API_BASE}projects/${c.project}/zones/${zone}/operations`,
      ...(all.length > items.length
        ? {
            nextPageToken: Buffer.from(JSON.stringify({ after: items[items.length - 1].name })).toString(
              'base64url',
            ),
          }
        : {}),
    };
  }

  function listInstances(c: RouteCtx): unknown {
    const zone = zoneOf(c.params[0]);
    const { filter, size, after } = listQuery(c);
    // Keyset paging on the name: an instance added or removed between pages never shifts others.
    const all = world
      .listInstances(c.project, zone)
      .map((i) => world.instanceJson(i))
      .filter((j) => matches(filter, j))
      .filter((j) => after === undefined || String(j.name) > after);
    const items = all.slice(0, size);
    const more = all.length > items.length;
    return {
      kind: 'compute#instanceList',
      id: `projects/${c.project}/zones/${zone}/instances`,
      items,
      selfLink: `${API_BASE}projects/${c.project}/zones/${zone}/instances`,
      ...(more
        ? {
            nextPageToken: Buffer.from(JSON.stringify({ after: items[items.length - 1].name })).toString(
              'base64url',
            ),
          }
        : {}),
    };
  }

  /** instances.aggregatedList: every zone, grouped under `zones/<zone>`; keyset paging on zone/name. */
  function aggregatedInstances(c: RouteCtx): unknown {
    const { filter, size, after } = listQuery(c);
    const all = world
      .allInstances()
      .filter((i) => i.project === c.project)
      .map((i) => ({ k: `${i.zone}/${i.name}`, zone: i.zone, json: world.instanceJson(i) }))
      .filter((x) => matches(filter, x.json) && (after === undefined || x.k > after))
      .sort((a, b) => (a.k < b.k ? -1 : 1));
    const page = all.slice(0, size);
    const items: Record<string, { instances: unknown[] }> = {};
    for (const x of page) (items[`zones/${x.zone}`] ??= { instances: [] }).instances.push(x.json);
    return {
      kind: 'compute#instanceAggregatedList',
      id: `projects/${c.project}/aggregated/instances`,
      items,
      selfLink: `${API_BASE}projects/${c.project}/aggregated/instances`,
      ...(all.length > page.length
        ? {
            nextPageToken: Buffer.from(JSON.stringify({ after: page[page.length - 1].k })).toString(
              'base64url',
            ),
          }
        : {}),
    };
  }

  /** A list call's filter, page size (maxResults, capped by the emulator's pageSize) and keyset position. */
  function listQuery(c: RouteCtx): {
    filter: ReturnType<typeof parseFilter>;
    size: number;
    after: string | undefined;
  } {
    const filter = parseFilter(c.query.get('filter') ?? '');
    const maxResults = c.query.has('maxResults') ? Number(c.query.get('maxResults')) : pageSize;
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 500)
      throw invalidField('maxResults', c.query.get('maxResults'), 'Must be between 0 and 500.');
    const size = Math.min(maxResults === 0 ? 500 : maxResults, pageSize);
    return { filter, size, after: readToken(c.query.get('pageToken')) };
  }

  function readToken(token: string | null): string | undefined {
    if (!token) return undefined;
    try {
      return (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after: string }).after;
    } catch {
      throw invalidField('pageToken', token, 'Invalid page token.');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/__emulator/'))
      return control(method, url.pathname.slice('/__emulator/'.length), raw, res);
    if (isStoragePath(url.pathname)) return storage(req, res, url, method, raw);
    if (url.pathname === '/token' && method === 'POST') {
      const t = tokenAnswer(new URLSearchParams(raw.toString('utf8')), accounts, authNow());
      return sendJson(res, t.status, t.body);
    }
    const m = /^\/compute\/v1\/projects\/([^/]+)\/?(.*)$/.exec(url.pathname);
    const found = m
      ? routes.find(([re, verb]) => verb === method && re.test(decodeURIComponent(m[2])))
      : undefined;
    if (!m || !found) return send(res, notFound(url.pathname.replace(/^\/compute\/v1\//, '')));
    const [re, , route] = found;
    const project = decodeURIComponent(m[1]);
    const params = re.exec(decodeURIComponent(m[2]))!.slice(1);
    const body = method === 'GET' || method === 'DELETE' ? undefined : parseJsonBody(raw);
    requests.push({
      api: route.api,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      at: now(),
    });
    if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);

    const lat = faults.take('latency', { method: route.api });
    if (lat) await delay(lat.ms);
    if (faults.take('dropConnection', { method: route.api })) return dropConnection(res);
    const issued = accessTokens.fromHeader(req.headers.authorization, authNow());
    const auth: ReturnType<typeof verifyBearer> = issued
      ? { ok: true, account: issued.account }
      : verifyBearer(req.headers.authorization, accounts, authNow());
    if (!auth.ok)
      return send(res, auth.insufficientScope ? insufficientScopes() : unauthenticated(), {
        'x-emulator-auth-failure': auth.reason,
      });
    if (route.write && auth.readOnlyScope)
      return send(res, insufficientScopes(), {
        'x-emulator-auth-failure': "the JWT's scopes allow reads only",
      });
    const rl = faults.take('rateLimit', { method: route.api });
    if (rl) return send(res, rateLimited(rl.retryAfterSeconds));
    const se = faults.take('serverError', { method: route.api });
    if (se) return send(res, internal(se.status ?? 500));
    // Lets a test act "between" two calls of a client (e.g. change labels under it).
    world.events.emit('request', {
      api: route.api,
      project,
      params,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    try {
      // Public image projects (debian-cloud, ...) are readable by everyone, for images only.
      const imageProject =
        (route.api.startsWith('images.') || route.api.startsWith('imageFamilyViews.')) &&
        seed.images.some((i) => i.project === project);
      if (!seed.projects.includes(project) && !imageProject) throw notFound(`projects/${project}`);
      if (auth.account.projects && !auth.account.projects.includes(project) && !imageProject)
        throw forbidden(route.write?.permission ?? 'compute.instances.list', `projects/${project}`);
      if (route.write && auth.account.readOnly)
        throw forbidden(
          route.write.permission,
          `projects/${project}/zones/${params[0]}/instances/${params[1] ?? (body as { name?: string })?.name ?? ''}`,
        );
      if (body === undefined && method === 'POST') throw invalid('Invalid JSON payload received.');
      let gone = false;
      res.once('close', () => void (gone = true));
      const out = await route.run({
        project,
        params,
        query: url.searchParams,
        body,
        user: auth.account.clientEmail,
        gone: () => gone,
      });
      sendJson(res, 200, out);
    } catch (err) {
      if (err instanceof GoogleApiError) return send(res, err);
      throw err;
    }
  }

  function control(method: string, path: string, raw: Buffer, res: ServerResponse): void {
    const body = parseJsonBody(raw) as Record<string, any> | undefined;
    try {
      if (path === 'health') return sendJson(res, 200, { ok: true, instances: world.allInstances().length });
      if (path === 'faults' && method === 'GET') return sendJson(res, 200, { faults: faults.list() });
      if (path === 'faults' && method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      if (path === 'faults' && method === 'POST') {
        for (const f of Array.isArray(body) ? body : [body]) faults.add(f as GcpFault);
        return sendJson(res, 200, { faults: faults.list() });
      }
      if (path === 'preempt' && method === 'POST')
        return sendJson(res, 200, { preempted: emulator.preempt((body ?? {}) as GcpPreemption) });
      if (path === 'service-accounts' && method === 'POST' && body) {
        // `curl --data @key.json` works too: a bare key as downloaded (only its public half is kept).
        if (body.type === 'service_account') registerServiceAccount(body);
        else if (body.key)
          registerServiceAccount(body.key, undefined, { projects: body.projects, readOnly: body.read_only });
        else
          registerServiceAccount(String(body.client_email), String(body.public_key_pem), {
            keyId: body.key_id,
            projects: body.projects,
            readOnly: body.read_only,
          });
        return sendJson(res, 200, {
          service_accounts: accounts.map((a) => ({ client_email: a.clientEmail, key_id: a.keyId })),
        });
      }
      if (path === 'instances' && method === 'GET')
        return sendJson(res, 200, { instances: emulator.instances() });
      if (path === 'requests' && method === 'GET') return sendJson(res, 200, { requests });
      if (path === 'tick' && method === 'POST') {
        world.refresh();
        return sendJson(res, 200, { now: now() });
      }
      if (path === 'advance' && method === 'POST') {
        emulator.advance(Number(body?.ms ?? 0));
        return sendJson(res, 200, { now: now() });
      }
      sendJson(res, 404, { error: `unknown control route ${method} /__emulator/${path}` });
    } catch (err) {
      sendJson(res, 400, { error: (err as Error).message });
    }
  }

  const gcs: GcsState = {
    buckets: new Map((opts.buckets ?? []).map((b) => [b, new Map()])),
    nextGeneration: 1,
  };
  function storage(req: IncomingMessage, res: ServerResponse, url: URL, method: string, raw: Buffer): void {
    requests.push({
      api: `storage.${method}`,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      at: now(),
    });
    const auth = verifyBearer(req.headers.authorization, accounts, authNow(), 'storage');
    if (!auth.ok)
      return send(res, auth.insufficientScope ? insufficientScopes() : unauthenticated(), {
        'x-emulator-auth-failure': auth.reason,
      });
    try {
      if (method !== 'GET' && auth.account.readOnly)
        throw new GoogleApiError(
          403,
          `${auth.account.clientEmail} does not have storage.objects.create access to the Google Cloud Storage object.`,
          'forbidden',
        );
      const a = storageAnswer(gcs, method, url, raw, String(req.headers['content-type'] ?? ''), now());
      if (a.media) {
        res.writeHead(a.status, {
          'content-type': 'application/octet-stream',
          'content-length': a.media.length,
          ...a.headers,
        });
        res.end(a.media);
      } else if (a.json === undefined) {
        res.writeHead(a.status, a.headers);
        res.end();
      } else sendJson(res, a.status, a.json, a.headers);
    } catch (err) {
      if (err instanceof GoogleApiError) return send(res, err);
      throw err;
    }
  }

  let closing = false;
  const server = await listen(handle, { port: opts.port, host: opts.host });
  const timer =
    (opts.autoTick ?? opts.now === undefined) ? setInterval(() => world.refresh(), 250) : undefined;
  timer?.unref();

  const emulator: GcpEmulator = {
    url: server.url,
    port: server.port,
    endpoint: server.url,
    close: async () => {
      closing = true;
      if (timer) clearInterval(timer);
      await server.close();
    },
    events: world.events,
    seed,
    registerServiceAccount,
    accessTokens,
    setFault: (f) => faults.add(f),
    preempt: (p) => {
      const running = world
        .allInstances()
        .filter(
          (i) =>
            (!p.zone || i.zone === p.zone) &&
            (!p.project || i.project === p.project) &&
            i.deleteAt === undefined &&
            i.stoppedAt === undefined &&
            (i.body.scheduling?.provisioningModel === 'SPOT' || i.body.scheduling?.preemptible === true),
        )
        .sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
      let chosen = running;
      if (p.names)
        chosen = p.names.map((n) => {
          const hit = world.allInstances().find((i) => i.name === n && (!p.zone || i.zone === p.zone));
          if (!hit) throw new Error(`no instance ${n}`);
          return hit;
        });
      else {
        const n = p.count ?? 1;
        if (!Number.isInteger(n) || n < 1) throw new Error('count must be a positive integer');
        chosen = running.slice(0, n);
      }
      return chosen.map((i) => {
        world.preempt(i.project, i.zone, i.name);
        return i.name;
      });
    },
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    instances: () => world.allInstances().map((i) => ({ ...world.instanceJson(i), project: i.project })),
    requests,
    lastRequest: (api) => [...requests].reverse().find((r) => r.api === api),
    tick: () => world.refresh(),
    seedInstances: (items) => world.seedInstances(items).map((i) => world.instanceJson(i)),
    setInstanceLabels: (project, zone, name, labels) => world.replaceLabels(project, zone, name, labels),
    advance: (ms) => {
      offset += ms;
      world.refresh();
    },
    createBucket: (name) => void (gcs.buckets.has(name) || gcs.buckets.set(name, new Map())),
    object: (bucket, name) => gcs.buckets.get(bucket)?.get(name)?.data,
  };
  return emulator;
}

function send(res: ServerResponse, err: GoogleApiError, extra: Record<string, string> = {}): void {
  sendJson(res, err.status, err.body(), { ...err.headers, ...extra });
}

// ---- read-only resources ---------------------------------------------------------------

function zoneJson(seed: GcpSeed, project: string, zone: string): unknown {
  const region = regionOfZone(seed, zone);
  if (!region) throw notFound(`projects/${project}/zones/${zone}`);
  return {
    kind: 'compute#zone',
    id: String(2000 + zone.length),
    name: zone,
    status: 'UP',
    region: `${API_BASE}projects/${project}/regions/${region}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}`,
    availableCpuPlatforms: ['Intel Broadwell', 'AMD Milan'],
  };
}

function regionJson(seed: GcpSeed, project: string, region: string): unknown {
  const zones = seed.regions[region];
  if (!zones) throw notFound(`projects/${project}/regions/${region}`);
  return {
    kind: 'compute#region',
    name: region,
    status: 'UP',
    zones: zones.map((z) => `${API_BASE}projects/${project}/zones/${z}`),
    selfLink: `${API_BASE}projects/${project}/regions/${region}`,
  };
}

/** machineTypes.get's answer; `accelerators` only on types with built-in GPUs, as Compute Engine answers. */
export function machineTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  const spec = machineTypeSpec(seed, name);
  if (!spec) throw notFound(`projects/${project}/zones/${zone}/machineTypes/${name}`);
  return {
    kind: 'compute#machineType',
    id: String(9000 + name.length),
    name,
    description: `${spec.guestCpus} vCPUs, ${spec.memoryMb / 1024} GB RAM`,
    guestCpus: spec.guestCpus,
    memoryMb: spec.memoryMb,
    maximumPersistentDisks: 128,
    maximumPersistentDisksSizeGb: '263168',
    zone,
    isSharedCpu: /^(e2-(micro|small|medium)|f1-|g1-)/.test(name),
    ...(spec.accelerators ? { accelerators: spec.accelerators } : {}),
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/machineTypes/${name}`,
  };
}

function acceleratorTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  const t = own(seed.acceleratorTypes, name);
  if (!t) throw notFound(`projects/${project}/zones/${zone}/acceleratorTypes/${name}`);
  return {
    kind: 'compute#acceleratorType',
    name,
    description: t.description,
    maximumCardsPerInstance: t.maximumCardsPerInstance,
    zone: `${API_BASE}projects/${project}/zones/${zone}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/acceleratorTypes/${name}`,
  };
}

function diskTypeJson(seed: GcpSeed, project: string, zone: string, name: string): unknown {
  if (!seed.diskTypes.includes(name)) throw notFound(`projects/${project}/zones/${zone}/diskTypes/${name}`);
  return {
    kind: 'compute#diskType',
    name,
    validDiskSize: '10GB-65536GB',
    defaultDiskSizeGb: '10',
    zone: `${API_BASE}projects/${project}/zones/${zone}`,
    selfLink: `${API_BASE}projects/${project}/zones/${zone}/diskTypes/${name}`,
  };
}

function imageJson(seed: GcpSeed, project: string, ref: string): unknown {
  const img = findImage(seed, project, `projects/${project}/${ref}`);
  if (!img) throw notFound(`projects/${project}/${ref}`);
  return {
    kind: 'compute#image',
    id: String(7000 + img.name.length),
    name: img.name,
    family: img.family,
    status: 'READY',
    diskSizeGb: String(img.diskSizeGb ?? 10),
    architecture: 'X86_64',
    selfLink: `${API_BASE}projects/${img.project}/global/images/${img.name}`,
  };
}

function networkJson(seed: GcpSeed, project: string, name: string): unknown {
  if (!seed.networks.includes(name)) throw notFound(`projects/${project}/global/networks/${name}`);
  return {
    kind: 'compute#network',
    name,
    autoCreateSubnetworks: name === 'default',
    subnetworks: seed.subnetworks
      .filter((s) => s.network === name)
      .map((s) => `${API_BASE}projects/${project}/regions/${s.region}/subnetworks/${s.name}`),
    selfLink: `${API_BASE}projects/${project}/global/networks/${name}`,
  };
}

function subnetworkJson(seed: GcpSeed, project: string, region: string, name: string): unknown {
  const s = seed.subnetworks.find((x) => x.region === region && x.name === name);
  if (!s) throw notFound(`projects/${project}/regions/${region}/subnetworks/${name}`);
  return {
    kind: 'compute#subnetwork',
    name,
    region: `${API_BASE}projects/${project}/regions/${region}`,
    network: `${API_BASE}projects/${project}/global/networks/${s.network}`,
    ipCidrRange: s.ipCidrRange ?? '10.128.0.0/20',
    selfLink: `${API_BASE}projects/${project}/regions/${region}/subnetworks/${name}`,
  };
}
