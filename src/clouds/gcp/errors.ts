/**
 * Turns what @google-cloud/compute throws, and the errors of finished zone operations,
 * into classified CloudErrors. Over REST the library throws a GaxiosError: `status` (or
 * `code`) is the HTTP status, `message` is the raw body
 * `{error: {code, message, errors: [{message, domain, reason}]}}`, and a failed
 * connection has `code` ECONNRESET/ECONNREFUSED/... A launch that Google accepted but
 * could not fulfil (stockout, quota) is not thrown at all: it is an `error` on the
 * operation, classified by operationError().
 *
 * The GaxiosError carries the request config, bearer token included, so it is never
 * attached as `cause`: only a plain summary is.
 */
import { parseRetryAfter } from '../retry.js';
import { CloudError, type CloudErrorKind } from '../types.js';
import { oneLine } from '../../core/errors.js';

export interface GcpErrorContext {
  /** API method, for the message: "instances.insert". */
  operation: string;
  zone?: string;
  /** Our requestId (insert/delete/setLabels) or the operation name. */
  requestId?: string;
  endpoint?: string;
  project?: string;
}

interface Parsed {
  status?: number;
  reason?: string;
  message: string;
  retryAfterMs?: number;
  network?: string;
}

const NETWORK_RE =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|socket hang up|fetch failed|other side closed|network timeout/i;
const KEY_RE = /DECODER routines|PEM|private key|asn1|No key or keyFile set|client_email/i;

/** gRPC status codes (what google-gax's own GoogleError carries) → HTTP-ish statuses. */
const GRPC_TO_HTTP: Record<number, number> = {
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 412,
  13: 500,
  14: 503,
  16: 401,
};

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined;
}

export function parseGcpError(err: unknown): Parsed {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const e = err as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { status?: number; headers?: unknown; data?: unknown };
  };
  const rawMessage = String(e.message ?? '');
  let status =
    typeof e.status === 'number'
      ? e.status
      : typeof e.response?.status === 'number'
        ? e.response.status
        : undefined;
  if (status === undefined && typeof e.code === 'number')
    status = e.code >= 100 ? e.code : GRPC_TO_HTTP[e.code];
  let reason: string | undefined;
  let message = rawMessage;
  const body = rawMessage.trim().startsWith('{')
    ? rawMessage
    : typeof e.response?.data === 'string'
      ? e.response.data
      : undefined;
  if (body) {
    try {
      const doc = JSON.parse(body) as {
        error?: {
          code?: number;
          message?: string;
          errors?: { reason?: string; message?: string }[];
          status?: string;
        };
      };
      if (doc.error) {
        message = doc.error.message ?? doc.error.errors?.[0]?.message ?? message;
        reason = doc.error.errors?.[0]?.reason ?? doc.error.status;
        status ??= doc.error.code;
      }
    } catch {
      // Not JSON: keep the text.
    }
  }
  const codeText = typeof e.code === 'string' ? e.code : '';
  const network =
    status === undefined && NETWORK_RE.test(`${codeText} ${rawMessage}`)
      ? oneLine(codeText || rawMessage)
      : undefined;
  const ra = headerOf(e.response?.headers, 'retry-after');
  return { status, reason, message: oneLine(message), retryAfterMs: parseRetryAfter(ra), network };
}

export function gcpKindOf(
  status: number | undefined,
  reason: string | undefined,
  message = '',
): CloudErrorKind {
  const r = reason ?? '';
  if (
    /RESOURCE_POOL_EXHAUSTED|resourcePoolExhausted|ZONE_RESOURCE_POOL/i.test(r) ||
    /does not have enough resources available/i.test(message)
  )
    return 'capacity';
  if (/quota/i.test(r) && !/rateLimit/i.test(r)) return 'quota';
  if (status === 429 || /rateLimitExceeded|userRateLimitExceeded|RESOURCE_EXHAUSTED/.test(r))
    return 'throttled';
  if (status === 401) return 'auth';
  if (status === 403) return /quota/i.test(message) ? 'quota' : 'auth';
  if (status === 404) return 'not_found';
  if (status !== undefined && status >= 500) return 'transient';
  if (status !== undefined && status >= 400) return 'invalid';
  return 'unknown';
}

