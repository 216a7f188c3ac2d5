/**
 * The slice of OCI Object Storage a lease needs, served by the OCI emulator beside Compute
 * (the SDK's ObjectStorageClient takes the same `endpoint`): GetNamespace, and
 * Get/Head/Put/Delete of an object, with the service's conditional-request rules —
 * `if-none-match: *` fails with 412 when the object exists, `if-match: <etag>` with 412
 * when its ETag differs — and its 404 codes (BucketNotFound, ObjectNotFound). Requests are
 * signature-checked by the front door (../serve.ts) before they get here.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ObjectStorageState, StoredObject } from '../object-storage.js';
import { ApiError } from '../validate.js';

export interface ObjectCall {
  req: IncomingMessage;
  /** `namespaceName`, `bucketName`, `objectName`, percent-decoded. */
  params: Record<string, string>;
  raw: Buffer;
  now: number;
}

export interface ObjectAnswer {
  status: number;
  /** A Buffer is sent as it is (an object's bytes), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ObjectStorageRoute {
  method: string;
  path: string;
  handler: (s: ObjectStorageState, call: ObjectCall) => ObjectAnswer;
  /** PutObject: the service does not sign the body, so the signature check must not ask for it. */
  unsignedBody?: boolean;
}

export const getNamespace = (s: ObjectStorageState): ObjectAnswer => ({ status: 200, body: s.namespace });

export const getObject = (s: ObjectStorageState, call: ObjectCall) => readObject(s, call, false);
export const headObject = (s: ObjectStorageState, call: ObjectCall) => readObject(s, call, true);

function readObject(s: ObjectStorageState, { req, params }: ObjectCall, head: boolean): ObjectAnswer {
  const obj = bucketOf(s, params)[params.objectName];
  if (!obj) throw missing(params);
  checkIfMatch(obj, header(req, 'if-match'));
  const body = Buffer.from(obj.body, 'base64');
  return {
    status: 200,
    body: head ? Buffer.alloc(0) : body,
    headers: { ...meta(obj), 'content-length': String(body.length) },
  };
}

export function putObject(s: ObjectStorageState, { req, params, raw, now }: ObjectCall): ObjectAnswer {
  const bucket = bucketOf(s, params);
  const obj = bucket[params.objectName];
  const ifMatch = header(req, 'if-match');
  if (header(req, 'if-none-match') === '*' && obj)
    throw new ApiError(
      412,
      'IfNoneMatchFailed',
      "The If-None-Match header is '*' but there is an existing entity",
    );
  if (ifMatch && !obj) throw ifMatchFailed();
  if (obj) checkIfMatch(obj, ifMatch);
  const stored: StoredObject = {
    body: raw.toString('base64'),
    etag: randomUUID(),
    contentType: header(req, 'content-type') ?? 'application/octet-stream',
    modified: now,
  };
  bucket[params.objectName] = stored;
  const { 'content-type': _ct, ...headers } = meta(stored);
  return { status: 200, headers: { ...headers, 'opc-content-md5': headers['content-md5'] } };
}

export function deleteObject(s: ObjectStorageState, { req, params, now }: ObjectCall): ObjectAnswer {
  const bucket = bucketOf(s, params);
  const obj = bucket[params.objectName];
  if (!obj) throw missing(params);
  checkIfMatch(obj, header(req, 'if-match'));
  delete bucket[params.objectName];
  return { status: 204, headers: { 'last-modified': new Date(now).toUTCString() } };
}

/** The bucket the path names: 404 BucketNotFound when it (or the namespace) is not there. */
export function bucketOf(
  s: ObjectStorageState,
  params: Record<string, string>,
): Record<string, StoredObject> {
  const { namespaceName: ns, bucketName } = params;
  const bucket = ns === s.namespace ? s.buckets[bucketName] : undefined;
  if (!bucket)
    throw new ApiError(
      404,
      'BucketNotFound',
      `Either the bucket named '${bucketName}' does not exist in the namespace '${ns}' or you are not authorized to access it`,
    );
  return bucket;
}

const missing = ({ objectName, bucketName }: Record<string, string>) =>
  new ApiError(
    404,
    'ObjectNotFound',
    `The object '${objectName}' was not found in the bucket '${bucketName}'`,
  );

const ifMatchFailed = () =>
  new ApiError(412, 'IfMatchFailed', 'The If-Match header fails to match the ETag of the resource');

function checkIfMatch(obj: StoredObject, ifMatch: string | undefined): void {
  if (ifMatch && ifMatch !== obj.etag) throw ifMatchFailed();
}

const meta = (o: StoredObject) => ({
  etag: o.etag,
  'last-modified': new Date(o.modified).toUTCString(),
  'content-type': o.contentType,
  'content-md5': createHash('md5').update(Buffer.from(o.body, 'base64')).digest('base64'),
});

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
