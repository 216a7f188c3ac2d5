/**
 * The emulated metadata server, STS and IAM Credentials (src/emulators/gcp-identity/) and
 * the Compute emulator's side of it: only tokens they issued, unexpired, are accepted.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from '../../../src/emulators/gcp/index.js';
import {
  startGcpIdentityEmulator,
  type GcpIdentityEmulator,
} from '../../../src/emulators/gcp-identity/index.js';

const AUDIENCE = '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/x';
const ISSUER = 'https://issuer.example';

describe('emulated Google identity services', () => {
  let gcp: GcpEmulator;
  let id: GcpIdentityEmulator;
  let clock = Date.now();
  const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwt = (claims: Record<string, unknown>) => {
    const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b({ alg: 'RS256' })}.${b(claims)}`;
    return `${body}.${sign('RSA-SHA256', Buffer.from(body), issuer.privateKey).toString('base64url')}`;
  };
  const md = (path: string, headers: Record<string, string> = { 'Metadata-Flavor': 'Google' }) =>
    fetch(`http://${id.metadataHost}/computeMetadata/v1/${path}`, { headers });
  const projectsGet = (token: string) =>
    fetch(`${gcp.url}/compute/v1/projects/kasm-demo`, { headers: { authorization: `Bearer ${token}` } });
  const sts = (form: Record<string, string>) =>
    fetch(id.tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
  const exchange = (subject: string, audience = AUDIENCE) =>
    sts({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      subject_token: subject,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });

  beforeAll(async () => {
    gcp = await startGcpEmulator({ autoTick: false, authNow: () => clock });
    id = await startGcpIdentityEmulator({
      tokens: gcp.accessTokens,
      project: 'kasm-demo',
      defaultAccount: { email: 'runner@kasm-demo.iam.gserviceaccount.com' },
      now: () => clock,
      pools: [
        {
          audience: AUDIENCE,
          issuer: ISSUER,
          publicKeyPem: issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          serviceAccounts: [{ email: 'ci@kasm-demo.iam.gserviceaccount.com' }],
        },
      ],
    });
  });
  afterAll(async () => {
    await id?.close();
    await gcp?.close();
  });

  it('metadata server: 403 without Metadata-Flavor: Google; answers carry the header', async () => {
    const no = await md('instance/service-accounts/default/email', {});
    expect(no.status).toBe(403);
    const yes = await md('instance/service-accounts/default/email');
    expect(yes.headers.get('metadata-flavor')).toBe('Google');
    expect(await yes.text()).toBe('runner@kasm-demo.iam.gserviceaccount.com');
    expect(await (await md('project/project-id')).text()).toBe('kasm-demo');
  });

  it('Compute accepts a metadata token until it expires, and never a made-up one', async () => {
    const { access_token: token, expires_in } = (await (
      await md('instance/service-accounts/default/token')
    ).json()) as { access_token: string; expires_in: number };
    expect((await projectsGet(token)).status).toBe(200);
    expect((await projectsGet('ya29.emulated-made-up')).status).toBe(401);
    clock += expires_in * 1000;
    expect((await projectsGet(token)).status).toBe(401);
    clock = Date.now();
  });

  it('STS: exchanges a valid OIDC token; refuses a wrong audience, issuer or signature', async () => {
    const exp = Math.floor(clock / 1000) + 300;
    const good = { iss: ISSUER, aud: `https:${AUDIENCE}`, sub: 'repo:a/b', exp };
    const ok = await exchange(jwt(good));
    expect(ok.status).toBe(200);
    const fed = ((await ok.json()) as { access_token: string }).access_token;
    // A federated principal may use no project directly unless the pool says so.
    expect((await projectsGet(fed)).status).toBe(403);

    expect((await exchange(jwt(good), AUDIENCE.replace('/x', '/y'))).status).toBe(400);
    expect((await (await exchange(jwt({ ...good, iss: 'https://evil' }))).json()) as object).toMatchObject({
      error: 'invalid_grant',
    });
    const forged = jwt(good).replace(/\.[^.]+$/, '.AAAA');
    expect((await exchange(forged)).status).toBe(400);
    expect((await exchange(jwt({ ...good, exp: exp - 10_000 }))).status).toBe(400);

    // Impersonation: allowed account → a token Compute accepts; another account → 403.
    const imp = await fetch(id.impersonationUrl('ci@kasm-demo.iam.gserviceaccount.com'), {
      method: 'POST',
      headers: { authorization: `Bearer ${fed}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: ['https://www.googleapis.com/auth/cloud-platform'], lifetime: '3600s' }),
    });
    expect(imp.status).toBe(200);
    const sa = ((await imp.json()) as { accessToken: string }).accessToken;
    expect((await projectsGet(sa)).status).toBe(200);
    const other = await fetch(id.impersonationUrl('admin@kasm-demo.iam.gserviceaccount.com'), {
      method: 'POST',
      headers: { authorization: `Bearer ${fed}` },
      body: '{}',
    });
    expect(other.status).toBe(403);
  });
});
