/**
 * Serves the Cloud Storage slice (storage.ts): unlike Compute, every request is logged and
 * authenticated (the scope form of the JWT, Cloud Storage's scopes) before its path is looked
 * at; a read-only account may read only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../common/http.js';
import { verifyBearer, type ServiceAccountRecord } from './auth.js';
import type { ReceivedRequest } from './emulator-api.js';
import { GoogleApiError, insufficientScopes, sendGoogleError, unauthenticated } from './google-errors.js';
import { storageAnswer, type GcsState } from './storage.js';

export interface StorageDeps {
  gcs: GcsState;
  accounts: () => readonly ServiceAccountRecord[];
  requests: ReceivedRequest[];
  now: () => number;
  authNow: () => number;
}

export function serveStorage(
  d: StorageDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  raw: Buffer,
): void {
  d.requests.push({
    api: `storage.${method}`,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: undefined,
    at: d.now(),
  });
  const auth = verifyBearer(req.headers.authorization, d.accounts(), d.authNow(), 'storage');
  if (!auth.ok)
    return sendGoogleError(res, auth.insufficientScope ? insufficientScopes() : unauthenticated(), {
      'x-emulator-auth-failure': auth.reason,
    });
  try {
    if (method !== 'GET' && auth.account.readOnly)
      throw new GoogleApiError(
        403,
        `${auth.account.clientEmail} does not have storage.objects.create access to the Google Cloud Storage object.`,
        'forbidden',
      );
    const a = storageAnswer(d.gcs, method, url, raw, String(req.headers['content-type'] ?? ''), d.now());
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
    if (err instanceof GoogleApiError) return sendGoogleError(res, err);
    throw err;
  }
}
