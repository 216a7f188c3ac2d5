import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyOciSignature, type VerifyResult } from '../../src/emulators/oci/signature.js';
import { generateKeyFiles, type GeneratedKeyFiles } from '../../src/clouds/oci/key-generate.js';
import { writeOciConfigProfile } from '../../src/clouds/oci/config-profile.js';
import { tempDir } from '../helpers/cli.js';

const USER = 'ocid1.user.oc1..aaaaaaaauser4kasmscaletest0000000000000000000000000000000';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy4kasmscaletest00000000000000000000000000';
const COMPARTMENT = TENANCY;

/** A stand-in for OCI's front door: checks every request's signature against registered keys. */
interface SigningServer {
  url: string;
  keys: Map<string, string>;
  seen: Array<{ method: string; path: string; result: VerifyResult }>;
  close(): Promise<void>;
}

async function startSigningServer(): Promise<SigningServer> {
  const keys = new Map<string, string>();
  const seen: SigningServer['seen'] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const result = verifyOciSignature(
      { method: req.method!, path: req.url!, headers: req.headers, body },
      (id) => keys.get(id),
    );
    seen.push({ method: req.method!, path: req.url!, result });
    res.setHeader('content-type', 'application/json');
    res.setHeader('opc-request-id', 'test');
    if (!result.ok) {
      res.statusCode = 401;
      return res.end(JSON.stringify({ code: 'NotAuthenticated', message: result.reason }));
    }
    if (req.method === 'GET') return res.end('[]');
    if (req.method === 'POST') {
      const details = JSON.parse(body.toString());
      return res.end(
        JSON.stringify({
          id: 'ocid1.instance.oc1.iad.test',
          displayName: details.displayName,
          lifecycleState: 'PROVISIONING',
        }),
      );
    }
    res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let dir: string;
let cleanup: () => Promise<void>;
let srv: SigningServer;
let plainKey: GeneratedKeyFiles;
let encKey: GeneratedKeyFiles;
let otherKey: GeneratedKeyFiles;
const configFile = () => join(dir, 'oci', 'config');

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-ocicfg-'));
  srv = await startSigningServer();
  plainKey = await generateKeyFiles({ dir: join(dir, 'keys'), name: 'plain' });
  encKey = await generateKeyFiles({
    dir: join(dir, 'keys'),
    name: 'enc',
    passphrase: Buffer.from('s3cret pass'),
  });
  otherKey = await generateKeyFiles({ dir: join(dir, 'keys'), name: 'other' });
});
afterAll(async () => {
  await srv?.close();
  await cleanup?.();
});

/** A real oci-core client, authenticated from the config file we wrote, aimed at our server. */
async function computeClientFor(profile: string) {
  const common = await import('oci-common');
  const core = await import('oci-core');
  const provider = new common.ConfigFileAuthenticationDetailsProvider(configFile(), profile);
  const client = new core.ComputeClient(
    { authenticationDetailsProvider: provider },
    { retryConfiguration: common.NoRetryConfigurationDetails },
  );
  client.endpoint = srv.url; // last: setting the region afterwards would overwrite it
  return { client, provider, core };
}

