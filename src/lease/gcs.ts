/**
 * `lock: {type: gcs}`: the lease is one object in a Cloud Storage bucket, written only with
 * generation preconditions: `ifGenerationMatch: 0` creates it (412 when it exists), the
 * generation read renews or takes it over (412 when another runner wrote it since).
 *
 * Auth: the named GCP provider's service account key, as a self-signed JWT with the
 * storage scopes (`useJWTAccessWithScope`): Google accepts it without a token server, and
 * the emulator verifies it against the registered key, as for Compute.
 */
import type { GcpProvider, LockSection } from '../config/types.js';
import { DEFAULT_LEASE_OBJECT } from '../config/schema/lock.js';
import { oneLine, OperationalError } from '../core/errors.js';
import { parseRecord, recordText } from './record.js';
import type { LeaseStore } from './types.js';

type GcsLock = Extract<LockSection, { type: 'gcs' }>;

const status = (err: unknown) => (err as { code?: number }).code;

export async function openGcsStore(lock: GcsLock, provider: GcpProvider): Promise<LeaseStore> {
  const { Storage } = await import('@google-cloud/storage');
  const apiEndpoint = lock.endpoint ?? provider.endpoint;
  const storage = new Storage({
    projectId: provider.gcp_project,
    credentials: provider.gcp_credentials as unknown as { client_email: string; private_key: string },
    retryOptions: { autoRetry: false },
    ...(apiEndpoint ? { apiEndpoint: apiEndpoint.replace(/\/+$/, ''), useAuthWithCustomEndpoint: true } : {}),
  });
  // Self-signed JWT with the storage scopes instead of a token-server exchange (set before the
  // first call: the JWT client is made from the key then, and takes this flag with it).
  (storage.authClient as unknown as { useJWTAccessWithScope?: boolean }).useJWTAccessWithScope = true;
  const objectName = lock.object ?? DEFAULT_LEASE_OBJECT;
  const bucket = storage.bucket(lock.bucket);
  const file = bucket.file(objectName);
  const fail = (what: string, err: unknown) => {
    const code = status(err);
    const message = oneLine(err);
    if (code === 404 && /bucket/i.test(message))
      return new OperationalError(
        `lock bucket ${lock.bucket} does not exist in Cloud Storage (or provider ${provider.vm_provider_config_name} may not read it)`,
        { hint: 'create the bucket, or fix lock.bucket; nothing was done' },
      );
    return new OperationalError(
      `lease gs://${lock.bucket}/${objectName}: ${what} failed: ${message}`,
      code === 401 || code === 403
        ? { hint: 'the service account needs roles/storage.objectUser on the bucket; nothing was done' }
        : {},
    );
  };
  const save = async (text: string, ifGenerationMatch: number | string) => {
    try {
      await file.save(text, {
        resumable: false,
        contentType: 'application/json',
        preconditionOpts: { ifGenerationMatch: Number(ifGenerationMatch) },
      });
      return String(file.metadata.generation);
    } catch (err) {
      if (status(err) === 412) return undefined;
      throw fail('writing', err);
    }
  };
  return {
    where: `gcs gs://${lock.bucket}/${objectName}`,
    async read() {
      // Metadata (the generation) and body are two reads; the body is read at that generation,
      // and when a write came between them (that generation is gone) we read again.
      for (let attempt = 0; ; attempt++) {
        let generation: string;
        try {
          const [meta] = await file.getMetadata();
          generation = String(meta.generation);
        } catch (err) {
          if (status(err) === 404 && !/bucket/i.test(oneLine(err))) return undefined;
          throw fail('reading', err);
        }
        try {
          const [body] = await bucket.file(objectName, { generation: Number(generation) }).download();
          return { record: parseRecord(body.toString('utf8')), version: generation };
        } catch (err) {
          if (status(err) === 404 && attempt < 3) continue;
          throw fail('reading', err);
        }
      }
    },
    create: (r) => save(recordText(r), 0),
    replace: (r, version) => save(recordText(r), version),
    async free(version) {
      await file.delete({ ifGenerationMatch: Number(version) }).catch(() => {});
    },
  };
}
