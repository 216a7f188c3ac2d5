/**
 * The slice of a Kubernetes API server a lease needs: coordination.k8s.io/v1 Leases —
 * get, create, replace — with the API server's rules that make a lease safe: a create of a
 * name that exists answers 409 AlreadyExists, a replace whose metadata.resourceVersion is
 * not the current one answers 409 Conflict, every write gets a new resourceVersion.
 * Callers authenticate with a bearer token (a service account's); an unknown token is 401,
 * a token without the verb on leases in that namespace is 403 Forbidden, worded as RBAC
 * words it. https (the in-cluster config only speaks TLS) when given a key and certificate.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listen, parseJsonBody, sendJson } from '../common/http.js';

export type LeaseVerb = 'get' | 'create' | 'update';

export interface KubernetesToken {
  /** The identity RBAC messages name, e.g. system:serviceaccount:ops:kasm-scale. */
  user: string;
  /** Verbs on leases the token may use (default all three). */
  verbs?: LeaseVerb[];
  /** Namespaces it may use them in (default all). */
  namespaces?: string[];
}

export interface KubernetesEmulatorOptions {
  port?: number;
  host?: string;
  tls?: { key: string; cert: string };
  /** bearer token → who it is and what it may do */
  tokens: Record<string, KubernetesToken>;
  now?: () => number;
}

export interface KubernetesEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The stored Lease (as the API answers it), or undefined. */
  lease(namespace: string, name: string): Record<string, any> | undefined;
  readonly requests: ReadonlyArray<{ method: string; path: string; status: number }>;
}

const GROUP = 'coordination.k8s.io';
const PATH = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?\/?$/;

function status(code: number, reason: string, message: string, name?: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(name ? { details: { name, group: GROUP, kind: 'leases' } } : {}),
    code,
  };
}

export async function startKubernetesEmulator(opts: KubernetesEmulatorOptions): Promise<KubernetesEmulator> {
  const now = opts.now ?? Date.now;
  const leases = new Map<string, Record<string, any>>();
  const requests: { method: string; path: string; status: number }[] = [];
  let resourceVersion = 1000;

  async function handler(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://k8s');
    const answer = (code: number, body: unknown) => {
      requests.push({ method, path: url.pathname, status: code });
      sendJson(res, code, body);
    };
    const token = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const who = token ? opts.tokens[token] : undefined;
    if (!who) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
    const m = PATH.exec(url.pathname);
    if (!m) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const namespace = decodeURIComponent(m[1]);
    const pathName = m[2] ? decodeURIComponent(m[2]) : undefined;
    const verb: LeaseVerb | undefined =
      method === 'GET' && pathName
        ? 'get'
        : method === 'POST' && !pathName
          ? 'create'
          : method === 'PUT' && pathName
            ? 'update'
            : undefined;
    if (!verb)
      return answer(
        405,
        status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
      );
    const body = method === 'GET' ? undefined : (parseJsonBody(raw) as Record<string, any> | undefined);
    const name = pathName ?? String(body?.metadata?.name ?? '');
    if ((who.verbs && !who.verbs.includes(verb)) || (who.namespaces && !who.namespaces.includes(namespace)))
      return answer(
        403,
        status(
          403,
          'Forbidden',
          `leases.${GROUP}${name ? ` "${name}"` : ''} is forbidden: User "${who.user}" cannot ${verb} resource "leases" in API group "${GROUP}" in the namespace "${namespace}"`,
          name,
        ),
      );
    const key = `${namespace}/${name}`;
    const current = leases.get(key);
    switch (verb) {
      case 'get':
        if (!current)
          return answer(404, status(404, 'NotFound', `leases.${GROUP} "${name}" not found`, name));
        return answer(200, current);
      case 'create': {
        if (!body || !name)
          return answer(400, status(400, 'BadRequest', 'the body of the request was in an unknown format'));
        if (current)
          return answer(409, status(409, 'AlreadyExists', `leases.${GROUP} "${name}" already exists`, name));
        const stored = {
          ...body,
          apiVersion: `${GROUP}/v1`,
          kind: 'Lease',
          metadata: {
            ...(body.metadata ?? {}),
            name,
            namespace,
            uid: randomUUID(),
            resourceVersion: String(++resourceVersion),
            creationTimestamp: new Date(now()).toISOString().replace(/\.\d+Z$/, 'Z'),
          },
        };
        leases.set(key, stored);
        return answer(201, stored);
      }
      case 'update': {
        if (!current)
          return answer(404, status(404, 'NotFound', `leases.${GROUP} "${name}" not found`, name));
        if (!body)
          return answer(400, status(400, 'BadRequest', 'the body of the request was in an unknown format'));
        const rv = body.metadata?.resourceVersion;
        if (rv !== undefined && rv !== current.metadata.resourceVersion)
          return answer(
            409,
            status(
              409,
              'Conflict',
              `Operation cannot be fulfilled on leases.${GROUP} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
              name,
            ),
          );
        const stored = {
          ...body,
          apiVersion: `${GROUP}/v1`,
          kind: 'Lease',
          metadata: { ...current.metadata, resourceVersion: String(++resourceVersion) },
        };
        leases.set(key, stored);
        return answer(200, stored);
      }
    }
  }

  const server = await listen(handler, {
    port: opts.port,
    host: opts.host,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  return {
    url: server.url,
    port: server.port,
    close: () => server.close(),
    lease: (namespace, name) => leases.get(`${namespace}/${name}`),
    get requests() {
      return requests;
    },
  };
}
