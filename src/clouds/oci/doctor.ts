/**
 * OCI checks for one provider, every one a read through oci-core (the same clients and
 * error classification as the adapter): ListShapes, GetImage, GetSubnet,
 * GetNetworkSecurityGroup. Nothing here launches, tags or changes anything.
 *
 * One signed ListShapes in the compartment answers two questions: a 401 means the key is
 * refused (credentials ✗), a 404 means the key is fine but the compartment is not
 * reachable (credentials ✓, compartment ✗).
 */
import { createOciClients, type OciClients } from './client.js';
import { describePlatformIdentity, ociPlatformAuth } from './platform-auth.js';
import { AUTH_HINT, classifyOciError } from './errors.js';
import type { OciProvider } from './schema.js';
import { inspectKey } from './key-inspect.js';
import {
  once,
  settle,
  fail,
  ok,
  warn,
  type Check,
  type CheckGroup,
  type Outcome,
} from '../../core/checks.js';

type Shape = {
  shape?: string;
  ocpus?: number;
  memoryInGBs?: number;
  gpus?: number;
  isFlexible?: boolean;
  ocpuOptions?: { min?: number; max?: number };
  memoryOptions?: { minInGBs?: number; maxInGBs?: number };
};

export function ociChecks(p: OciProvider): CheckGroup {
  let made: OciClients | undefined;
  const clients = once(async () => (made = createOciClients(p)));
  const endpoint = () => made?.endpoint ?? p.endpoint ?? `the ${p.oci_region} endpoint`;
  const classify = (err: unknown, operation: string, zone?: string) =>
    classifyOciError(err, { operation, zone, endpoint: endpoint() });

  /** A failed call as an Outcome: the classified line, and a hint that fits its kind. */
  const failed = (err: unknown, operation: string, notFoundHint: string, zone?: string): Outcome => {
    const e = classify(err, operation, zone);
    const hint =
      e.kind === 'not_found'
        ? notFoundHint
        : e.kind === 'auth'
          ? AUTH_HINT
          : e.kind === 'transient' && e.status === undefined
            ? `check endpoint/oci_region (${endpoint()}) and that this machine can reach it (proxy, firewall)`
            : e.kind === 'throttled' || e.kind === 'transient'
              ? 'OCI is busy or failing; run doctor again in a minute'
              : undefined;
    return fail(e.message, hint, { requestId: e.requestId });
  };

  const probe = once(() =>
    settle(clients().then((c) => c.compute.listShapes({ compartmentId: p.oci_compartment_ocid, limit: 1 }))),
  );
  const subnet = once(() =>
    settle(clients().then((c) => c.network.getSubnet({ subnetId: p.oci_subnet_ocid }))),
  );

  /** The credentials check for instance/resource principals and session tokens: who the token names, and OCI's verdict. */
  const platformCredentials = async (r: Awaited<ReturnType<typeof probe>>): Promise<Outcome> => {
    const e = r.ok ? undefined : classify(r.error, 'ListShapes');
    if (e && e.kind === 'auth' && e.status === undefined) return fail(e.message);
    if (e && e.kind === 'transient' && e.status === undefined)
      return fail(
        e.message,
        `check endpoint/oci_region (${endpoint()}) and that this machine can reach it (proxy, firewall)`,
      );
    let who = `oci_auth: ${p.oci_auth}`;
    try {
      const id = await describePlatformIdentity(await ociPlatformAuth(p));
      who = `${p.oci_auth} ${short(id.principal)}${id.tenancy ? ` in tenancy ${short(id.tenancy)}` : ''}${id.expires ? `, token valid until ${id.expires}` : ''}`;
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    if (e?.status === 401)
      return fail(
        `OCI refused the request signed as ${who} (${[e.code, 'HTTP 401', e.requestId && `opc-request-id ${e.requestId}`].filter(Boolean).join(', ')})`,
        'the security token may have expired (oci session refresh) or the principal is unknown to this tenancy',
        { requestId: e.requestId },
      );
    return ok(
      `signed request accepted (${who}; policies decide what it may do: the checks below show its reach)${e ? ` (ListShapes answered HTTP ${e.status ?? '?'})` : ''}`,
    );
  };

  const checks: Check[] = [
    {
      id: 'credentials',
      title: 'credentials authenticate',
      async run() {
        const r = await probe();
        if ((p.oci_auth ?? 'api_key') !== 'api_key') return platformCredentials(r);
        if (r.ok)
          return ok(`signed request accepted (key ${p.oci_fingerprint}, user ${short(p.oci_user_ocid)})`);
        const e = classify(r.error, 'ListShapes');
        // The key never reached the SDK (cannot be opened): say why, without the key.
        if (e.kind === 'auth' && e.status === undefined)
          return fail(
            e.message,
            'fix oci_private_key / oci_private_key_passphrase (kasm-scale keys inspect shows what the file holds)',
          );
        if (e.kind === 'auth' && e.status === 401)
          return fail(
            `OCI refused the signed request (${[e.code, 'HTTP 401', e.requestId && `opc-request-id ${e.requestId}`].filter(Boolean).join(', ')})`,
            authCauses(p),
            { requestId: e.requestId },
          );
        if (e.kind === 'transient' && e.status === undefined)
          return fail(
            e.message,
            `check endpoint/oci_region (${endpoint()}) and that this machine can reach it (proxy, firewall)`,
          );
        // Any other answer (404, 403, 400...) came back to a request OCI authenticated.
        return ok(
          `signed request accepted (ListShapes answered HTTP ${e.status ?? '?'}; see the compartment check)`,
          { requestId: e.requestId },
        );
      },
    },
    {
      id: 'compartment',
      title: 'compartment reachable',
      needs: ['credentials'],
      async run() {
        const r = await probe();
        if (r.ok)
          return ok(`${short(p.oci_compartment_ocid)} answers ListShapes`, {
            requestId: r.value.opcRequestId,
          });
        return failed(
          r.error,
          'ListShapes',
          `check oci_compartment_ocid, and that the user's group has policies in it, e.g. "Allow group <group> to manage instance-family in compartment <name>" and "... to use virtual-network-family ..."`,
        );
      },
    },
    {
      id: 'image',
      title: 'image exists',
      needs: ['credentials'],
      async run() {
        try {
          const { image, opcRequestId } = await (
            await clients()
          ).compute.getImage({ imageId: p.oci_image_ocid });
          const what = [
            image.displayName,
            image.operatingSystem && `${image.operatingSystem} ${image.operatingSystemVersion ?? ''}`.trim(),
          ]
            .filter(Boolean)
            .join(', ');
          if (image.lifecycleState && image.lifecycleState !== 'AVAILABLE')
            return fail(
              `image ${short(p.oci_image_ocid)} is ${image.lifecycleState}`,
              'use an AVAILABLE image (Compute > Custom images, or a current platform image)',
              { requestId: opcRequestId },
            );
          return ok(`${short(p.oci_image_ocid)} (${what})`, { requestId: opcRequestId });
        } catch (err) {
          return failed(
            err,
            'GetImage',
            `check oci_image_ocid: image OCIDs are regional, so an image of another region is not found in ${p.oci_region}; a custom image also needs "read instance-images" in its compartment`,
          );
        }
      },
    },
    {
      id: 'subnet',
      title: 'subnet exists',
      needs: ['credentials'],
      async run() {
        const r = await subnet();
        if (!r.ok)
          return failed(
            r.error,
            'GetSubnet',
            `check oci_subnet_ocid (Networking > Virtual cloud networks > <vcn> > Subnets), its region (${p.oci_region}), and "use virtual-network-family" for the user's group`,
          );
        const s = r.value.subnet;
        const detail = `${short(p.oci_subnet_ocid)} (${[s.displayName, s.cidrBlock].filter(Boolean).join(', ')})`;
        const elsewhere = s.availabilityDomain
          ? p.oci_availability_domains.filter((ad) => ad !== s.availabilityDomain)
          : [];
        if (elsewhere.length)
          return fail(
            `${detail} is specific to ${s.availabilityDomain}, but oci_availability_domains also lists ${elsewhere.join(', ')}`,
            'use a regional subnet, or list only that availability domain',
            { requestId: r.value.opcRequestId },
          );
        return ok(detail, { requestId: r.value.opcRequestId });
      },
    },
    ...p.oci_nsg_ocids.map((nsg): Check => ({
      id: `nsg:${nsg}`,
      title: `NSG ${short(nsg)} exists`,
      needs: ['credentials'],
      async run() {
        try {
          const { networkSecurityGroup: g, opcRequestId } = await (
            await clients()
          ).network.getNetworkSecurityGroup({ networkSecurityGroupId: nsg });
          const s = await subnet();
          if (s.ok && s.value.subnet.vcnId && g.vcnId && s.value.subnet.vcnId !== g.vcnId)
            return fail(
              `NSG ${short(nsg)} is in VCN ${short(g.vcnId)}, the subnet in ${short(s.value.subnet.vcnId)}`,
              "an instance can only use NSGs of its subnet's VCN: pick NSGs of that VCN in oci_nsg_ocids",
              { requestId: opcRequestId },
            );
          return ok(`${short(nsg)} (${g.displayName ?? 'nsg'})`, { requestId: opcRequestId });
        } catch (err) {
          return failed(
            err,
            'GetNetworkSecurityGroup',
            "check oci_nsg_ocids: each must be an NSG of the subnet's VCN in this region (Networking > Virtual cloud networks > <vcn> > Network security groups)",
          );
        }
      },
    })),
    ...p.oci_availability_domains.map((ad): Check => ({
      id: `shape:${ad}`,
      title: `shape ${p.oci_shape} offered in ${ad}`,
      needs: ['compartment'],
      async run() {
        const c = await clients();
        const list = async (imageId?: string): Promise<Shape[]> => {
          const out: Shape[] = [];
          for await (const s of c.compute.listShapesRecordIterator({
            compartmentId: p.oci_compartment_ocid,
            availabilityDomain: ad,
            ...(imageId ? { imageId } : {}),
          }))
            out.push(s);
          return out;
        };
        try {
          const found = (await list(p.oci_image_ocid)).find((s) => s.shape === p.oci_shape);
          if (found) return flexFit(p, found, ad);
          const anyImage = (await list()).find((s) => s.shape === p.oci_shape);
          if (anyImage)
            return fail(
              `${p.oci_shape} is offered in ${ad}, but not for image ${short(p.oci_image_ocid)}`,
              'pick an image built for this shape (e.g. an aarch64 image for Ampere A1, a GPU image for GPU shapes), or another shape',
            );
          return fail(
            `${p.oci_shape} is not offered in ${ad} for this compartment`,
            `remove ${ad} from oci_availability_domains, or pick a shape offered there (Compute > Instances > Create > Change shape shows what each AD offers); service limits can also hide a shape`,
          );
        } catch (err) {
          const e = classify(err, 'ListShapes', ad);
          if (e.kind === 'invalid')
            return fail(
              e.message,
              `check the availability domain name: it carries a tenancy-specific prefix (such as "BEol:US-ASHBURN-AD-1"); copy it from "oci iam availability-domain list" for ${p.oci_region}`,
              { requestId: e.requestId },
            );
          return failed(err, 'ListShapes', 'check oci_compartment_ocid and the availability domain name', ad);
        }
      },
    })),
  ];
  return {
    name: p.vm_provider_config_name,
    kind: 'oci',
    checks,
    async close() {
      made?.compute.close?.();
      made?.network.close?.();
    },
  };
}

/** A Flex shape also has to take the configured OCPUs and memory. */
function flexFit(p: OciProvider, s: Shape, ad: string): Outcome {
  const size = s.isFlexible
    ? `Flex: ${s.ocpuOptions?.min ?? '?'}–${s.ocpuOptions?.max ?? '?'} OCPUs, ${s.memoryOptions?.minInGBs ?? '?'}–${s.memoryOptions?.maxInGBs ?? '?'} GB`
    : `${s.ocpus ?? '?'} OCPUs, ${s.memoryInGBs ?? '?'} GB${s.gpus ? `, ${s.gpus} GPU` : ''}`;
  if (s.isFlexible) {
    const cpus = p.oci_flex_cpus;
    const mem = p.oci_flex_memory_gb;
    const o = s.ocpuOptions;
    const m = s.memoryOptions;
    if (
      cpus !== undefined &&
      o &&
      ((o.min !== undefined && cpus < o.min) || (o.max !== undefined && cpus > o.max))
    )
      return fail(
        `${p.oci_shape} in ${ad} takes ${o.min}–${o.max} OCPUs; oci_flex_cpus is ${cpus}`,
        `set oci_flex_cpus within ${o.min}–${o.max}`,
      );
    if (
      mem !== undefined &&
      m &&
      ((m.minInGBs !== undefined && mem < m.minInGBs) || (m.maxInGBs !== undefined && mem > m.maxInGBs))
    )
      return fail(
        `${p.oci_shape} in ${ad} takes ${m.minInGBs}–${m.maxInGBs} GB; oci_flex_memory_gb is ${mem}`,
        `set oci_flex_memory_gb within ${m.minInGBs}–${m.maxInGBs}`,
      );
    if (cpus === undefined)
      return warn(
        `${p.oci_shape} is offered in ${ad} (${size}), but oci_flex_cpus is not set`,
        'set oci_flex_cpus (and oci_flex_memory_gb): a Flex shape needs them at launch',
      );
  }
  return ok(`offered (${size})`);
}

/** The likely causes of a 401, most likely first; the fingerprint is compared locally. */
function authCauses(p: OciProvider): string {
  let local: string | undefined;
  try {
    local = inspectKey(p.oci_private_key, p.oci_private_key_passphrase).fingerprint;
  } catch {
    local = undefined;
  }
  if (local && local !== p.oci_fingerprint.toLowerCase())
    return `oci_fingerprint ${p.oci_fingerprint} does not match the private key (its fingerprint is ${local}): put the fingerprint of this key, or the key of this fingerprint`;
  return `the fingerprint matches the private key, so OCI does not accept this key for this user: upload the public key (Identity > Users > <user> > API Keys > Add API key; kasm-scale keys inspect prints it), check that oci_user_ocid and oci_tenancy_ocid are the user and tenancy it was uploaded for, and that this machine's clock is right`;
}

/** OCIDs are long; the head and the last characters identify one in a line. */
export function short(ocid: string): string {
  const parts = ocid.split('.');
  if (parts.length < 5 || ocid.length <= 40) return ocid;
  const id = parts[parts.length - 1];
  return `${parts.slice(0, -1).join('.')}.${id.length > 10 ? `…${id.slice(-8)}` : id}`;
}
