import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { inspectKey } from '../../src/clouds/oci/key-inspect.js';
import { tempDir } from '../helpers/cli.js';
import { makeKeyFixtures, opensslFingerprint, PASS, type KeyFixtures } from './openssl.js';

let fx: KeyFixtures;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('kasm-scale-keys-');
  cleanup = t.cleanup;
  fx = makeKeyFixtures(t.dir);
});
afterAll(() => cleanup?.());

const read = (f: string) => readFileSync(f, 'utf8');

/** The line of an InputError, as the CLI would print it (message + hint). */
function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe("inspectKey gives openssl's fingerprint for every format", () => {
  it('PKCS#1 private key (BEGIN RSA PRIVATE KEY)', () => {
    const info = inspectKey(read(fx.pkcs1));
    expect(read(fx.pkcs1)).toContain('BEGIN RSA PRIVATE KEY');
    expect(info).toMatchObject({ kind: 'private', encrypted: false, bits: 2048 });
    expect(info.fingerprint).toBe(opensslFingerprint(fx.pkcs1));
  });

  it('PKCS#8 private key', () => {
    const info = inspectKey(read(fx.pkcs8));
    expect(read(fx.pkcs8)).toContain('BEGIN PRIVATE KEY');
    expect(info).toMatchObject({ kind: 'private', encrypted: false });
    expect(info.fingerprint).toBe(opensslFingerprint(fx.pkcs8));
  });

  it('encrypted PKCS#8 (openssl pkcs8 -v2 aes256)', () => {
    const info = inspectKey(read(fx.pkcs8Encrypted), PASS);
    expect(read(fx.pkcs8Encrypted)).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(info).toMatchObject({ kind: 'private', encrypted: true });
    expect(info.fingerprint).toBe(opensslFingerprint(fx.pkcs8Encrypted, { passin: `file:${fx.passFile}` }));
    expect(inspectKey(read(fx.pkcs8Encrypted), Buffer.from(PASS)).fingerprint).toBe(info.fingerprint);
  });

  it('encrypted PKCS#1 (openssl genrsa -traditional -aes128: Proc-Type/DEK-Info)', () => {
    expect(read(fx.pkcs1Encrypted)).toMatch(/Proc-Type: 4,ENCRYPTED[\s\S]*DEK-Info: AES-128-CBC/);
    const info = inspectKey(read(fx.pkcs1Encrypted), PASS);
    expect(info).toMatchObject({ kind: 'private', encrypted: true });
    expect(info.fingerprint).toBe(opensslFingerprint(fx.pkcs1Encrypted, { passin: `file:${fx.passFile}` }));
  });

  it('public key PEM (SubjectPublicKeyInfo) and PKCS#1 public key', () => {
    const spki = inspectKey(read(fx.publicSpki));
    expect(spki).toMatchObject({ kind: 'public', encrypted: false });
    expect(spki.fingerprint).toBe(opensslFingerprint(fx.publicSpki, { pubin: true }));
    expect(spki.fingerprint).toBe(opensslFingerprint(fx.pkcs1)); // same key pair
    const pkcs1 = inspectKey(read(fx.publicPkcs1));
    expect(pkcs1.fingerprint).toBe(opensslFingerprint(fx.publicPkcs1, { pubin: 'pkcs1' }));
    expect(pkcs1.fingerprint).toBe(spki.fingerprint);
  });

  it("a file with oci-cli's OCI_API_KEY line after the PEM block, and CRLF line ends", () => {
    expect(inspectKey(read(fx.ociApiKeyLine)).fingerprint).toBe(opensslFingerprint(fx.pkcs8));
    expect(inspectKey(read(fx.crlf)).fingerprint).toBe(opensslFingerprint(fx.pkcs8));
  });

  it('the public PEM it returns is the SubjectPublicKeyInfo openssl derives', () => {
    const info = inspectKey(read(fx.pkcs1));
    expect(info.publicKeyPem.trim()).toBe(read(fx.publicSpki).trim());
    expect(info.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });

  it('is not fooled into MD5 over the PKCS#1 public key (a different, wrong value)', async () => {
    const { createHash } = await import('node:crypto');
    const { openssl } = await import('./openssl.js');
    const pkcs1Der = openssl(['rsa', '-in', fx.pkcs1, '-RSAPublicKey_out', '-outform', 'DER']);
    const wrong = createHash('md5').update(pkcs1Der).digest('hex').match(/../g)!.join(':');
    expect(inspectKey(read(fx.pkcs1)).fingerprint).not.toBe(wrong);
  });
});

describe('inspectKey refuses bad input with one line and no key material', () => {
  const cases: Array<[string, () => [string, string | undefined], RegExp]> = [
    [
      'missing passphrase (encrypted PKCS#8)',
      () => [read(fx.pkcs8Encrypted), undefined],
      /is encrypted and no passphrase was given/,
    ],
    [
      'missing passphrase (encrypted PKCS#1)',
      () => [read(fx.pkcs1Encrypted), undefined],
      /is encrypted and no passphrase was given/,
    ],
    ['wrong passphrase (encrypted PKCS#8)', () => [read(fx.pkcs8Encrypted), 'nope'], /wrong passphrase/],
    ['wrong passphrase (encrypted PKCS#1)', () => [read(fx.pkcs1Encrypted), 'nope'], /wrong passphrase/],
    [
      'passphrase with an extra trailing newline',
      () => [read(fx.pkcs8Encrypted), `${PASS}\n`],
      /wrong passphrase/,
    ],
    ['an EC key', () => [read(fx.ec), undefined], /is an EC key; OCI API keys must be RSA/],
    ['an Ed25519 key', () => [read(fx.ed25519), undefined], /is an Ed25519 key; OCI API keys must be RSA/],
    ['junk', () => ['hello, world\n', undefined], /is not a PEM key/],
    ['empty', () => ['', undefined], /is empty/],
    ['whitespace only', () => [' \n\n', undefined], /is empty/],
    [
      'an SSH public key',
      () => ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n', undefined],
      /SSH public key/,
    ],
    [
      'an OpenSSH private key',
      () => [
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
        undefined,
      ],
      /OpenSSH private key/,
    ],
    [
      'a damaged PEM body',
      () => [read(fx.pkcs8).replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!'), undefined],
      /not a readable private key/,
    ],
    [
      'a truncated PEM block',
      () => [read(fx.pkcs8).split('\n').slice(0, 5).join('\n'), undefined],
      /is not a PEM key/,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      const [text, pass] = input();
      const err = errorOf(() => inspectKey(text, pass, { source: 'key file k.pem' }));
      expect(err.exitCode).toBe(2);
      const line = `${err.message}; ${err.hint ?? ''}`;
      expect(line).toMatch(message);
      expect(line).not.toMatch(/\n/);
      expect(line).not.toContain(PASS);
      // No line of base64 from the key body leaks into the error.
      for (const bodyLine of text.split(/\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l)))
        expect(line).not.toContain(bodyLine);
      expect(JSON.stringify(err.cause ?? {})).not.toMatch(/BEGIN|[A-Za-z0-9+/]{40}/);
    });
  }

  it('names the source in the line', () => {
    const dir = fx.dir;
    writeFileSync(join(dir, 'junk.pem'), 'junk');
    expect(
      errorOf(() => inspectKey('junk', undefined, { source: 'key file /x/junk.pem' })).message,
    ).toContain('/x/junk.pem');
  });
});