describe('keys oci-config', () => {
  it('writes a profile next to existing ones, 0600, with the fingerprint computed from the key', async () => {
    const existing = '# managed by hand\n[OTHER]\nuser=ocid1.user.oc1..aaaa\nregion=us-phoenix-1\n';
    await writeOciConfigProfile({
      user: USER,
      tenancy: TENANCY,
      region: 'us-ashburn-1',
      keyFile: join(dir, 'keys', 'ignored-first.pem'),
      config: configFile(),
    }).catch((e) => {
      expect(e.exitCode).toBe(2); // missing key file: nothing written
    });
    expect(() => statSync(configFile())).toThrow();

    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'oci'), { mode: 0o700 });
    writeFileSync(configFile(), existing, { mode: 0o644 });
    const r = await writeOciConfigProfile({
      user: USER,
      tenancy: TENANCY,
      region: 'us-ashburn-1',
      keyFile: plainKey.private_key_file,
      config: configFile(),
    });
    expect(r).toMatchObject({
      action: 'added',
      profile: 'DEFAULT',
      fingerprint: plainKey.fingerprint,
      key_file: plainKey.private_key_file,
      passphrase_needed: false,
    });
    const text = readFileSync(configFile(), 'utf8');
    expect(text.startsWith(existing)).toBe(true);
    expect(text).toContain(
      `[DEFAULT]\nuser=${USER}\nfingerprint=${plainKey.fingerprint}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=${plainKey.private_key_file}\n`,
    );
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
  });

  it('needs --force to replace a profile, and keeps the file untouched without it', async () => {
    const before = readFileSync(configFile(), 'utf8');
    await expect(
      writeOciConfigProfile({
        user: USER,
        tenancy: TENANCY,
        region: 'eu-frankfurt-1',
        keyFile: otherKey.private_key_file,
        config: configFile(),
      }),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('already exists') });
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  /** OCI refuses API keys under 2048 bits; such a key must not reach a profile. */
  const weakKeyFile = () => {
    const file = join(dir, 'keys', 'weak-1024.pem');
    writeFileSync(
      file,
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      { mode: 0o600 },
    );
    return file;
  };

  it('checks OCIDs, region and key before writing anything', async () => {
    const before = readFileSync(configFile(), 'utf8');
    const base = {
      user: USER,
      tenancy: TENANCY,
      region: 'us-ashburn-1',
      keyFile: plainKey.private_key_file,
      config: configFile(),
      profile: 'NEW',
    };
    for (const [override, msg] of [
      [{ user: TENANCY }, /--user: .*is a tenancy OCID/],
      [{ tenancy: 'ocid1.tenancy.oc1' }, /--tenancy: .*is not a tenancy OCID/],
      [{ region: 'Ashburn' }, /--region/],
      [{ keyFile: plainKey.public_key_file }, /is a public key/],
      [{ keyFile: encKey.private_key_file }, /encrypted and no passphrase/],
      [{ keyFile: encKey.private_key_file, passphrase: Buffer.from('wrong') }, /wrong passphrase/],
      [{ profile: 'bad]name' }, /--profile/],
      [{ keyFile: weakKeyFile() }, /is a 1024-bit RSA key; OCI requires at least 2048 bits/],
    ] as const) {
      await expect(writeOciConfigProfile({ ...base, ...override })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(msg),
      });
    }
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it("the OCI SDK's ConfigFileAuthenticationDetailsProvider reads the profile and signs requests that verify", async () => {
    srv.keys.set(`${TENANCY}/${USER}/${plainKey.fingerprint}`, plainKey.public_key_pem);
    const { client, provider } = await computeClientFor('DEFAULT');
    expect(provider.getFingerprint()).toBe(plainKey.fingerprint);
    expect(provider.getUser()).toBe(USER);
    expect(provider.getTenantId()).toBe(TENANCY);

    srv.seen.length = 0;
    const list = await client.listInstances({
      compartmentId: COMPARTMENT,
      lifecycleState: 'RUNNING' as never,
      limit: 10,
    });
    expect(list.items).toEqual([]);
    const launch = await client.launchInstance({
      launchInstanceDetails: {
        availabilityDomain: 'AD-1',
        compartmentId: COMPARTMENT,
        shape: 'VM.Standard.E4.Flex',
        displayName: 'kasm-agent-ü',
      },
    });
    expect(launch.instance.displayName).toBe('kasm-agent-ü');
    await client.terminateInstance({ instanceId: 'ocid1.instance.oc1.iad.test', preserveBootVolume: false });
    expect(srv.seen.map((s) => [s.method, s.result.ok])).toEqual([
      ['GET', true],
      ['POST', true],
      ['DELETE', true],
    ]);
    expect(srv.seen[0].path).toMatch(/^\/20160918\/instances\?.*compartmentId=/);
    expect(srv.seen[0].result).toEqual({ ok: true, keyId: `${TENANCY}/${USER}/${plainKey.fingerprint}` });
  });

  it('an encrypted key works through --save-passphrase (pass_phrase in the profile)', async () => {
    const r = await writeOciConfigProfile({
      user: USER,
      tenancy: TENANCY,
      region: 'eu-frankfurt-1',
      keyFile: encKey.private_key_file,
      config: configFile(),
      profile: 'ENC',
      passphrase: Buffer.from('s3cret pass'),
      savePassphrase: true,
    });
    expect(r.passphrase_needed).toBe(false);
    srv.keys.set(`${TENANCY}/${USER}/${encKey.fingerprint}`, encKey.public_key_pem);
    const { client } = await computeClientFor('ENC');
    srv.seen.length = 0;
    await client.listInstances({ compartmentId: COMPARTMENT });
    expect(srv.seen[0].result.ok).toBe(true);
  });

  it('replacing with --force switches the key; the old profile text is gone, others stay', async () => {
    const r = await writeOciConfigProfile({
      user: USER,
      tenancy: TENANCY,
      region: 'eu-frankfurt-1',
      keyFile: otherKey.private_key_file,
      config: configFile(),
      force: true,
    });
    expect(r.action).toBe('replaced');
    const text = readFileSync(configFile(), 'utf8');
    expect(text).toContain(`fingerprint=${otherKey.fingerprint}`);
    expect(text).not.toContain(`fingerprint=${plainKey.fingerprint}`);
    expect(text).toContain('# managed by hand\n[OTHER]');
    expect(text).toContain('[ENC]');
    expect(text.indexOf('[OTHER]')).toBeLessThan(text.indexOf('[DEFAULT]'));
    expect(text.indexOf('[DEFAULT]')).toBeLessThan(text.indexOf('[ENC]'));
  });

  it('keeps the other profiles byte for byte: CRLF line ends and bytes that are not UTF-8', async () => {
    const file = join(dir, 'crlf', 'config');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'crlf'), { mode: 0o700 });
    // A Windows-edited file with a Latin-1 comment (0xE9 is not valid UTF-8 on its own).
    const before = Buffer.concat([
      Buffer.from('[OTHER]\r\nuser=ocid1.user.oc1..aaaa\r\n# caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\n[DEFAULT]\r\nuser=old\r\n\r\n[LAST]\r\nregion=us-phoenix-1\r\n'),
    ]);
    writeFileSync(file, before, { mode: 0o600 });
    await writeOciConfigProfile({
      user: USER,
      tenancy: TENANCY,
      region: 'us-ashburn-1',
      keyFile: plainKey.private_key_file,
      config: file,
      force: true,
    });
    const after = readFileSync(file);
    const head = before.subarray(0, before.indexOf('[DEFAULT]'));
    const tail = before.subarray(before.indexOf('\r\n\r\n[LAST]') + 2); // the blank line and [LAST]
    expect(after.subarray(0, head.length).equals(head)).toBe(true);
    expect(after.subarray(after.length - tail.length).equals(tail)).toBe(true);
    expect(after.subarray(head.length, after.length - tail.length).toString('utf8')).toBe(
      `[DEFAULT]\r\nuser=${USER}\r\nfingerprint=${plainKey.fingerprint}\r\ntenancy=${TENANCY}\r\nregion=us-ashburn-1\r\nkey_file=${plainKey.private_key_file}\r\n`,
    );
  });

  it('a request signed with a different key under a registered keyId fails verification (401)', async () => {
    const common = await import('oci-common');
    const core = await import('oci-core');
    srv.keys.set(`${TENANCY}/${USER}/${plainKey.fingerprint}`, plainKey.public_key_pem);
    // The attacker knows the keyId (tenancy/user/fingerprint) but holds another private key.
    const forged = new common.SimpleAuthenticationDetailsProvider(
      TENANCY,
      USER,
      plainKey.fingerprint,
      readFileSync(otherKey.private_key_file, 'utf8'),
      null,
      common.Region.US_ASHBURN_1,
    );
    const client = new core.ComputeClient(
      { authenticationDetailsProvider: forged },
      { retryConfiguration: common.NoRetryConfigurationDetails },
    );
    client.endpoint = srv.url;
    srv.seen.length = 0;
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => {}); // the SDK's "Request cannot be retried"
    await expect(client.listInstances({ compartmentId: COMPARTMENT })).rejects.toMatchObject({
      statusCode: 401,
      serviceCode: 'NotAuthenticated',
    });
    quiet.mockRestore();
    expect(srv.seen[0].result).toEqual({
      ok: false,
      reason: 'signature does not verify with the registered public key',
    });
  });
});
