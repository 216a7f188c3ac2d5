/**
 * The slice of OCI Object Storage a lease needs, served by the OCI emulator beside Compute
 * (the SDK's ObjectStorageClient takes the same `endpoint`): GetNamespace, and
 * Get/Head/Put/Delete of an object, with the service's conditional-request rules —
 * `if-none-match: *` fails with 412 when the object exists, `if-match: <etag>` with 412
 * when its ETag differs — and its 404 codes (BucketNotFound, ObjectNotFound). Requests are
 * signature-checked by the emulator before they get here.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './validate.js';

export interface StoredObject {
  /** base64 */
  body: string;
  etag: string;
  contentType: string;
  modified: number;
}

export interface ObjectStorageState {
  namespace: string;
  /** bucket name → object name → object */
  buckets: Record<string, Record<string, StoredObject>>;
}

export const DEFAULT_NAMESPACE = 'emulatedns';

export function emptyObjectStorage(namespace = DEFAULT_NAMESPACE): ObjectStorageState {
  return { namespace, buckets: {} };
}

export interface ObjectAnswer {
  status: number;
  body?: Buffer | unknown;
  raw?: boolean;
  headers?: Record<string, string>;
}

export const isObjectStoragePath = (path: string) => path === '/n' || path.startsWith('/n/');

/** The body of a PUT is not signed: the request signature check must not ask for it. */
export const isObjectPut = (method: string, path: string) =>
  method === 'PUT' && /^\/n\/[^/]+\/b\/[^/]+\/o\/.+/.test(path);

export function objectStorageAnswer(
  s: ObjectStorageState,
  req: IncomingMessage,
  path: string,
  raw: Buffer,
  now: number,
): ObjectAnswer {
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === '/n' || path === '/n/') {
    if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'Method not allowed.');
    return { status: 200, body: s.namespace };
  }
  const m = /^\/n\/([^/]+)\/b\/([^/]+)\/o\/(.+)$/.exec(path);
  if (!m)
    throw new ApiError(
      404,
      'NotAuthorizedOrNotFound',
      'Authorization failed or requested resource not found.',
    );
  const [ns, bucketName, objectName] = m.slice(1).map(decodeURIComponent);
  const bucket = ns === s.namespace ? s.buckets[bucketName] : undefined;
  if (!bucket)
    throw new ApiError(
      404,
      'BucketNotFound',
      `Either the bucket named '${bucketName}' does not exist in the namespace '${ns}' or you are not authorized to access it`,
    );
  const obj = bucket[objectName];
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const missing = () =>
    new ApiError(
      404,
      'ObjectNotFound',
      `The object '${objectName}' was not found in the bucket '${bucketName}'`,
    );
  const meta = (o: StoredObject) => ({
    etag: o.etag,
    'last-modified': new Date(o.modified).toUTCString(),
    'content-type': o.contentType,
    'content-md5': createHash('md5').update(Buffer.from(o.body, 'base64')).digest('base64'),
  });
  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (!obj) throw missing();
      if (ifMatch && ifMatch !== obj.etag)
        throw new ApiError(
          412,
          'IfMatchFailed',
          'The If-Match header fails to match the ETag of the resource',
        );
      const body = Buffer.from(obj.body, 'base64');
      return {
        status: 200,
        raw: true,
        body: method === 'HEAD' ? Buffer.alloc(0) : body,
        headers: { ...meta(obj), 'content-length': String(body.length) },
      };
    }
    case 'PUT': {
      if (ifNoneMatch === '*' && obj)
        throw new ApiError(
          412,
          'IfNoneMatchFailed',
          "The If-None-Match header is '*' but there is an existing entity",
        );
      if (ifMatch && (!obj || ifMatch !== obj.etag))
        throw new ApiError(
          412,
          'IfMatchFailed',
          'The If-Match header fails to match the ETag of the resource',
        );
      const stored: StoredObject = {
        body: raw.toString('base64'),
        etag: randomUUID(),
        contentType: header(req, 'content-type') ?? 'application/octet-stream',
        modified: now,
      };
      bucket[objectName] = stored;
      const { 'content-type': _ct, ...headers } = meta(stored);
      return { status: 200, headers: { ...headers, 'opc-content-md5': headers['content-md5'] } };
    }
    case 'DELETE': {
      if (!obj) throw missing();
      if (ifMatch && ifMatch !== obj.etag)
        throw new ApiError(
          412,
          'IfMatchFailed',
          'The If-Match header fails to match the ETag of the resource',
        );
      delete bucket[objectName];
      return { status: 204, headers: { 'last-modified': new Date(now).toUTCString() } };
    }
    default:
      throw new ApiError(405, 'MethodNotAllowed', 'Method not allowed.');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
