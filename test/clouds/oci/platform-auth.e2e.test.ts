/**
 * `oci_auth: security_token` and `resource_principal` on the built CLI: oci-common's own
 * providers (SessionAuthDetailProvider, ResourcePrincipalAuthenticationDetailsProvider)
 * sign with keyId `ST$<token>`; the emulator accepts a token only if it issued it, it has
 * not expired, and the request is signed by the session key the token carries. No API key
 * in the config; no token printed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { scenario, TENANCY, type Scenario } from '../../scaling/scenarios/harness.js';

describe('oci_auth without an API key (built CLI)', () => {
  let s: Scenario;
  const runs: CliRun[] = [];
  const tokens: string[] = [];
  const session = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sessionPem = session.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sessionPub = session.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const issue = (ptype: 'user' | 'resource', sub: string, ttlS?: number) => {
    const t = s.oci.issueSecurityToken({
      sub,
      tenancy: TENANCY,
      ptype,
      sessionPublicKeyPem: sessionPub,
      ttlS,
    });
    tokens.push(t);
    return t;
  };

  beforeAll(async () => {
    s = await scenario({ pools: [{ name: 'oci pool', standby_cores: 4 }] });
    writeFileSync(join(s.dir, 'session.pem'), sessionPem, { mode: 0o600 });
  });
  afterAll(async () => {
    const all = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const t of tokens) expect(all).not.toContain(t.split('.')[1]);
    expect(all).not.toContain(sessionPem.split('\n')[1]);
    await s?.close();
  });

  const useMode = (mode: string, extra: Record<string, unknown> = {}) =>
    s.editConfig((doc) => {
      const oci = doc.providers.find((p: { vm_provider_name: string }) => p.vm_provider_name === 'oci');
      for (const k of ['oci_user_ocid', 'oci_fingerprint', 'oci_private_key', 'oci_private_key_file'])
        delete oci[k];
      delete oci.oci_config_file;
      delete oci.oci_profile;
      Object.assign(oci, { oci_auth: mode, ...extra });
    });
  const pass = async (env: NodeJS.ProcessEnv = {}) => {
    const r = await s.pass([], { HOME: s.dir, NO_COLOR: '1', ...env });
    runs.push(r);
    return r;
  };
  const doctorCredentials = async (env: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(['doctor', s.config, '--provider', 'oci-main', '--json'], {
      env: { HOME: s.dir, ...env },
    });
    runs.push(r);
    const doc = JSON.parse(r.stdout);
    return doc.groups[0].checks.find((c: { id: string }) => c.id === 'credentials');
  };

  it('security_token: a profile from `oci session authenticate` runs a pass; doctor names the principal', async () => {
    writeFileSync(join(s.dir, 'token'), issue('user', 'ocid1.user.oc1..aaaasessionuser'));
    writeFileSync(
      join(s.dir, 'oci-config'),
      [
        '[kasm]',
        'fingerprint=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff',
        `key_file=${join(s.dir, 'session.pem')}`,
        `tenancy=${TENANCY}`,
        'region=us-ashburn-1',
        `security_token_file=${join(s.dir, 'token')}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    await useMode('security_token', { oci_config_file: join(s.dir, 'oci-config'), oci_profile: 'kasm' });
    const r = await pass();
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.pools[0].actions.map((a: any) => [a.kind, a.status])).toEqual([['launch', 'done']]);

    const c = await doctorCredentials();
    expect(c.status).toBe('ok');
    expect(c.detail).toMatch(
      /^signed request accepted \(security_token ocid1\.user\.oc1\.\.\S+ in tenancy \S+, token valid until 20\d\d-/,
    );
  });

  it('resource_principal: the OCI_RESOURCE_PRINCIPAL_* variables (v2.2) run a pass; an expired token is one line, exit 1', async () => {
    await useMode('resource_principal');
    const env = (rpst: string) => ({
      OCI_RESOURCE_PRINCIPAL_VERSION: '2.2',
      OCI_RESOURCE_PRINCIPAL_RPST: rpst,
      OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: join(s.dir, 'session.pem'),
      OCI_RESOURCE_PRINCIPAL_REGION: 'us-ashburn-1',
    });
    const before = s.oci.requests.length;
    const r = await pass(env(issue('resource', 'ocid1.computecontainerinstance.oc1.iad.aaaakasm')));
    expect(r.code, r.stderr).toBe(0);
    expect(s.oci.requests.length).toBeGreaterThan(before);

    const expired = await pass(
      env(issue('resource', 'ocid1.computecontainerinstance.oc1.iad.aaaakasm', -60)),
    );
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/NotAuthenticated|HTTP 401/);
    expect(expired.stderr).not.toMatch(/\n\s+at /);

    const missing = await pass({});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /oci_auth: resource_principal: no credentials \(OCI_RESOURCE_PRINCIPAL_VERSION environment variable is missing.*\); set OCI_RESOURCE_PRINCIPAL_VERSION=2\.2/,
    );
  });

  it('an unknown oci_auth mode is one line, exit 2', async () => {
    await useMode('password');
    const r = await pass();
    runs.push(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /oci_auth: expected an auth mode: api_key, instance_principal, resource_principal, security_token/,
    );
  });
});
