/**
 * Where the GCP emulator must answer as Compute Engine does, checked with clients we did not
 * write: @google-cloud/compute on the wire, and gcloud itself when it is installed (its
 * self-signed JWT in scope form, its --filter rewritten to `eq` regexes).
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImageFamilyViewsClient, ZoneOperationsClient } from '@google-cloud/compute';
import { afterEach, describe, expect, it } from 'vitest';
import { gcpClientOptions } from '../../../src/clouds/gcp/client.js';
import { startGcpEmulator, type GcpEmulator } from '../../../src/emulators/gcp/index.js';
import { PROJECT, ZONE, provider, serviceAccountKey } from '../../clouds/gcp/fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const key = serviceAccountKey();
const SCOPE = (s: string) => `https://www.googleapis.com/auth/${s}`;

/** A JWT as google-auth signs it: `aud` form by default; pass `{ aud: undefined, scope }` for the scope form. */
function jwt(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const h = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })).toString(
    'base64url',
  );
  const c = Buffer.from(
    JSON.stringify({
      iss: key.client_email,
      sub: key.client_email,
      aud: 'https://compute.googleapis.com/',
      iat: now,
      exp: now + 3600,
      ...claims,
    }),
  ).toString('base64url');
  return `${h}.${c}.${sign('RSA-SHA256', Buffer.from(`${h}.${c}`), createPrivateKey(key.private_key)).toString('base64url')}`;
}

