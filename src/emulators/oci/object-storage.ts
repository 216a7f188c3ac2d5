/**
 * The state of the slice of OCI Object Storage a lease needs (namespace, buckets, objects),
 * kept in the OCI emulator's state file. Its operations: routes/object-storage.ts.
 */

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

export const isObjectStoragePath = (path: string) => path === '/n' || path.startsWith('/n/');
