import { execSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startOciEmulator } from '../../src/emulators/oci/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import {
  gcpAnswers,
  KASM_SECRET,
  MANAGER_TOKEN,
  OCIDS,
  ociAnswers,
  writeAnswers,
  writeServiceAccount,
} from './fixtures.js';

/**
 * `init` without a person: no TTY and no answers is refused; `--answers FILE --yes` runs
 * the whole flow and leaves a config that `config validate` accepts.
 */
let dir: string;
let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-init-'));
  home = join(dir, 'home');
  mkdirSync(home);
});
afterEach(() => cleanup());

const env = () => ({
  HOME: home,
  XDG_CONFIG_HOME: '',
  KASM_SCALE_CONFIG: '',
  KASM_MANAGER_TOKEN: 'test-manager-token',
});
const mode = (p: string) => statSync(p).mode & 0o777;

async function validate(file: string) {
  return runCli(['config', 'validate', file], { env: env(), cwd: dir });
}

describe('kasm-scale init, unattended', () => {
  it('without a TTY and without --answers: exit 2 with one line, nothing written', async () => {
    const r = await runCli(['init'], { env: env(), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs a terminal.*--answers FILE --yes/);
    expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);
  });

  it('OCI: --answers + --yes writes a key pair, the OCI profile, the secret file and a config that validates', async () => {
    const answers = writeAnswers(dir, ociAnswers());
    const r = await runCli(['init', '--answers', answers, '--yes'], { env: env(), cwd: dir });
    expect(r.stderr).not.toContain(KASM_SECRET);
    expect(r.stdout).not.toContain(KASM_SECRET);
    expect(r.stderr).not.toMatch(/PRIVATE KEY/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Next: kasm-scale /m);

    const config = join(dir, 'kasm-scale.yaml');
    const key = join(home, '.oci', 'oci_api_key.pem');
    const secret = join(home, '.config', 'kasm-scale', 'kasm_api_key_secret');
    for (const f of [
      config,
      key,
      join(home, '.oci', 'oci_api_key_public.pem'),
      join(home, '.oci', 'config'),
      secret,
    ])
      expect(mode(f), f).toBe(0o600);
    expect(readFileSync(secret, 'utf8')).toBe(KASM_SECRET);

    const text = readFileSync(config, 'utf8');
    expect(text).not.toContain(KASM_SECRET);
    expect(text).not.toMatch(/PRIVATE KEY/);
    const doc = parse(text);
    expect(doc.kasm.api_key_secret_file).toBe('~/.config/kasm-scale/kasm_api_key_secret');
    expect(doc.providers[0].oci_private_key_file).toBe('~/.oci/oci_api_key.pem');
    expect(doc.providers[0].oci_availability_domains).toEqual([
      'BEol:US-ASHBURN-AD-1',
      'BEol:US-ASHBURN-AD-2',
    ]);
    expect(doc.autoscale[0]).toMatchObject({ vm_provider_config_name: 'oci-agents', standby_cores: 8 });

    const profile = readFileSync(join(home, '.oci', 'config'), 'utf8');
    expect(profile).toContain('[DEFAULT]');
    expect(profile).toContain(`fingerprint=${doc.providers[0].oci_fingerprint}`);

    const v = await validate(config);
    expect(v.code, v.stderr).toBe(0);
  });

  it('GCP: --answers (JSON) + --yes writes a config with labels, tags and accelerators that validates', async () => {
    const sa = writeServiceAccount(dir);
    const answers = writeAnswers(dir, gcpAnswers(sa), 'answers.json');
    // --gcp-endpoint: the same path as --oci-endpoint (kasm-scale emulator gcp).
    const r = await runCli(
      [
        'init',
        '--answers',
        answers,
        '--yes',
        '--config',
        'gcp.yaml',
        '--gcp-endpoint',
        'http://127.0.0.1:8124',
      ],
      { env: env(), cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toMatch(/PRIVATE KEY|DO-NOT-PRINT/);
    const doc = parse(readFileSync(join(dir, 'gcp.yaml'), 'utf8'));
    const p = doc.providers[0];
    expect(p.endpoint).toBe('http://127.0.0.1:8124');
    // The template's {manager_token} is filled from a 0600 file init wrote, never inline.
    const token = join(home, '.config', 'kasm-scale', 'kasm_manager_token');
    expect(doc.kasm.manager_token_file).toBe('~/.config/kasm-scale/kasm_manager_token');
    expect(readFileSync(token, 'utf8')).toBe(MANAGER_TOKEN);
    expect(mode(token)).toBe(0o600);
    expect(p.gcp_credentials_file).toBe(sa);
    expect(p.gcp_project).toBe('kasm-test-project'); // default taken from the key file
    expect(p.gcp_subnetwork).toBe('projects/kasm-test-project/regions/us-east4/subnetworks/default');
    expect(p.gcp_guest_accelerators).toEqual([{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }]);
    expect(p.gcp_custom_labels).toEqual({ team: 'desktops', env: 'prod' });
    expect(existsSync(join(home, '.oci'))).toBe(false);
    const v = await validate(join(dir, 'gcp.yaml'));
    expect(v.code, v.stderr).toBe(0);
  });

  it('OCI with an existing encrypted key: reads it with the passphrase file; fingerprint as openssl computes it', async () => {
    const key = join(dir, 'mykey.pem');
    const pass = join(dir, 'pass.txt');
    writeFileSync(pass, 'correct horse', { mode: 0o600 });
    execSync(
      `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass file:'${pass}' -out '${key}'`,
      { stdio: 'ignore' },
    );
    const expected = execSync(
      `openssl pkey -in '${key}' -passin file:'${pass}' -pubout -outform DER | openssl md5 -c`,
      { encoding: 'utf8' },
    )
      .trim()
      .split(/\s+/)
      .pop();
    const answers = writeAnswers(
      dir,
      ociAnswers({
        oci_key_source: 'existing',
        oci_private_key_file: key,
        oci_private_key_passphrase_file: pass,
      }),
    );
    const r = await runCli(['init', '--answers', answers, '--yes'], { env: env(), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Fingerprint: ${expected}`);
    expect(r.stderr).not.toContain('correct horse');
    const p = parse(readFileSync(join(dir, 'kasm-scale.yaml'), 'utf8')).providers[0];
    expect(p).toMatchObject({
      oci_fingerprint: expected,
      oci_private_key_file: key,
      oci_private_key_passphrase_file: pass,
    });
    expect(existsSync(join(home, '.oci', 'oci_api_key.pem'))).toBe(false);
  });

  it('the built-in startup script needs the Kasm manager token: no answer for it is exit 2, nothing written', async () => {
    const answers = writeAnswers(dir, ociAnswers({ kasm_manager_token: undefined }));
    const r = await runCli(['init', '--answers', answers, '--yes'], {
      env: { ...env(), KASM_MANAGER_TOKEN: '' },
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no answer for kasm_manager_token/);
    expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);
  });

  it("a bad answer: exit 2 naming the question and the config validator's message; no config written", async () => {
    const answers = writeAnswers(dir, ociAnswers({ oci_subnet_ocid: 'ocid1.vcn.oc1.iad.aaaa' }));
    const r = await runCli(['init', '--answers', answers, '--yes'], { env: env(), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/oci_subnet_ocid: .*not a subnet OCID/);
    expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);
    expect(existsSync(join(home, '.oci'))).toBe(false);
  });

  it('an unknown answer key is exit 2 with a suggestion, before anything is written', async () => {
    const answers = writeAnswers(dir, ociAnswers({ oci_regoin: 'us-ashburn-1' }));
    const r = await runCli(['init', '--answers', answers, '--yes'], { env: env(), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key oci_regoin; did you mean oci_region\?/);
    expect(existsSync(join(home, '.oci'))).toBe(false);
  });

  it('never replaces an existing config without --force', async () => {
    const config = join(dir, 'kasm-scale.yaml');
    writeFileSync(config, 'kasm: {}\n');
    const answers = writeAnswers(dir, ociAnswers());
    const r = await runCli(['init', '--answers', answers, '--yes'], { env: env(), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists; nothing was written; pass --force/);
    expect(readFileSync(config, 'utf8')).toBe('kasm: {}\n');
    expect(existsSync(join(home, '.oci'))).toBe(false);

    const forced = await runCli(['init', '--answers', answers, '--yes', '--force'], { env: env(), cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(parse(readFileSync(config, 'utf8')).providers).toHaveLength(1);
  });

  describe('the availability domains, listed from OCI (an in-process OCI emulator via --oci-endpoint)', () => {
    const ADS = ['Xyzw:US-ASHBURN-AD-1', 'Xyzw:US-ASHBURN-AD-2', 'Xyzw:US-ASHBURN-AD-3'];

    /** An existing key file; `upload` registers its public half with the emulator (the console step). */
    async function existingKey(upload: boolean) {
      const emu = await startOciEmulator({ seed: { availabilityDomains: ADS } });
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const file = join(dir, 'existing.pem');
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      if (upload)
        emu.registerApiKey(
          { tenancy: OCIDS.tenancy, user: OCIDS.user },
          publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        );
      const { oci_availability_domains: _omitted, ...rest } = ociAnswers({
        oci_key_source: 'existing',
        oci_private_key_file: file,
      });
      return { emu, answers: writeAnswers(dir, rest) };
    }

    it("answers without ADs: the config gets the region's ADs and the endpoint", async () => {
      const { emu, answers } = await existingKey(true);
      try {
        const r = await runCli(['init', '--answers', answers, '--yes', '--oci-endpoint', emu.url], {
          env: env(),
          cwd: dir,
        });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`us-ashburn-1: ${ADS.join(', ')}`);
        const p = parse(readFileSync(join(dir, 'kasm-scale.yaml'), 'utf8')).providers[0];
        expect(p.oci_availability_domains).toEqual(ADS);
        expect(p.endpoint).toBe(emu.url);
        // One signed ListAvailabilityDomains in the tenancy, and nothing else.
        expect(emu.requests.map((q) => [q.operation, q.status])).toEqual([['ListAvailabilityDomains', 200]]);
        expect(emu.requests[0].path).toContain(encodeURIComponent(OCIDS.tenancy));
        const v = await validate(join(dir, 'kasm-scale.yaml'));
        expect(v.code, v.stderr).toBe(0);
      } finally {
        await emu.close();
      }
    });

    it('a key OCI refuses: one line why, then the ADs are needed as an answer (exit 2, nothing written)', async () => {
      const { emu, answers } = await existingKey(false);
      try {
        const r = await runCli(['init', '--answers', answers, '--yes', '--oci-endpoint', emu.url], {
          env: env(),
          cwd: dir,
        });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          /^Could not list the availability domains of us-ashburn-1: OCI refused the key \(not uploaded yet.*; type them instead\.$/m,
        );
        expect(r.stderr).toMatch(/no answer for oci_availability_domains/);
        expect(emu.requests.map((q) => [q.operation, q.status])).toEqual([['ListAvailabilityDomains', 401]]);
        expect(existsSync(join(dir, 'kasm-scale.yaml'))).toBe(false);
      } finally {
        await emu.close();
      }
    });

    it("a bad --oci-endpoint is exit 2 with the config validator's words, before any question", async () => {
      const answers = writeAnswers(dir, ociAnswers());
      const r = await runCli(['init', '--answers', answers, '--yes', '--oci-endpoint', 'ftp://x'], {
        env: env(),
        cwd: dir,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--oci-endpoint "ftp:\/\/x": expected an http\(s\):\/\/ base URL/);
      expect(existsSync(join(home, '.oci'))).toBe(false);
    });
  });
});