async function start(opts: Parameters<typeof startGcpEmulator>[0] = {}) {
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  const emu: GcpEmulator = await startGcpEmulator({
    now: () => clock,
    provisioningDelayMs: 60_000,
    deleteDelayMs: 20_000,
    ...opts,
  });
  closers.push(() => emu.close());
  emu.registerServiceAccount(key);
  const api = async (method: string, path: string, body?: unknown, token = jwt()) => {
    const res = await fetch(`${emu.url}/compute/v1/projects/${PROJECT}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  return { emu, api, tick: (ms: number) => void (clock += ms) };
}

const instance = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  machineType: `zones/${ZONE}/machineTypes/e2-standard-4`,
  disks: [
    {
      boot: true,
      autoDelete: true,
      initializeParams: { sourceImage: 'projects/debian-cloud/global/images/family/debian-12' },
    },
  ],
  networkInterfaces: [{ network: 'global/networks/default' }],
  ...extra,
});
const names = (r: { json: { items?: Array<{ name: string }> } }) => (r.json.items ?? []).map((i) => i.name);

describe('GCP emulator: self-signed JWT in scope form', () => {
  it('takes a `scope` claim without `aud` as Google does; a read-only scope reads only; other scopes are 403', async () => {
    const { api } = await start();
    const scoped = (scope: string) => jwt({ aud: undefined, scope });
    expect(
      (await api('GET', `zones/${ZONE}/instances`, undefined, scoped(SCOPE('cloud-platform')))).status,
    ).toBe(200);
    expect(
      (
        await api(
          'POST',
          `zones/${ZONE}/instances`,
          instance('vm-1'),
          scoped(`${SCOPE('userinfo.email')} ${SCOPE('compute')}`),
        )
      ).status,
    ).toBe(200);
    expect(
      (await api('GET', `zones/${ZONE}/instances`, undefined, scoped(SCOPE('compute.readonly')))).status,
    ).toBe(200);
    const write = await api(
      'POST',
      `zones/${ZONE}/instances`,
      instance('vm-2'),
      scoped(SCOPE('compute.readonly')),
    );
    expect(write.status).toBe(403);
    expect(write.json.error.message).toBe('Request had insufficient authentication scopes.');
    expect(
      (await api('GET', `zones/${ZONE}/instances`, undefined, scoped(SCOPE('devstorage.read_only')))).status,
    ).toBe(403);
    // Neither form: still 401.
    expect((await api('GET', `zones/${ZONE}/instances`, undefined, jwt({ aud: undefined }))).status).toBe(
      401,
    );
  });
});

describe('GCP emulator: list filters as gcloud sends them', () => {
  it('keeps the backslashes of an eq/ne regex (gcloud rewrites name=kasm-1 to name eq ".*\\bkasm\\-1\\b.*")', async () => {
    const { emu, api } = await start();
    emu.seedInstances(
      ['kasm-1', 'kasm-10', 'xkasm-1y', 'other'].map((name) => ({ project: PROJECT, name, zone: ZONE })),
    );
    // The operand exactly as gcloud's compute filter_rewrite builds it for --filter="name=kasm-1".
    const gcloudFilter = String.raw`name eq ".*\bkasm\-1\b.*"`;
    expect(
      names(await api('GET', `zones/${ZONE}/instances?filter=${encodeURIComponent(gcloudFilter)}`)),
    ).toEqual(['kasm-1']);
    expect(
      names(
        await api(
          'GET',
          `zones/${ZONE}/instances?filter=${encodeURIComponent(String.raw`(name ne ".*\bkasm\-1\b.*")`)}`,
        ),
      ).sort(),
    ).toEqual(['kasm-10', 'other', 'xkasm-1y']);
    expect(
      names(
        await api(
          'GET',
          `zones/${ZONE}/instances?filter=${encodeURIComponent(String.raw`name eq "kasm\-1\d"`)}`,
        ),
      ),
    ).toEqual(['kasm-10']);
    const bad = await api('GET', `zones/${ZONE}/instances?filter=${encodeURIComponent('name eq "kasm-(("')}`);
    expect(bad.status).toBe(400);
  });

  it('supports <, >, <= and >= (timestamps as text, numbers by value)', async () => {
    const { emu, api } = await start();
    emu.seedInstances([
      { project: PROJECT, name: 'old', zone: ZONE, creationTimestamp: '2025-01-01T00:00:00.000Z' },
      { project: PROJECT, name: 'mid', zone: ZONE, creationTimestamp: '2025-01-03T00:00:00.000Z' },
      { project: PROJECT, name: 'new', zone: ZONE, creationTimestamp: '2025-01-05T00:00:00.000Z' },
    ]);
    const q = async (f: string) =>
      names(await api('GET', `zones/${ZONE}/instances?filter=${encodeURIComponent(f)}`)).sort();
    expect(await q('creationTimestamp > "2025-01-03T00:00:00.000Z"')).toEqual(['new']);
    expect(await q('creationTimestamp >= "2025-01-03T00:00:00.000Z"')).toEqual(['mid', 'new']);
    expect(await q('creationTimestamp < "2025-01-03T00:00:00.000Z"')).toEqual(['old']);
    expect(await q('(creationTimestamp <= "2025-01-03T00:00:00.000Z") AND (name != old)')).toEqual(['mid']);
    const ids = (await api('GET', `zones/${ZONE}/instances`)).json.items
      .map((i: { id: string }) => BigInt(i.id))
      .sort((a: bigint, b: bigint) => (a < b ? -1 : 1));
    // id is a uint64 in a string: compared as a number, not as text.
    expect((await q(`id >= ${ids[1]}`)).length).toBe(2);
  });
});

describe("GCP emulator: zoneOperations.wait blocks as Google's does", () => {
  it('returns when the operation is DONE, on the emulator clock', async () => {
    const { emu, api, tick } = await start({ operationDelayMs: 3000 });
    const op = (await api('POST', `zones/${ZONE}/instances`, instance('vm-1'))).json;
    let settled = false;
    emu.events.once('wait', () => {
      // Blocked: nothing answered yet. Move the emulator clock past the operation's end.
      expect(settled).toBe(false);
      tick(3000);
    });
    const waited = api('POST', `zones/${ZONE}/operations/${op.name}/wait`).then((r) => ((settled = true), r));
    expect((await waited).json).toMatchObject({ status: 'DONE', progress: 100 });
  });

  it('gives up after about two minutes of the emulator clock, answering the unfinished operation', async () => {
    const { emu, api, tick } = await start({ faults: [{ kind: 'stuckOperation', count: 1 }] });
    const op = (await api('POST', `zones/${ZONE}/instances`, instance('vm-1'))).json;
    const deadlines: number[] = [];
    emu.events.on('wait', (w: { deadline: number }) => {
      deadlines.push(w.deadline);
      tick(119_000);
      setTimeout(() => tick(1_000), 20);
    });
    expect((await api('POST', `zones/${ZONE}/operations/${op.name}/wait`)).json.status).toBe('RUNNING');
    expect(deadlines).toEqual([Date.UTC(2025, 0, 6, 9, 0, 0) + 120_000]);
  });
});

describe('GCP emulator: what Google fills in', () => {
  it('serviceAccounts[].email "default" is the project\'s default compute account (PROJECT_NUMBER-compute@...)', async () => {
    const { api } = await start();
    await api(
      'POST',
      `zones/${ZONE}/instances`,
      instance('vm-1', { serviceAccounts: [{ email: 'default', scopes: [SCOPE('cloud-platform')] }] }),
    );
    const project = (await api('GET', '')).json;
    expect(project.id).toMatch(/^\d{12}$/);
    expect(project.defaultServiceAccount).toBe(`${project.id}-compute@developer.gserviceaccount.com`);
    const got = (await api('GET', `zones/${ZONE}/instances/vm-1`)).json;
    expect(got.serviceAccounts).toEqual([
      { email: project.defaultServiceAccount, scopes: [SCOPE('cloud-platform')] },
    ]);
  });

  it("zoneOperations.list and imageFamilyViews.get answer the SDK's own clients", async () => {
    const { emu, api } = await start();
    await api('POST', `zones/${ZONE}/instances`, instance('vm-1'));
    await api('POST', `zones/${ZONE}/instances`, instance('vm-2'));
    await api('DELETE', `zones/${ZONE}/instances/vm-1`);
    const o = gcpClientOptions(provider(key, emu.url));
    const ops = new ZoneOperationsClient(o);
    const views = new ImageFamilyViewsClient(o);
    closers.push(
      () => ops.close(),
      () => views.close(),
    );
    const [all] = await ops.list({ project: PROJECT, zone: ZONE });
    expect(all.map((x) => x.operationType).sort()).toEqual(['delete', 'insert', 'insert']);
    const [inserts] = await ops.list({
      project: PROJECT,
      zone: ZONE,
      filter: 'operationType = insert',
      maxResults: 1,
    });
    expect(inserts.map((x) => x.targetLink?.split('/').pop()).sort()).toEqual(['vm-1', 'vm-2']);
    const [view] = await views.get({ project: 'debian-cloud', zone: ZONE, family: 'debian-12' });
    expect(view.image).toMatchObject({ family: 'debian-12', status: 'READY' });
    await expect(
      views.get({ project: 'debian-cloud', zone: ZONE, family: 'no-such-family' }),
    ).rejects.toMatchObject({ code: 404 });
  });
});

const run = promisify(execFile);
const gcloud = await run('gcloud', ['--version'], { timeout: 30_000 }).then(
  () => true,
  () => false,
);

describe.skipIf(!gcloud)(
  'GCP emulator against gcloud (an independent client; skipped where gcloud is not installed)',
  () => {
    it('gcloud compute instances list authenticates with its scope-form JWT and its rewritten --filter selects server-side', async () => {
      const { emu } = await start();
      emu.seedInstances(
        ['kasm-1', 'kasm-10', 'other'].map((name) => ({ project: PROJECT, name, zone: ZONE })),
      );
      const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-gcloud-'));
      writeFileSync(join(dir, 'key.json'), JSON.stringify(key), { mode: 0o600 });
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        CLOUDSDK_CONFIG: join(dir, 'config'),
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: join(dir, 'key.json'),
        CLOUDSDK_AUTH_SERVICE_ACCOUNT_USE_SELF_SIGNED_JWT: 'true',
        CLOUDSDK_AUTH_TOKEN_HOST: `${emu.url}/token`,
        CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${emu.url}/compute/v1/`,
        CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
      };
      const out = await run(
        'gcloud',
        [
          'compute',
          'instances',
          'list',
          `--project=${PROJECT}`,
          `--zones=${ZONE}`,
          '--filter=name=kasm-1',
          '--format=value(name)',
        ],
        { env, timeout: 60_000 },
      );
      expect(out.stdout.trim()).toBe('kasm-1');
      const sent = emu.lastRequest('instances.list')!;
      // gcloud filters again on its side: the emulator must have done the same work already.
      expect(sent.query.filter).toMatch(/^name eq ".*\\bkasm\\-1\\b\.\*"$/);
      const server = emu
        .instances()
        .filter((i) => new RegExp(`^(?:${sent.query.filter.slice(9, -1)})$`).test(String(i.name)));
      expect(server.map((i) => i.name)).toEqual(['kasm-1']);
    }, 90_000);
  },
);
