import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';
import { makeKeyFixtures, opensslFingerprint, PASS, type KeyFixtures } from './openssl.js';

let dir: string;
let home: string;
let fx: KeyFixtures;
let cleanup: () => Promise<void>;
const USER = 'ocid1.user.oc1..aaaaaaaae2euser';
const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaae2etenancy';

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-e2e-keys-'));
  home = join(dir, 'home');
  mkdirSync(home);
  mkdirSync(join(dir, 'fx'));
  fx = makeKeyFixtures(join(dir, 'fx'));
});
afterAll(() => cleanup?.());

const cli = (args: string[], input?: string | Buffer) =>
  runCli(args, { env: { HOME: home }, input, cwd: dir });
const mode = (p: string) => statSync(p).mode & 0o777;

/** No private key material and no passphrase anywhere in what the user sees. */
function expectNoSecrets(r: CliRun, secrets: string[] = []) {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const s of [PASS, ...secrets]) expect(text).not.toContain(s);
  }
}

/** A bad input: exit 2, nothing on stdout, exactly one line on stderr, no stack trace. */
function expectOneLineError(r: CliRun, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expectNoSecrets(r);
}

describe('kasm-scale keys generate (built CLI)', () => {
  it('defaults to ~/.oci/oci_api_key(.pem|_public.pem): 0700 folder, 0600 files, human result on stdout', async () => {
    const r = await cli(['keys', 'generate']);
    expect(r.code, r.stderr).toBe(0);
    const priv = join(home, '.oci', 'oci_api_key.pem');
    const pub = join(home, '.oci', 'oci_api_key_public.pem');
    expect(mode(join(home, '.oci'))).toBe(0o700);
    expect(mode(priv)).toBe(0o600);
    expect(mode(pub)).toBe(0o600);
    expect(readFileSync(priv, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const fp = opensslFingerprint(priv);
    expect(r.stdout).toContain(`Fingerprint: ${fp}`);
    expect(r.stdout).toContain(readFileSync(pub, 'utf8').trim());
    expect(r.stdout).toContain('User Settings → API keys → Add API Key → Paste a public key');
    expect(r.stderr).not.toContain(fp); // results on stdout, progress on stderr
    expectNoSecrets(r, [readFileSync(priv, 'utf8').split('\n')[1]]);
  });

  it('refuses to overwrite: exit 2, one line, both files untouched; --force replaces', async () => {
    const priv = join(home, '.oci', 'oci_api_key.pem');
    const before = readFileSync(priv, 'utf8');
    expectOneLineError(await cli(['keys', 'generate']), /already exist.*--force/);
    expect(readFileSync(priv, 'utf8')).toBe(before);

    const j = await cli(['keys', 'generate', '--json']);
    expect(j.code, j.stderr).toBe(2);
    expect(JSON.parse(j.stdout).error.exit_code).toBe(2);

    const f = await cli(['keys', 'generate', '--force']);
    expect(f.code, f.stderr).toBe(0);
    expect(readFileSync(priv, 'utf8')).not.toBe(before);
    expect(mode(priv)).toBe(0o600);
  });

  it('--json prints exactly one JSON document with the four fields, never the private key', async () => {
    const r = await cli(['keys', 'generate', '--dir', 'out', '--name', 'kasm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual([
      'fingerprint',
      'private_key_file',
      'public_key_file',
      'public_key_pem',
    ]);
    expect(doc.private_key_file).toBe(join(dir, 'out', 'kasm.pem'));
    expect(doc.public_key_file).toBe(join(dir, 'out', 'kasm_public.pem'));
    expect(doc.fingerprint).toBe(opensslFingerprint(doc.private_key_file));
    expect(doc.public_key_pem).toBe(readFileSync(doc.public_key_file, 'utf8'));
    expectNoSecrets(r, [readFileSync(doc.private_key_file, 'utf8').split('\n')[1]]);
  });

  it('--passphrase-file - reads stdin (bytes as-is) and encrypts; fingerprint opens it with the same bytes', async () => {
    const r = await cli(['keys', 'generate', '--dir', 'enc', '--passphrase-file', '-', '--json'], PASS);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(readFileSync(doc.private_key_file, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(opensslFingerprint(doc.private_key_file, { passin: `file:${fx.passFile}` })).toBe(doc.fingerprint);
    const fp = await cli(['keys', 'fingerprint', doc.private_key_file, '--passphrase-file', fx.passFile]);
    expect(fp.code).toBe(0);
    expect(fp.stdout.trim()).toBe(doc.fingerprint);
    writeFileSync(join(dir, 'pass-nl'), `${PASS}\n`);
    expectOneLineError(
      await cli(['keys', 'fingerprint', doc.private_key_file, '--passphrase-file', join(dir, 'pass-nl')]),
      /wrong passphrase/,
    );
    expectNoSecrets(r);
  });

  it('bad flags: exit 2 with one line', async () => {
    expectOneLineError(await cli(['keys', 'generate', '--dir', 'x', '--name', '../up']), /--name/);
    writeFileSync(join(dir, 'empty-pass'), '');
    expectOneLineError(
      await cli(['keys', 'generate', '--dir', 'y', '--passphrase-file', join(dir, 'empty-pass')]),
      /is empty/,
    );
    expectOneLineError(
      await cli(['keys', 'generate', '--dir', 'y', '--passphrase-file', join(dir, 'no-such')]),
      /does not exist/,
    );
    expect(() => statSync(join(dir, 'y'))).toThrow();
  });
});

describe('kasm-scale keys fingerprint (built CLI)', () => {
  it("prints openssl's fingerprint for every format", async () => {
    const cases: Array<[string, string[], string]> = [
      [fx.pkcs1, [], opensslFingerprint(fx.pkcs1)],
      [fx.pkcs8, [], opensslFingerprint(fx.pkcs8)],
      [
        fx.pkcs8Encrypted,
        ['--passphrase-file', fx.passFile],
        opensslFingerprint(fx.pkcs8Encrypted, { passin: `file:${fx.passFile}` }),
      ],
      [
        fx.pkcs1Encrypted,
        ['--passphrase-file', fx.passFile],
        opensslFingerprint(fx.pkcs1Encrypted, { passin: `file:${fx.passFile}` }),
      ],
      [fx.publicSpki, [], opensslFingerprint(fx.publicSpki, { pubin: true })],
      [fx.ociApiKeyLine, [], opensslFingerprint(fx.pkcs8)],
    ];
    for (const [file, extra, expected] of cases) {
      const r = await cli(['keys', 'fingerprint', file, ...extra]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(`${expected}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('--json gives one document; the key may come from stdin', async () => {
    const r = await cli(['keys', 'fingerprint', fx.pkcs8Encrypted, '--passphrase-file', '-', '--json'], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'private',
      encrypted: true,
      bits: 2048,
      fingerprint: opensslFingerprint(fx.pkcs8Encrypted, { passin: `file:${fx.passFile}` }),
    });
    expectNoSecrets(r);
    const s = await cli(['keys', 'fingerprint', '-'], readFileSync(fx.pkcs1));
    expect(s.stdout.trim()).toBe(opensslFingerprint(fx.pkcs1));
  });

  it('every bad input: exit 2, one line, no stack', async () => {
    writeFileSync(join(dir, 'junk.pem'), 'this is not a key\n');
    writeFileSync(join(dir, 'empty.pem'), '');
    writeFileSync(join(dir, 'wrong-pass'), 'not it');
    const cases: Array<[string[], RegExp]> = [
      [[fx.pkcs8Encrypted], /encrypted and no passphrase/],
      [[fx.pkcs1Encrypted], /encrypted and no passphrase/],
      [[fx.pkcs8Encrypted, '--passphrase-file', join(dir, 'wrong-pass')], /wrong passphrase/],
      [[fx.pkcs1Encrypted, '--passphrase-file', join(dir, 'wrong-pass')], /wrong passphrase/],
      [[fx.ec], /EC key; OCI API keys must be RSA/],
      [[fx.ed25519], /Ed25519 key; OCI API keys must be RSA/],
      [[join(dir, 'junk.pem')], /junk\.pem is not a PEM key/],
      [[join(dir, 'empty.pem')], /empty\.pem is empty/],
      [[join(dir, 'missing.pem')], /missing\.pem does not exist/],
      [[dir], /is a directory/],
      [['-', '--passphrase-file', '-'], /both come from stdin/],
      [[], /missing required argument/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli(['keys', 'fingerprint', ...args]);
      expectOneLineError(r, pattern);
    }
    const j = await cli(['keys', 'fingerprint', fx.ec, '--json']);
    expect(j.code, j.stderr).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toMatch(/must be RSA/);
  });
});

describe('kasm-scale keys oci-config (built CLI)', () => {
  const cfg = () => join(dir, 'oci-config');
  const base = () => [
    'keys',
    'oci-config',
    '--user',
    USER,
    '--tenancy',
    TENANCY,
    '--region',
    'us-ashburn-1',
    '--key-file',
    fx.pkcs8,
    '--config',
    cfg(),
  ];

  it('adds a profile (0600), refuses to replace it without --force, replaces with it', async () => {
    writeFileSync(cfg(), '# hand-written\n[OTHER]\nuser=x\n', { mode: 0o644 });
    const r = await cli([...base(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      action: 'added',
      profile: 'DEFAULT',
      fingerprint: opensslFingerprint(fx.pkcs8),
      key_file: fx.pkcs8,
    });
    expect(mode(cfg())).toBe(0o600);
    const written = readFileSync(cfg(), 'utf8');
    expect(written.startsWith('# hand-written\n[OTHER]\nuser=x\n')).toBe(true);

    expectOneLineError(await cli(base()), /already exists.*--force/);
    expect(readFileSync(cfg(), 'utf8')).toBe(written);

    const f = await cli([...base(), '--force', '--region', 'eu-frankfurt-1']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toContain('Replaced profile [DEFAULT]');
    expect(readFileSync(cfg(), 'utf8')).toContain('region=eu-frankfurt-1');
  });

  it('checks everything before writing: exit 2, one line, file untouched', async () => {
    const before = readFileSync(cfg(), 'utf8');
    const withArgs = (over: Record<string, string>) => {
      const args = base();
      for (const [flag, value] of Object.entries(over)) args[args.indexOf(flag) + 1] = value;
      return [...args, '--profile', 'NEW'];
    };
    expectOneLineError(
      await cli(withArgs({ '--user': 'ocid1.group.oc1..aaaa' })),
      /--user: .*group OCID, not a user OCID/,
    );
    expectOneLineError(await cli(withArgs({ '--tenancy': 'tenancy' })), /--tenancy/);
    expectOneLineError(await cli(withArgs({ '--region': 'IAD' })), /--region: .*region key/);
    expectOneLineError(await cli(withArgs({ '--key-file': fx.ec })), /must be RSA/);
    expectOneLineError(await cli(withArgs({ '--key-file': fx.publicSpki })), /public key/);
    expectOneLineError(await cli(withArgs({ '--key-file': join(dir, 'nope.pem') })), /does not exist/);
    expectOneLineError(
      await cli(['keys', 'oci-config', '--user', USER, '--config', cfg()]),
      /required option/,
    );
    expect(readFileSync(cfg(), 'utf8')).toBe(before);
  });

  it('an encrypted key without --save-passphrase warns on stderr', async () => {
    const r = await cli([
      ...base().map((a) => (a === fx.pkcs8 ? fx.pkcs8Encrypted : a)),
      '--profile',
      'ENC',
      '--passphrase-file',
      fx.passFile,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*pass_phrase/);
    expect(readFileSync(cfg(), 'utf8')).not.toContain(PASS);
    expectNoSecrets(r);
  });
});

describe('help', () => {
  it('every keys command has examples; the passphrase note is there', async () => {
    for (const sub of ['generate', 'fingerprint', 'oci-config']) {
      const r = await cli(['keys', sub, '--help']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('--json');
    }
    const g = await cli(['keys', 'generate', '--help']);
    expect(g.stdout.replace(/\s+/g, ' ')).toMatch(/trailing newline included/);
  });
});
