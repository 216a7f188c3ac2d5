/**
 * GCP checks for one provider, every one a `get` through @google-cloud/compute with the
 * service account's self-signed JWT (projects, zones, images, networks, subnetworks,
 * machineTypes, acceleratorTypes). Nothing here launches or changes anything.
 */
import { adcError, describeAdc, metadataScopes } from './adc.js';
import { gcpEndpointLabel, NO_LIBRARY_RETRY } from './client.js';
import { classifyGcpError, parseGcpError } from './errors.js';
import type { GcpProvider } from './schema.js';
import { createGcpReadClients, type GcpReadClients } from './doctor-clients.js';
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

/** A resource path as written in the config, split into its project and the rest. */
export function parseGcpRef(ref: string, defaultProject: string): { project: string; rest: string[] } {
  const path = ref.replace(/^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\//, '').replace(/^\/+/, '');
  const seg = path.split('/');
  if (seg[0] === 'projects' && seg.length > 2) return { project: seg[1], rest: seg.slice(2) };
  return { project: defaultProject, rest: seg };
}

export function gcpChecks(p: GcpProvider): CheckGroup {
  let made: GcpReadClients | undefined;
  const clients = once(async () => (made = await createGcpReadClients(p)));
  const endpoint = gcpEndpointLabel(p);
  const adc = p.gcp_auth === 'adc';
  let email =
    !adc && typeof p.gcp_credentials?.client_email === 'string'
      ? p.gcp_credentials.client_email
      : 'the service account';
  /** ADC: who the library found (an e-mail or federated principal) and where; never a token. */
  const identity = once(async () => {
    const auth = (await clients()).auth;
    if (!auth) return undefined;
    const id = await describeAdc(auth);
    email = id.principal;
    const scopes = id.source === 'metadata_server' ? await metadataScopes() : undefined;
    return { ...id, scopes };
  });

  const failed = (err: unknown, operation: string, notFoundHint: string, zone?: string): Outcome => {
    const e = classifyGcpError(err, { operation, zone, endpoint, project: p.gcp_project });
    const hint =
      e.kind === 'not_found'
        ? notFoundHint
        : e.kind === 'auth' && e.status === 403
          ? `grant ${email} at least roles/compute.viewer on the project (roles/compute.instanceAdmin.v1 to launch), and check the Compute Engine API is enabled`
          : e.kind === 'auth'
            ? 'see the credentials check'
            : e.kind === 'transient' && e.status === undefined
              ? `check endpoint (${endpoint}) is reachable from here (proxy, firewall)`
              : e.kind === 'throttled' || e.kind === 'transient'
                ? 'Google is busy or failing; run doctor again in a minute'
                : undefined;
    // classifyGcpError's not-found line already says "check gcp_project..."; ours is more precise.
    const detail =
      e.kind === 'not_found'
        ? `GCP ${operation}: ${parseGcpError(err).message || 'not found'} (HTTP 404)`
        : e.message;
    return fail(detail, hint, { requestId: e.requestId });
  };

  /** The credentials check under `gcp_auth: adc`: the identity, and whether Compute took its token. */
  const adcCredentials = async (r: Awaited<ReturnType<typeof project>>): Promise<Outcome> => {
    if (!r.ok) {
      const e = classifyGcpError(r.error, { operation: 'projects.get', endpoint, project: p.gcp_project });
      if (e.kind === 'auth' && e.status === undefined) return fail(e.message);
      if (e.kind === 'transient' && e.status === undefined)
        return fail(e.message, `check endpoint (${endpoint}) is reachable from here (proxy, firewall)`);
    }
    let id: Awaited<ReturnType<typeof identity>>;
    try {
      id = await identity();
    } catch (err) {
      return fail(adcError(err, p.vm_provider_config_name).message);
    }
    const who = id ? `${id.principal} (Application Default Credentials from ${id.from})` : email;
    const may = id?.scopes ? `; token scopes: ${id.scopes.join(' ')}` : '';
    if (r.ok) return ok(`token of ${who} accepted${may}`);
    const e = classifyGcpError(r.error, { operation: 'projects.get', endpoint, project: p.gcp_project });
    if (e.status === 401)
      return fail(
        `GCP refused the access token of ${who} (HTTP 401)`,
        'check the workload identity binding (roles/iam.workloadIdentityUser) and that the token is for this project',
      );
    return ok(
      `token of ${who} accepted${may} (projects.get answered HTTP ${e.status ?? '?'}; see the project check)`,
    );
  };

  const project = once(() =>
    settle(clients().then((c) => c.projects.get({ project: p.gcp_project }, NO_LIBRARY_RETRY))),
  );
  const network = parseGcpRef(p.gcp_network, p.gcp_project);
  const subnet = parseGcpRef(p.gcp_subnetwork, p.gcp_project);
  const image = parseGcpRef(p.gcp_image, p.gcp_project);

  const checks: Check[] = [
    {
      id: 'credentials',
      title: 'credentials authenticate',
      async run() {
        const r = await project();
        if (adc) return adcCredentials(r);
        if (r.ok) return ok(`signed token of ${email} accepted`);
        const e = classifyGcpError(r.error, { operation: 'projects.get', endpoint, project: p.gcp_project });
        if (e.kind === 'transient' && e.status === undefined)
          return fail(e.message, `check endpoint (${endpoint}) is reachable from here (proxy, firewall)`);
        if (e.kind === 'auth' && e.status === undefined)
          return fail(
            e.message,
            'put the service account key JSON in gcp_credentials (or gcp_credentials_file) exactly as downloaded',
          );
        if (e.status === 401)
          return fail(
            `GCP refused the signed token of ${email} (HTTP 401)`,
            `the key may be deleted or disabled (IAM > Service accounts > ${email} > Keys: its id is private_key_id), gcp_credentials may be another account's key or damaged, or this machine's clock is off`,
          );
        // 403/404 and the like answer an authenticated request: the project check says more.
        return ok(
          `signed token of ${email} accepted (projects.get answered HTTP ${e.status ?? '?'}; see the project check)`,
        );
      },
    },
    {
      id: 'project',
      title: `project ${p.gcp_project}`,
      needs: ['credentials'],
      async run() {
        const r = await project();
        if (r.ok) return ok(`${r.value[0].name ?? p.gcp_project} is reachable`);
        return failed(
          r.error,
          'projects.get',
          `gcp_project is the project ID (such as pensive-voice-547511), not its display name or number; check ${email} belongs to or has a role on it`,
        );
      },
    },
    {
      id: 'zone',
      title: `zone ${p.gcp_zone}`,
      needs: ['project'],
      async run() {
        try {
          const [z] = await (
            await clients()
          ).zones.get({ project: p.gcp_project, zone: p.gcp_zone }, NO_LIBRARY_RETRY);
          if (z.status && z.status !== 'UP')
            return warn(
              `${p.gcp_zone} is ${z.status}`,
              'launches may fail until Google brings the zone back up; consider another zone',
            );
          return ok(`${p.gcp_zone} is UP`);
        } catch (err) {
          return failed(
            err,
            'zones.get',
            `check gcp_zone: "gcloud compute zones list --filter=region:${p.gcp_region}" lists the zones of ${p.gcp_region}`,
            p.gcp_zone,
          );
        }
      },
    },
    {
      id: 'image',
      title: 'image exists',
      needs: ['credentials'],
      async run() {
        const c = await clients();
        const family =
          image.rest[0] === 'global' && image.rest[1] === 'images' && image.rest[2] === 'family'
            ? image.rest[3]
            : undefined;
        const name =
          image.rest[0] === 'global' && image.rest[1] === 'images' && !family ? image.rest[2] : undefined;
        try {
          const [img] = family
            ? await c.images.getFromFamily({ project: image.project, family }, NO_LIBRARY_RETRY)
            : await c.images.get(
                { project: image.project, image: name ?? image.rest[image.rest.length - 1] },
                NO_LIBRARY_RETRY,
              );
          const what = family ? `family ${family} → ${img.name}` : img.name;
          if (img.status && img.status !== 'READY')
            return fail(`image ${what} is ${img.status}`, 'use a READY image');
          if (img.deprecated?.state === 'DEPRECATED' || img.deprecated?.state === 'OBSOLETE')
            return warn(
              `image ${what} is ${img.deprecated.state}`,
              'use a current image, or its family (projects/<p>/global/images/family/<family>) to follow updates',
            );
          return ok(`${what} (${image.project})`);
        } catch (err) {
          return failed(
            err,
            family ? 'images.getFromFamily' : 'images.get',
            `check gcp_image (${p.gcp_image}): "gcloud compute images list --project ${image.project}" lists them; an image family is written projects/<p>/global/images/family/<family>`,
          );
        }
      },
    },
    {
      id: 'network',
      title: 'network exists',
      needs: ['project'],
      async run() {
        try {
          const [n] = await (
            await clients()
          ).networks.get({ project: network.project, network: network.rest[2] }, NO_LIBRARY_RETRY);
          return ok(`${n.name ?? network.rest[2]} (${network.project})`);
        } catch (err) {
          return failed(
            err,
            'networks.get',
            `check gcp_network (${p.gcp_network}): "gcloud compute networks list --project ${network.project}"`,
          );
        }
      },
    },
    {
      id: 'subnetwork',
      title: 'subnetwork exists',
      needs: ['project'],
      async run() {
        const [, region, , name] = subnet.rest;
        try {
          const [s] = await (
            await clients()
          ).subnetworks.get({ project: subnet.project, region, subnetwork: name }, NO_LIBRARY_RETRY);
          const its = s.network ? parseGcpRef(s.network, subnet.project) : undefined;
          if (its && (its.project !== network.project || its.rest[2] !== network.rest[2]))
            return fail(
              `subnetwork ${name} belongs to network ${its.project}/${its.rest[2]}, not ${network.project}/${network.rest[2]}`,
              "set gcp_network to the subnetwork's network, or pick a subnetwork of gcp_network",
            );
          return ok(`${name} in ${region}${s.ipCidrRange ? ` (${s.ipCidrRange})` : ''}`);
        } catch (err) {
          return failed(
            err,
            'subnetworks.get',
            `check gcp_subnetwork (${p.gcp_subnetwork}): "gcloud compute networks subnets list --regions ${region} --project ${subnet.project}"`,
          );
        }
      },
    },
    {
      id: 'machine-type',
      title: `machine type ${p.gcp_machine_type}`,
      needs: ['zone'],
      async run() {
        try {
          const [m] = await (
            await clients()
          ).machineTypes.get(
            { project: p.gcp_project, zone: p.gcp_zone, machineType: p.gcp_machine_type },
            NO_LIBRARY_RETRY,
          );
          return ok(
            `offered in ${p.gcp_zone} (${m.guestCpus ?? '?'} vCPU, ${m.memoryMb ? `${Math.round(m.memoryMb / 1024)} GB` : '? GB'})`,
          );
        } catch (err) {
          return failed(
            err,
            'machineTypes.get',
            `${p.gcp_machine_type} is not offered in ${p.gcp_zone}: "gcloud compute machine-types list --filter=zone:${p.gcp_zone}" lists what is; pick one, or another zone`,
            p.gcp_zone,
          );
        }
      },
    },
    ...p.gcp_guest_accelerators.map((a, i): Check => {
      const ref = parseGcpRef(a.acceleratorType, p.gcp_project);
      const zone = ref.rest[0] === 'zones' ? ref.rest[1] : p.gcp_zone;
      const name = ref.rest[ref.rest.length - 1];
      return {
        id: `accelerator:${i}:${name}`,
        title: `accelerator type ${name}`,
        needs: ['zone'],
        async run() {
          try {
            const [t] = await (
              await clients()
            ).acceleratorTypes.get({ project: ref.project, zone, acceleratorType: name }, NO_LIBRARY_RETRY);
            const max = t.maximumCardsPerInstance ?? undefined;
            if (max !== undefined && a.acceleratorCount > max)
              return fail(
                `${name} takes at most ${max} per instance; acceleratorCount is ${a.acceleratorCount}`,
                `set acceleratorCount to at most ${max}`,
              );
            return ok(`offered in ${zone}${t.description ? ` (${t.description})` : ''}`);
          } catch (err) {
            return failed(
              err,
              'acceleratorTypes.get',
              `${name} is not offered in ${zone}: "gcloud compute accelerator-types list --filter=zone:${zone}" lists what is; pick one, or a zone that has it`,
              zone,
            );
          }
        },
      };
    }),
  ];
  return {
    name: p.vm_provider_config_name,
    kind: 'gcp',
    checks,
    prepare: async () => {
      await clients().catch(() => {});
    },
    close: async () => made?.close(),
  };
}
