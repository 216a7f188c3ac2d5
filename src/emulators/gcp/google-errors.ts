/**
 * Google's JSON error shape, as Compute Engine answers it:
 * `{error: {code, message, errors: [{message, domain, reason}], status}}`. The client
 * library throws a GaxiosError whose `message` is this body, so the adapter's
 * classification is tested against exactly what the real service sends.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/http.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): {
    error: {
      code: number;
      message: string;
      errors: { message: string; domain: string; reason: string }[];
      status: string;
    };
  } {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
        status: STATUS_NAMES[this.status] ?? 'UNKNOWN',
      },
    };
  }
}

export const notFound = (resource: string): GoogleApiError =>
  new GoogleApiError(404, `The resource '${resource}' was not found`, 'notFound');

export const invalid = (message: string, reason = 'invalid'): GoogleApiError =>
  new GoogleApiError(400, message, reason);

export const invalidField = (field: string, value: unknown, why: string): GoogleApiError =>
  new GoogleApiError(
    400,
    `Invalid value for field '${field}': '${typeof value === 'string' ? value : JSON.stringify(value)}'. ${why}`,
    'invalid',
  );

export const unauthenticated = (): GoogleApiError =>
  new GoogleApiError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
  );

export const insufficientScopes = (): GoogleApiError =>
  new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');

export const forbidden = (permission: string, resource: string): GoogleApiError =>
  new GoogleApiError(403, `Required '${permission}' permission for '${resource}'`, 'forbidden');

export const rateLimited = (retryAfterSeconds?: number): GoogleApiError =>
  new GoogleApiError(
    429,
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'compute.googleapis.com'.",
    'rateLimitExceeded',
    'usageLimits',
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );

export const internal = (status = 500): GoogleApiError =>
  status === 503
    ? new GoogleApiError(503, 'The service is currently unavailable.', 'backendError')
    : new GoogleApiError(status, 'Internal Error', 'backendError');

/** Answers with Google's error JSON, the error's own headers (retry-after) and any the emulator adds. */
export function sendGoogleError(
  res: ServerResponse,
  err: GoogleApiError,
  extra: Record<string, string> = {},
): void {
  sendJson(res, err.status, err.body(), { ...err.headers, ...extra });
}
