/**
 * Google's identity services, as far as Application Default Credentials use them, for tests
 * and trials of `gcp_auth: adc` (google-auth-library on the wire, unchanged):
 *
 * - the GCE/GKE metadata server (point the library at it with GCE_METADATA_HOST=host:port):
 *   `/computeMetadata/v1/instance` (the library's "am I on GCE?" ping),
 *   `instance/service-accounts/default/{token,email,scopes}`, `project/project-id`,
 *   `universe/universe-domain`; every request must carry `Metadata-Flavor: Google` (403
 *   otherwise, as the real server answers) and every answer carries it back (the library
 *   refuses answers without it);
 * - STS `POST /v1/token` (workload identity federation: an external_account file's
 *   `token_url`): an OIDC JWT (`subject_token`) is checked against the pool's issuer key,
 *   issuer and allowed audience, and exchanged for a federated access token;
 * - IAM Credentials `POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken`
 *   (`service_account_impersonation_url`): a federated token allowed to impersonate the
 *   account gets the account's token.
 *
 * Tokens go into an AccessTokenBook shared with the Compute emulator, which accepts them.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessTokenBook } from '../gcp/access-tokens.js';
import type { ServiceAccountRecord } from '../gcp/auth.js';
import { listen, parseJsonBody, sendJson, sendText } from '../common/http.js';

export interface EmulatedAccount {
  email: string;
  /** Projects it may use (undefined = all); read-only = viewer role. */
  projects?: string[];
  readOnly?: boolean;
}

export interface WorkloadIdentityPool {
  /** The provider's resource name as an external_account file's `audience` carries it:
   * `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/X`. */
  audience: string;
  /** The OIDC issuer (`iss`), e.g. https://token.actions.githubusercontent.com. */
  issuer: string;
  /** The issuer's signing key (PEM public key), as Google reads it from the issuer's JWKS. */
  publicKeyPem: string;
  /** `aud` values the OIDC token may carry; default the provider's https:// name, Google's default. */
  allowedAudiences?: string[];
  /** Service accounts a federated principal of this pool may impersonate (roles/iam.workloadIdentityUser). */
  serviceAccounts?: EmulatedAccount[];
  /** Projects the federated principal may use directly (no impersonation); default none. */
  projects?: string[];
}

export interface GcpIdentityOptions {
  port?: number;
  host?: string;
  /** Shared with the Compute emulator (`startGcpEmulator({ accessTokens })`). */
  tokens: AccessTokenBook;
  /** The metadata server's project and default service account; omit to answer 404 (no account attached). */
  project?: string;
  defaultAccount?: EmulatedAccount;
  /** Scopes of the default account (GCE access scopes); default cloud-platform. */
  scopes?: string[];
  pools?: WorkloadIdentityPool[];
  /** Token clock (ms); default the real clock (the library reads expiry with it). */
  now?: () => number;
  /** Lifetime of issued tokens (default 3600 s). */
  tokenTtlS?: number;
}

