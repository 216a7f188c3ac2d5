/**
 * OCI Identity reads, on oci-identity (loaded only when called: init is the one user, and
 * nothing else should pay for the package). Same transport as the compute client: key
 * opened first, SDK retries off, every request bounded, `endpoint` honoured.
 */
import { type OciClientOptions, type OciCredentials, createOciTransport } from './client.js';
import { classifyOciError } from './errors.js';

/**
 * The availability domain names of the provider's region, as the tenancy sees them
 * (`BEol:US-ASHBURN-AD-1`; the prefix differs per tenancy, which is why they are listed
 * rather than guessed). One attempt; failures are classified CloudErrors.
 */
export async function listAvailabilityDomains(
  p: OciCredentials,
  opts: OciClientOptions = {},
): Promise<string[]> {
  const t = createOciTransport(p, opts);
  const identity = await import('oci-identity');
  const client = t.place(new identity.IdentityClient(t.params, t.config));
  try {
    // ADs belong to the tenancy (the root compartment).
    const res = await client.listAvailabilityDomains({ compartmentId: p.oci_tenancy_ocid });
    return res.items.map((ad) => ad.name ?? '').filter((n) => n !== '');
  } catch (err) {
    throw classifyOciError(err, {
      operation: 'ListAvailabilityDomains',
      endpoint: p.endpoint ?? client.endpoint,
    });
  }
}
