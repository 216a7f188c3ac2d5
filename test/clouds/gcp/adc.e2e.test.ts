/**
 * `gcp_auth: adc` on the built CLI: google-auth-library finds its credentials the way it
 * does on GKE/GCE (the metadata server, reached through GCE_METADATA_HOST) and on a CI
 * runner (an external_account file: an OIDC token exchanged at STS, then a service
 * account impersonated); the emulated Compute API accepts only the tokens those services
 * issued. No key file anywhere, and no token ever printed.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGcpIdentityEmulator,
  type GcpIdentityEmulator,
} from '../../../src/emulators/gcp-identity/index.js';
import { GCP_PROJECT } from '../../../src/simulate/builtin.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { scenario, type Scenario } from '../../scaling/scenarios/harness.js';

const RUNNER = `kasm-runner@${GCP_PROJECT}.iam.gserviceaccount.com`;
const CI_ACCOUNT = `kasm-ci@${GCP_PROJECT}.iam.gserviceaccount.com`;
const AUDIENCE =
  '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/ci/providers/github';
const ISSUER = 'https://token.actions.githubusercontent.com';

describe('gcp_auth: adc (built CLI, no key file)', () => {
  let s: Scenario;
  let id: GcpIdentityEmulator;
  let oidc: string;
  const runs: CliRun[] = [];
  const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });

  /** An OIDC token as GitHub Actions hands one out (RS256, iss/aud/sub/exp). */
  const oidcToken = (claims: Record<string, unknown> = {}): string => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'gh' })}.${b64({
      iss: ISSUER,
      aud: `https:${AUDIENCE}`,
      sub: 'repo:example/kasm:ref:refs/heads/main',
      iat: now,
      exp: now + 300,
      ...claims,
    })}`;
    return `${body}.${sign('RSA-SHA256', Buffer.from(body), issuer.privateKey).toString('base64url')}`;
  };

  beforeAll(async () => {
    s = await scenario({ pools: [{ name: 'gcp pool', provider: 'gcp', standby_cores: 8 }], gcp: {} });
    id = await startGcpIdentityEmulator({
      tokens: s.gcp!.accessTokens,
      project: GCP_PROJECT,
      defaultAccount: { email: RUNNER },
      pools: [
        {
          audience: AUDIENCE,
          issuer: ISSUER,
          publicKeyPem: issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          serviceAccounts: [{ email: CI_ACCOUNT }],
        },
      ],
    });
    await s.editConfig((doc) => {
      const gcp = doc.providers.find((p: { vm_provider_name: string }) => p.vm_provider_name === 'gcp');
      delete gcp.gcp_credentials;
      gcp.gcp_auth = 'adc';
    });
    oidc = oidcToken();
    writeFileSync(join(s.dir, 'github-oidc.jwt'), oidc);
    writeFileSync(
      join(s.dir, 'wif.json'),
      JSON.stringify({
        type: 'external_account',
        audience: AUDIENCE,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: id.tokenUrl,
        service_account_impersonation_url: id.impersonationUrl(CI_ACCOUNT),
        credential_source: { file: join(s.dir, 'github-oidc.jwt') },
      }),
    );
  });

  afterAll(async () => {
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(all).not.toMatch(/ya29\./);
    expect(all).not.toContain(oidc.split('.')[1]);
    await id?.close();
    await s?.close();
  });

  /** The machine's environment: no gcloud login (HOME is empty), nothing inherited. */
  const env = (over: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    HOME: s.dir,
    GOOGLE_APPLICATION_CREDENTIALS: undefined,
    GCE_METADATA_HOST: undefined,
    GCE_METADATA_IP: undefined,
    METADATA_SERVER_DETECTION: undefined,
    NO_COLOR: '1',
    ...over,
  });
  const pass = async (e: NodeJS.ProcessEnv) => {
    const r = await s.pass([], env(e));
    runs.push(r);
    return r;
  };
  const doctor = async (e: NodeJS.ProcessEnv) => {
    const r = await runCli(['doctor', s.config, '--provider', 'gcp-main', '--json'], { env: env(e) });
    runs.push(r);
    return { ...r, doc: JSON.parse(r.stdout) };
  };
  const credentialsCheck = (doc: any) =>
    doc.groups
      .find((g: { name: string }) => g.name === 'gcp-main')
      .checks.find((c: { id: string }) => c.id === 'credentials');

  it('GKE/GCE: the metadata server token runs a pass, and doctor names the account and its scopes', async () => {
    const r = await pass({ GCE_METADATA_HOST: id.metadataHost });
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.pools[0].actions.map((a: any) => [a.kind, a.status])).toEqual([['launch', 'done']]);
    expect(s.gcp!.instances()).toHaveLength(1);
    expect(id.requests.map((q) => q.path)).toContain(
      '/computeMetadata/v1/instance/service-accounts/default/token',
    );

    const d = await doctor({ GCE_METADATA_HOST: id.metadataHost });
    expect(credentialsCheck(d.doc)).toMatchObject({ status: 'ok' });
    expect(credentialsCheck(d.doc).detail).toBe(
      `token of ${RUNNER} (Application Default Credentials from metadata server ${id.metadataHost}) accepted; token scopes: https://www.googleapis.com/auth/cloud-platform`,
    );
  });

  it('workload identity federation: an external_account file (OIDC → STS → impersonation) runs a pass', async () => {
    const before = id.requests.length;
    const gac = join(s.dir, 'wif.json');
    const r = await pass({ GOOGLE_APPLICATION_CREDENTIALS: gac });
    expect(r.code, r.stderr).toBe(0);
    const paths = id.requests.slice(before).map((q) => q.path);
    expect(paths).toContain('/v1/token');
    expect(paths).toContain(`/v1/projects/-/serviceAccounts/${CI_ACCOUNT}:generateAccessToken`);
    expect(paths.filter((p) => p.startsWith('/computeMetadata'))).toEqual([]);

    const d = await doctor({ GOOGLE_APPLICATION_CREDENTIALS: gac });
    expect(credentialsCheck(d.doc)).toMatchObject({ status: 'ok' });
    expect(credentialsCheck(d.doc).detail).toBe(
      `token of ${CI_ACCOUNT} (Application Default Credentials from workload identity federation (${gac})) accepted`,
    );
  });

  it('an OIDC token from another issuer is refused at STS: exit 1, one line, no token printed', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b64({ alg: 'RS256' })}.${b64({ iss: ISSUER, aud: `https:${AUDIENCE}`, sub: 'x', exp: 2e9 })}`;
    writeFileSync(
      join(s.dir, 'forged.jwt'),
      `${body}.${sign('RSA-SHA256', Buffer.from(body), other.privateKey).toString('base64url')}`,
    );
    writeFileSync(
      join(s.dir, 'forged.json'),
      JSON.stringify({
        type: 'external_account',
        audience: AUDIENCE,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: id.tokenUrl,
        credential_source: { file: join(s.dir, 'forged.jwt') },
      }),
    );
    const r = await pass({ GOOGLE_APPLICATION_CREDENTIALS: join(s.dir, 'forged.json') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gcp_auth: adc: getting an access token failed.*Invalid JWT signature/);
    expect(r.stderr).not.toContain(body);
  });

  it('config submit refuses an adc entry in one line, exit 2, before calling Kasm: Kasm needs a key to launch', async () => {
    const r = await runCli(['config', 'submit', s.config, '--provider', 'gcp-main'], { env: env({}) });
    runs.push(r);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /provider gcp-main uses gcp_auth: adc, so it holds no key for Kasm.*gcp_credentials/,
    );
  });

  it('no metadata server and no GOOGLE_APPLICATION_CREDENTIALS: exit 1, one line with the fix', async () => {
    const r = await pass({ GCE_METADATA_HOST: '127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no Application Default Credentials found: .*no metadata server answered at 127\.0\.0\.1:9; .*GOOGLE_APPLICATION_CREDENTIALS/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
