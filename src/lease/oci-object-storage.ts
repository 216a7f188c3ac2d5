/**
 * `lock: {type: oci-object-storage}`: the lease is one object in an Object Storage bucket,
 * written only with conditions: `if-none-match: *` creates it (412 when it exists),
 * `if-match: <etag>` renews or takes it over (412 when another runner wrote it since).
 * Signed with the named OCI provider's credentials (createOciTransport, as every OCI call).
 */
import type { OciProvider } from '../config/types.js';
import type { LockSection } from '../config/types.js';
import { DEFAULT_LEASE_OBJECT } from '../config/schema/lock.js';
import { oneLine, OperationalError } from '../core/errors.js';
import { parseRecord, recordText } from './record.js';
import type { LeaseStore } from './types.js';

type OciLock = Extract<LockSection, { type: 'oci-object-storage' }>;

const status = (err: unknown) => (err as { statusCode?: number }).statusCode;

export async function openOciObjectStore(lock: OciLock, provider: OciProvider): Promise<LeaseStore> {
  const [{ createOciTransport }, os] = await Promise.all([
    import('../clouds/oci/client.js'),
    import('oci-objectstorage'),
  ]);
  const t = createOciTransport(provider);
  const client = t.place(new os.ObjectStorageClient(t.params, t.config));
  if (lock.endpoint) client.endpoint = lock.endpoint.replace(/\/+$/, '');
  const objectName = lock.object ?? DEFAULT_LEASE_OBJECT;
  const fail = (what: string, err: unknown) => {
    const code = status(err);
    const svc = (err as { serviceCode?: string }).serviceCode;
    if (code === 404 && svc === 'BucketNotFound')
      return new OperationalError(
        `lock bucket ${lock.bucket} does not exist in Object Storage namespace ${namespaceName} (or provider ${provider.vm_provider_config_name} may not read it)`,
        { hint: 'create the bucket, or fix lock.bucket; nothing was done' },
      );
    return new OperationalError(
      `lease ${lock.bucket}/${objectName}: ${what} failed: ${oneLine(err)}`,
      code === 401 || code === 403 || code === 404
        ? {
            hint: 'the user needs OBJECT_READ, OBJECT_CREATE, OBJECT_OVERWRITE and OBJECT_DELETE on the bucket; nothing was done',
          }
        : {},
    );
  };
  let namespaceName = lock.namespace ?? '';
  if (!namespaceName) {
    try {
      namespaceName = (await client.getNamespace({})).value;
    } catch (err) {
      throw fail('reading the Object Storage namespace', err);
    }
  }
  const at = { namespaceName, bucketName: lock.bucket, objectName };
  const put = async (text: string, cond: { ifMatch?: string; ifNoneMatch?: string }) => {
    try {
      const r = await client.putObject({
        ...at,
        putObjectBody: text,
        contentLength: Buffer.byteLength(text),
        contentType: 'application/json',
        ...cond,
      });
      return r.eTag;
    } catch (err) {
      if (status(err) === 412 || status(err) === 409) return undefined;
      throw fail('writing', err);
    }
  };
  return {
    where: `oci-object-storage ${lock.bucket}/${objectName}`,
    async read() {
      try {
        const r = await client.getObject(at);
        const text = await new Response(
          r.value as unknown as ConstructorParameters<typeof Response>[0],
        ).text();
        return { record: parseRecord(text), version: r.eTag };
      } catch (err) {
        if (status(err) === 404 && (err as { serviceCode?: string }).serviceCode === 'ObjectNotFound')
          return undefined;
        throw fail('reading', err);
      }
    },
    create: (r) => put(recordText(r), { ifNoneMatch: '*' }),
    replace: (r, version) => put(recordText(r), { ifMatch: version }),
    async free(version) {
      await client.deleteObject({ ...at, ifMatch: version }).catch(() => {});
    },
    close: () => Promise.resolve(client.close()),
  };
}
