/**
 * Turns whatever oci-core throws into a classified CloudError. The SDK throws an `OciError`
 * (statusCode, serviceCode, message, opcRequestId) for an HTTP error answer, and a plain
 * object `{ code, message: 'fetch failed', ... }` (not an Error) when the connection fails,
 * so this works on shapes rather than classes (and does not import the SDK).
 */
import { CloudError, type CloudErrorKind } from '../types.js';
import { oneLine } from '../../core/errors.js';

export interface OciErrorContext {
  /** The operation, for the message: "LaunchInstance". */
  operation: string;
  /** The availability domain the call was about. */
  zone?: string;
  /** The endpoint in use, for network errors. */
  endpoint?: string;
}

interface OciErrorShape {
  statusCode: number;
  serviceCode?: string;
  message?: string;
  opcRequestId?: string | null;
}

function isOciError(e: unknown): e is OciErrorShape {
  return typeof e === 'object' && e !== null && typeof (e as OciErrorShape).statusCode === 'number';
}

/** Why a signature is refused, in the order people get it wrong. */
export const AUTH_HINT =
  'check that oci_fingerprint matches the public key uploaded for oci_user_ocid (Identity > Users > API Keys), that the key was uploaded at all, that oci_user_ocid and oci_tenancy_ocid are right, and that the clock is correct';

const CLOCK_SKEW = /not within allowed clock skew/i;
export const CLOCK_HINT = 'set the clock right (timedatectl set-ntp true, or chronyc makestep) and run again';

export function ociKindOf(status: number, code: string | undefined, message: string): CloudErrorKind {
  if (status === 401 || code === 'NotAuthenticated') return 'auth';
  if (status === 429 || code === 'TooManyRequests') return 'throttled';
  if (/out of host capacity/i.test(message)) return 'capacity';
  if (code === 'LimitExceeded' || code === 'QuotaExceeded') return 'quota';
  if (status === 404 || code === 'NotAuthorizedOrNotFound') return 'not_found';
  if (status === 403) return 'auth';
  if (status >= 500 || status < 100) return 'transient';
  if (status >= 400) return 'invalid';
  return 'unknown';
}

/** The raw-error part of classification, for withRetry's `classify`. */
export function ociErrorKind(err: unknown): CloudErrorKind {
  if (err instanceof CloudError) return err.kind;
  if (isOciError(err)) return ociKindOf(err.statusCode, err.serviceCode, String(err.message ?? ''));
  if (isNetworkFailure(err)) return 'transient';
  return 'unknown';
}

function isNetworkFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const m = String((err as { message?: unknown }).message ?? '');
  const code = String((err as { code?: unknown }).code ?? '');
  return /fetch failed|socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|other side closed|terminated/i.test(
    `${m} ${code}`,
  );
}

export function classifyOciError(err: unknown, ctx: OciErrorContext): CloudError {
  if (err instanceof CloudError) return err;
  const where = ctx.zone ? ` in ${ctx.zone}` : '';
  if (isOciError(err)) {
    const code = err.serviceCode && err.serviceCode !== 'None' ? err.serviceCode : undefined;
    const raw = oneLine(String(err.message ?? 'unknown reason'));
    const kind = ociKindOf(err.statusCode, code, raw);
    const requestId = err.opcRequestId ?? undefined;
    const ref = [code, `HTTP ${err.statusCode}`, requestId ? `opc-request-id ${requestId}` : '']
      .filter(Boolean)
      .join(', ');
    let message = `OCI ${ctx.operation}${where} failed: ${raw} (${ref})`;
    if (kind === 'auth') message = `OCI refused the API key for ${ctx.operation} (${ref}): ${AUTH_HINT}`;
    // OCI says so when the signed date is more than 5 minutes off its clock: name the one cause.
    if (kind === 'auth' && CLOCK_SKEW.test(raw))
      message = `OCI refused ${ctx.operation} because this machine's clock is more than 5 minutes off OCI's (${ref}): ${raw}; ${CLOCK_HINT}`;
    if (kind === 'not_found')
      message = `OCI ${ctx.operation}${where}: not found or not authorized (${ref}); check the OCID and that the user's group has a policy for the compartment`;
    return new CloudError({
      kind,
      cloud: 'oci',
      message,
      status: err.statusCode,
      code,
      requestId,
      zone: ctx.zone,
      cause: err,
    });
  }
  if (isNetworkFailure(err)) {
    const e = err as { message?: unknown; code?: unknown };
    const detail = oneLine([e.message, e.code].filter((x) => x !== undefined && x !== '').join(' '));
    const target = ctx.endpoint ? ` at ${ctx.endpoint}` : '';
    return new CloudError({
      kind: 'transient',
      cloud: 'oci',
      message: `OCI ${ctx.operation}${where}: cannot reach the API${target} (${detail})`,
      zone: ctx.zone,
      cause: err,
    });
  }
  const detail =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err !== null
        ? String((err as { message?: unknown }).message ?? 'unknown error')
        : String(err);
  return new CloudError({
    kind: 'unknown',
    cloud: 'oci',
    message: `OCI ${ctx.operation}${where} failed: ${oneLine(detail)}`,
    zone: ctx.zone,
    cause: err,
  });
}