/** The raw-error part of classification, for withRetry's `classify`. */
export function gcpErrorKind(err: unknown): { kind: CloudErrorKind; retryAfterMs?: number } {
  if (err instanceof CloudError) return { kind: err.kind };
  const p = parseGcpError(err);
  if (p.network) return { kind: 'transient' };
  if (p.status === undefined && KEY_RE.test(p.message)) return { kind: 'auth' };
  return { kind: gcpKindOf(p.status, p.reason, p.message), retryAfterMs: p.retryAfterMs };
}

function authHint(status: number | undefined, message: string, project?: string): string {
  if (status === 403) {
    return `the service account lacks permission (${message}); grant it roles/compute.instanceAdmin.v1 on project ${project ?? '<gcp_project>'} (and roles/iam.serviceAccountUser if instances run as a service account), and check that gcp_project is the right project`;
  }
  return "the service account key was refused: it may be disabled or deleted (IAM > Service accounts > Keys), gcp_credentials may be another account's key or truncated, or the machine clock may be off";
}

function ref(parts: (string | undefined)[]): string {
  const s = parts.filter(Boolean).join(', ');
  return s ? ` (${s})` : '';
}

export function classifyGcpError(err: unknown, ctx: GcpErrorContext): CloudError {
  if (err instanceof CloudError) return err;
  const where = ctx.zone ? ` in ${ctx.zone}` : '';
  const p = parseGcpError(err);
  const summary = new Error(p.network ?? p.message);
  if (p.network) {
    const target = ctx.endpoint ? ` at ${ctx.endpoint}` : '';
    return new CloudError({
      kind: 'transient',
      cloud: 'gcp',
      message: `GCP ${ctx.operation}${where}: cannot reach the API${target} (${p.network})`,
      requestId: ctx.requestId,
      zone: ctx.zone,
      cause: summary,
    });
  }
  if (p.status === undefined && KEY_RE.test(p.message)) {
    return new CloudError({
      kind: 'auth',
      cloud: 'gcp',
      message: `GCP ${ctx.operation}: gcp_credentials cannot sign requests (${oneLine(p.message).slice(0, 200)}); use the service account key JSON exactly as downloaded`,
      zone: ctx.zone,
      cause: summary,
    });
  }
  const kind = gcpKindOf(p.status, p.reason, p.message);
  const refs = ref([
    p.reason,
    p.status !== undefined ? `HTTP ${p.status}` : undefined,
    ctx.requestId ? `request ${ctx.requestId}` : undefined,
  ]);
  let message = `GCP ${ctx.operation}${where} failed: ${p.message || 'unknown reason'}${refs}`;
  if (kind === 'auth')
    message = `GCP refused ${ctx.operation}${refs}: ${authHint(p.status, p.message, ctx.project)}`;
  if (kind === 'not_found')
    message = `GCP ${ctx.operation}${where}: ${p.message || 'not found'}${refs}; check gcp_project, gcp_zone and the resource names in the provider config`;
  return new CloudError({
    kind,
    cloud: 'gcp',
    message,
    status: p.status,
    code: p.reason,
    requestId: ctx.requestId,
    zone: ctx.zone,
    cause: summary,
  });
}

/** A zone operation that finished with `error`: stockout, quota, bad request... */
export function operationError(
  op: {
    name?: string | null;
    error?: { errors?: { code?: string | null; message?: string | null }[] | null } | null;
    httpErrorStatusCode?: number | null;
    httpErrorMessage?: string | null;
  },
  ctx: GcpErrorContext,
): CloudError | undefined {
  const errors = op.error?.errors ?? [];
  if (errors.length === 0) return undefined;
  const first = errors[0];
  const code = first.code ?? undefined;
  const status = op.httpErrorStatusCode ?? undefined;
  const text = oneLine(errors.map((e) => e.message ?? e.code ?? '').join('; '));
  const kind = gcpKindOf(status, code, text);
  const where = ctx.zone ? ` in ${ctx.zone}` : '';
  const refs = ref([
    code,
    status ? `HTTP ${status}` : undefined,
    op.name ? `operation ${op.name}` : undefined,
  ]);
  let message = `GCP ${ctx.operation}${where} failed: ${text}${refs}`;
  if (kind === 'capacity')
    message = `GCP ${ctx.operation}: zone ${ctx.zone ?? '?'} is out of capacity for this machine type${refs}; try another zone or later`;
  if (kind === 'auth')
    message = `GCP refused ${ctx.operation}${refs}: ${authHint(status, text, ctx.project)}`;
  return new CloudError({
    kind,
    cloud: 'gcp',
    message,
    status,
    code,
    requestId: op.name ?? ctx.requestId,
    zone: ctx.zone,
    cause: new Error(text),
  });
}
