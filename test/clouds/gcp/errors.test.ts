import { describe, expect, it } from 'vitest';
import { classifyGcpError, gcpErrorKind, operationError } from '../../../src/clouds/gcp/errors.js';

/** What gaxios throws for an HTTP error answer: status + the raw JSON body as message. */
function gaxiosLike(status: number, reason: string, message = 'x', headers: Record<string, string> = {}) {
  const err = new Error(
    JSON.stringify({ error: { code: status, message, errors: [{ message, domain: 'global', reason }] } }),
  );
  return Object.assign(err, {
    status,
    code: status,
    response: { status, headers: new Headers(headers) },
    config: { headers: { Authorization: 'Bearer eyJsecret' } },
  });
}

describe('GCP error classification', () => {
  it.each([
    [gaxiosLike(429, 'rateLimitExceeded'), 'throttled'],
    [gaxiosLike(403, 'rateLimitExceeded'), 'throttled'],
    [gaxiosLike(403, 'quotaExceeded', "Quota 'CPUS' exceeded"), 'quota'],
    [gaxiosLike(403, 'forbidden'), 'auth'],
    [gaxiosLike(401, 'authError'), 'auth'],
    [gaxiosLike(404, 'notFound'), 'not_found'],
    [gaxiosLike(400, 'invalid'), 'invalid'],
    [gaxiosLike(409, 'alreadyExists'), 'invalid'],
    [gaxiosLike(500, 'backendError'), 'transient'],
    [gaxiosLike(503, 'backendError'), 'transient'],
    [
      Object.assign(new Error('request to http://127.0.0.1:1/x failed, reason: connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
      'transient',
    ],
    [Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }), 'transient'],
    [new Error('error:1E08010C:DECODER routines::unsupported'), 'auth'],
  ])('%s → %s', (err, kind) => {
    expect(gcpErrorKind(err).kind).toBe(kind);
    expect(classifyGcpError(err, { operation: 'instances.list' }).kind).toBe(kind);
  });

  it('reads Retry-After for the retry policy', () => {
    expect(gcpErrorKind(gaxiosLike(429, 'rateLimitExceeded', 'x', { 'retry-after': '12' }))).toEqual({
      kind: 'throttled',
      retryAfterMs: 12_000,
    });
  });

  it('keeps the bearer token out of the error and its cause', () => {
    const e = classifyGcpError(gaxiosLike(401, 'authError'), {
      operation: 'instances.list',
      requestId: 'r-1',
    });
    expect(JSON.stringify({ m: e.message, c: String(e.cause) })).not.toContain('eyJ');
    expect(e.message).toContain('request r-1');
  });

  it.each([
    ['ZONE_RESOURCE_POOL_EXHAUSTED', 503, 'capacity'],
    ['ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', 503, 'capacity'],
    ['RESOURCE_POOL_EXHAUSTED', 503, 'capacity'],
    ['QUOTA_EXCEEDED', 403, 'quota'],
    ['REGION_QUOTA_EXCEEDED', 403, 'quota'],
    ['INVALID_FIELD_VALUE', 400, 'invalid'],
  ])('operation error %s → %s, with the operation name', (code, status, kind) => {
    const e = operationError(
      { name: 'operation-1', error: { errors: [{ code, message: 'm' }] }, httpErrorStatusCode: status },
      { operation: 'instances.insert', zone: 'us-central1-a' },
    )!;
    expect(e).toMatchObject({ kind, code, requestId: 'operation-1', zone: 'us-central1-a' });
  });

  it('an operation without error is fine', () => {
    expect(operationError({ name: 'op', error: null }, { operation: 'instances.insert' })).toBeUndefined();
  });
});
