/**
 * The slice of the Cloud Storage JSON API a lease needs, served by the GCP emulator beside
 * Compute (@google-cloud/storage takes it as `apiEndpoint`): object metadata and media
 * reads, multipart uploads, deletes, each with Google's generation preconditions —
 * `ifGenerationMatch=0` means "only if it does not exist", any other value "only if this is
 * the live generation"; a precondition that does not hold answers 412 conditionNotMet.
 */
import { createHash } from 'node:crypto';
import { GoogleApiError } from './google-errors.js';

export interface StoredGcsObject {
  data: Buffer;
  generation: number;
  metageneration: number;
  contentType: string;
  created: number;
  updated: number;
}

export interface GcsState {
  /** bucket → object name → object */
  buckets: Map<string, Map<string, StoredGcsObject>>;
  nextGeneration: number;
}

export const isStoragePath = (path: string) =>
  path.startsWith('/storage/v1/') || path.startsWith('/upload/storage/v1/');

export interface StorageAnswer {
  status: number;
  json?: unknown;
  media?: Buffer;
  headers?: Record<string, string>;
}

const conditionNotMet = () =>
  new GoogleApiError(
    412,
    'At least one of the pre-conditions you specified did not hold.',
    'conditionNotMet',
  );

export function storageAnswer(
  s: GcsState,
  method: string,
  url: URL,
  raw: Buffer,
  contentType: string,
  now: number,
): StorageAnswer {
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
  const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
  const bucketName = decodeURIComponent((upload ?? object)?.[1] ?? '');
  if (!upload && !object) throw new GoogleApiError(404, 'Not Found', 'notFound');
  const bucket = s.buckets.get(bucketName);
  if (!bucket) throw new GoogleApiError(404, 'The specified bucket does not exist.', 'notFound');
  const q = url.searchParams;
  const precondition = (current: StoredGcsObject | undefined) => {
    const want = q.get('ifGenerationMatch');
    if (want === null) return;
    if (want === '0' ? current !== undefined : current?.generation !== Number(want)) throw conditionNotMet();
  };
  const view = (name: string, o: StoredGcsObject) => ({
    kind: 'storage#object',
    id: `${bucketName}/${name}/${o.generation}`,
    name,
    bucket: bucketName,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    size: String(o.data.length),
    md5Hash: createHash('md5').update(o.data).digest('base64'),
    crc32c: crc32c(o.data),
    timeCreated: new Date(o.created).toISOString(),
    updated: new Date(o.updated).toISOString(),
    etag: Buffer.from(`${o.generation}`).toString('base64'),
  });

  if (upload) {
    if (method !== 'POST') throw new GoogleApiError(405, 'Method not allowed', 'methodNotAllowed');
    const { metadata, data } = parseUpload(q.get('uploadType'), contentType, raw);
    const name = q.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : '');
    if (!name) throw new GoogleApiError(400, 'Required', 'required');
    const current = bucket.get(name);
    precondition(current);
    const o: StoredGcsObject = {
      data,
      generation: s.nextGeneration++,
      metageneration: 1,
      contentType:
        typeof metadata.contentType === 'string' ? metadata.contentType : 'application/octet-stream',
      created: now,
      updated: now,
    };
    bucket.set(name, o);
    return { status: 200, json: view(name, o) };
  }

  const name = decodeURIComponent(object![2]);
  const current = bucket.get(name);
  const missing = () => new GoogleApiError(404, `No such object: ${bucketName}/${name}`, 'notFound');
  switch (method) {
    case 'GET': {
      const generation = q.get('generation');
      if (!current || (generation !== null && Number(generation) !== current.generation)) throw missing();
      precondition(current);
      if (q.get('alt') === 'media')
        return {
          status: 200,
          media: current.data,
          headers: {
            'x-goog-generation': String(current.generation),
            'x-goog-hash': `crc32c=${crc32c(current.data)},md5=${createHash('md5').update(current.data).digest('base64')}`,
          },
        };
      return { status: 200, json: view(name, current) };
    }
    case 'DELETE':
      if (!current) throw missing();
      precondition(current);
      bucket.delete(name);
      return { status: 204 };
    default:
      throw new GoogleApiError(405, 'Method not allowed', 'methodNotAllowed');
  }
}

/** uploadType=media (the body is the data) or multipart (a JSON metadata part, then the data). */
function parseUpload(
  uploadType: string | null,
  contentType: string,
  raw: Buffer,
): { metadata: Record<string, unknown>; data: Buffer } {
  if (uploadType === 'media') return { metadata: { contentType }, data: raw };
  if (uploadType !== 'multipart')
    throw new GoogleApiError(
      400,
      `Upload type ${uploadType} is not emulated (media and multipart are)`,
      'invalid',
    );
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new GoogleApiError(400, 'Multipart upload without a boundary', 'invalid');
  const parts: Buffer[] = [];
  const sep = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(sep);
  while (at >= 0) {
    const next = raw.indexOf(sep, at + sep.length);
    if (next < 0) break;
    parts.push(raw.subarray(at + sep.length, next));
    at = next;
  }
  const bodyOf = (p: Buffer) => {
    const start = p.indexOf('\r\n\r\n');
    const body = p.subarray(start + 4);
    // The CRLF before the next boundary belongs to the boundary.
    return body.subarray(0, body.length - (body.subarray(-2).toString() === '\r\n' ? 2 : 0));
  };
  if (parts.length < 2)
    throw new GoogleApiError(400, 'Multipart upload needs a metadata and a media part', 'invalid');
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(bodyOf(parts[0]).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new GoogleApiError(400, 'Invalid JSON in the metadata part', 'parseError');
  }
  return { metadata, data: Buffer.from(bodyOf(parts[1])) };
}

/** CRC32C (Castagnoli), big-endian base64, as Cloud Storage reports it (the library checks uploads against it). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32c(data: Buffer): string {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}
