import { z } from 'zod';
import { checked, int, name, text } from '../../core/fields/common.js';
import { endpointError } from '../../clouds/oci/schema.js';

/**
 * `lock:` — what keeps two reconcile passes from acting at once. `file` (the default) is a
 * lock file in the state dir: enough on one machine. The others are leases on a service
 * every runner reaches (docs/lease.md).
 */

const ttl = int({ min: 15, max: 3600, what: 'seconds' })
  .optional()
  .describe(
    'Seconds a lease stays held without renewal (default 120); a holder that dies is taken over after this',
  );
const objectName = text('an object name')
  .optional()
  .describe('Object that holds the lease (default kasm-scale/reconcile.lease)');
const endpoint = checked('a base URL', endpointError)
  .optional()
  .describe('Service base URL (default: the provider endpoint, else the region’s)');

const fileLock = z
  .strictObject({ type: z.literal('file').describe('The lock file in the state dir') })
  .describe('The lock file in the state dir (one machine)');

const ociObjectStorage = z
  .strictObject({
    type: z.literal('oci-object-storage').describe('A lease object in OCI Object Storage'),
    provider: name(
      'the vm_provider_config_name of an OCI provider (its credentials and region are used)',
    ).describe('OCI provider whose credentials and region sign the Object Storage calls'),
    bucket: text('an Object Storage bucket name').describe('Existing bucket that holds the lease object'),
    namespace: text('an Object Storage namespace')
      .optional()
      .describe('Object Storage namespace (default: asked of the service)'),
    object: objectName,
    ttl_seconds: ttl,
    endpoint,
  })
  .describe('A lease object in OCI Object Storage (conditional writes with if-match / if-none-match)');

const gcs = z
  .strictObject({
    type: z.literal('gcs').describe('A lease object in Google Cloud Storage'),
    provider: name('the vm_provider_config_name of a GCP provider (its credentials are used)').describe(
      'GCP provider whose service account signs the Cloud Storage calls',
    ),
    bucket: text('a Cloud Storage bucket name').describe('Existing bucket that holds the lease object'),
    object: objectName,
    ttl_seconds: ttl,
    endpoint,
  })
  .describe('A lease object in Google Cloud Storage (conditional writes with ifGenerationMatch)');

const kubernetes = z
  .strictObject({
    type: z.literal('kubernetes').describe('A Kubernetes Lease'),
    name: text('a Lease name')
      .optional()
      .describe('Name of the coordination.k8s.io/v1 Lease (default kasm-scale)'),
    namespace: text('a namespace')
      .optional()
      .describe("Namespace of the Lease (default: the pod's own namespace, else default)"),
    kubeconfig: text('a kubeconfig path')
      .optional()
      .describe('Kubeconfig file (default: the in-cluster service account)'),
    ttl_seconds: ttl,
  })
  .describe('A Kubernetes coordination.k8s.io/v1 Lease');

export const lockSchema = z
  .discriminatedUnion('type', [fileLock, ociObjectStorage, gcs, kubernetes], {
    error: 'expected type: file, oci-object-storage, gcs or kubernetes',
  })
  .describe('What keeps two reconcile passes from acting at once (default: a lock file in the state dir)');

export type LockSection = z.output<typeof lockSchema>;
export type LockType = LockSection['type'];
export const DEFAULT_TTL_SECONDS = 120;
export const DEFAULT_LEASE_OBJECT = 'kasm-scale/reconcile.lease';