export interface GcpIdentityEmulator {
  url: string;
  /** What GCE_METADATA_HOST takes: host:port. */
  metadataHost: string;
  /** An external_account file's token_url. */
  tokenUrl: string;
  impersonationUrl(email: string): string;
  /** Requests seen, by path (no bodies: they hold tokens). */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'];
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

const record = (a: EmulatedAccount): ServiceAccountRecord => ({
  clientEmail: a.email,
  publicKeyPem: '',
  projects: a.projects,
  readOnly: a.readOnly,
});

function jwtParts(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  const [h, c, sig] = token.split('.');
  if (!h || !c || !sig) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}

export async function startGcpIdentityEmulator(opts: GcpIdentityOptions): Promise<GcpIdentityEmulator> {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlS ?? 3600;
  const scopes = opts.scopes ?? [CLOUD_PLATFORM];
  const requests: GcpIdentityEmulator['requests'] = [];

  function metadata(req: IncomingMessage, res: ServerResponse, key: string): void {
    const flavor = { 'metadata-flavor': 'Google' };
    if (req.headers['metadata-flavor'] !== 'Google')
      return sendText(res, 403, 'Missing required header "Metadata-Flavor": "Google"\n', 'text/html', flavor);
    const text = (t: string) => sendText(res, 200, t, 'application/text', flavor);
    const a = opts.defaultAccount;
    switch (key) {
      case 'instance':
      case 'instance/':
        return text('attributes/\nhostname\nid\nservice-accounts/\nzone\n');
      case 'project/project-id':
        return opts.project ? text(opts.project) : sendText(res, 404, 'Not Found', 'text/html', flavor);
      case 'universe/universe-domain':
        return text('googleapis.com');
      case 'instance/service-accounts/default/email':
        return a ? text(a.email) : sendText(res, 404, 'Not Found', 'text/html', flavor);
      case 'instance/service-accounts/default/scopes':
        return a ? text(scopes.join('\n')) : sendText(res, 404, 'Not Found', 'text/html', flavor);
      case 'instance/service-accounts/default/token': {
        if (!a) return sendText(res, 404, 'Not Found', 'text/html', flavor);
        const token = opts.tokens.issue(record(a), now(), ttl);
        return sendJson(res, 200, { access_token: token, expires_in: ttl, token_type: 'Bearer' }, flavor);
      }
      default:
        return sendText(res, 404, 'Not Found', 'text/html', flavor);
    }
  }

  function sts(res: ServerResponse, form: URLSearchParams): void {
    const refuse = (error: string, description: string, status = 400) =>
      sendJson(res, status, { error, error_description: description });
    if (form.get('grant_type') !== TOKEN_EXCHANGE)
      return refuse('unsupported_grant_type', `grant_type must be ${TOKEN_EXCHANGE}`);
    const pool = (opts.pools ?? []).find((p) => p.audience === form.get('audience'));
    if (!pool)
      return refuse(
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid.',
      );
    if (!JWT_TYPES.includes(form.get('subject_token_type') ?? ''))
      return refuse('invalid_request', 'Invalid subject token type.');
    const subject = form.get('subject_token') ?? '';
    const jwt = jwtParts(subject);
    if (!jwt || jwt.header.alg !== 'RS256')
      return refuse('invalid_grant', 'Invalid subject token: not an RS256 JWT.');
    const [h, c, sig] = subject.split('.');
    const good = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${c}`),
      createPublicKey(pool.publicKeyPem),
      Buffer.from(sig, 'base64url'),
    );
    if (!good) return refuse('invalid_grant', 'Invalid JWT signature.');
    const { claims } = jwt;
    if (claims.iss !== pool.issuer)
      return refuse(
        'invalid_grant',
        `The issuer in ID Token ${String(claims.iss)} does not match the expected ones.`,
      );
    const allowed = pool.allowedAudiences ?? [`https:${pool.audience}`];
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((x) => typeof x === 'string' && allowed.includes(x)))
      return refuse('invalid_grant', 'The audience in ID Token does not match the expected audience.');
    const nowS = Math.floor(now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < nowS)
      return refuse('invalid_grant', 'The ID Token has expired.');
    if (typeof claims.sub !== 'string' || !claims.sub)
      return refuse('invalid_grant', 'The ID Token has no subject.');
    const poolName = pool.audience
      .replace(/^\/\/iam\.googleapis\.com\//, '')
      .replace(/\/providers\/[^/]+$/, '');
    const principal = `principal://iam.googleapis.com/${poolName}/subject/${claims.sub}`;
    const token = opts.tokens.issue(
      { clientEmail: principal, publicKeyPem: '', projects: pool.projects ?? [] },
      now(),
      ttl,
      (pool.serviceAccounts ?? []).map((s) => s.email),
    );
    sendJson(res, 200, {
      access_token: token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: ttl,
    });
  }

  function impersonate(req: IncomingMessage, res: ServerResponse, email: string, raw: Buffer): void {
    const caller = opts.tokens.fromHeader(req.headers.authorization, now());
    const googleError = (status: number, message: string, statusName: string) =>
      sendJson(res, status, { error: { code: status, message, status: statusName } });
    if (!caller)
      return googleError(401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED');
    const account = (opts.pools ?? [])
      .flatMap((p) => p.serviceAccounts ?? [])
      .find((a) => a.email === email && caller.mayImpersonate?.includes(email));
    if (!account)
      return googleError(
        403,
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        'PERMISSION_DENIED',
      );
    const body = parseJsonBody(raw) as { lifetime?: string } | undefined;
    const lifetime = Math.min(Number.parseInt(body?.lifetime ?? `${ttl}`, 10) || ttl, ttl);
    const token = opts.tokens.issue(record(account), now(), lifetime);
    sendJson(res, 200, { accessToken: token, expireTime: new Date(now() + lifetime * 1000).toISOString() });
  }

  const server = await listen(
    (req, res, raw) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const method = (req.method ?? 'GET').toUpperCase();
      requests.push({ method, path: url.pathname });
      const md = /^\/computeMetadata\/v1\/(.*)$/.exec(url.pathname);
      if (md && method === 'GET') return metadata(req, res, md[1]);
      if (url.pathname === '/v1/token' && method === 'POST')
        return sts(res, new URLSearchParams(raw.toString('utf8')));
      const imp = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url.pathname);
      if (imp && method === 'POST') return impersonate(req, res, decodeURIComponent(imp[1]), raw);
      sendJson(res, 404, { error: { code: 404, message: `no emulated route ${method} ${url.pathname}` } });
    },
    { port: opts.port, host: opts.host },
  );
  const hostPort = `${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  return {
    url: server.url,
    metadataHost: hostPort,
    tokenUrl: `${server.url}/v1/token`,
    impersonationUrl: (email) => `${server.url}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    requests,
    close: () => server.close(),
  };
}
