import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyFiles, generateRsaKeyPair } from '../../src/clouds/oci/key-generate.js';
import { inspectKey } from '../../src/clouds/oci/key-inspect.js';
import { tempDir } from '../helpers/cli.js';
import { openssl, opensslFingerprint } from './openssl.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('kasm-scale-gen-')));
afterAll(() => cleanup?.());
afterEach(() => vi.restoreAllMocks());

const mode = (p: string) => statSync(p).mode & 0o777;

describe('generateRsaKeyPair', () => {
  it("uses Node's native (OpenSSL) generator through node-forge, asynchronously", async () => {
    // node-forge requires the CJS 'crypto' module and looks the function up at call time.
    const nodeCrypto = createRequire(import.meta.url)('crypto') as typeof import('node:crypto');
    const spy = vi.spyOn(nodeCrypto, 'generateKeyPair');
    const started = performance.now();
    await generateRsaKeyPair();
    const ms = performance.now() - started;
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0][0]).toBe('rsa');
    expect(spy.mock.calls[0][1]).toMatchObject({ modulusLength: 2048, publicExponent: 0x10001 });
    expect(ms).toBeLessThan(10_000); // pure-JS forge would be seconds; the bench prints the real number
  });

  it('makes RSA 2048, e = 65537, PKCS#8 PEM and a SubjectPublicKeyInfo PEM that openssl reads', async () => {
    const pair = await generateRsaKeyPair();
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const file = join(dir, 'plain.pem');
    writeFileSync(file, pair.privateKeyPem, { mode: 0o600 });
    const text = openssl(['rsa', '-in', file, '-text', '-noout']).toString();
    expect(text).toMatch(/Private-Key: \(2048 bit, 2 primes\)/);
    expect(text).toMatch(/publicExponent: 65537 \(0x10001\)/);
    openssl(['rsa', '-in', file, '-check', '-noout']);
    expect(pair.fingerprint).toBe(opensslFingerprint(file));
    const pub = join(dir, 'plain_public.pem');
    writeFileSync(pub, pair.publicKeyPem);
    expect(opensslFingerprint(pub, { pubin: true })).toBe(pair.fingerprint);
  });

  it('encrypts with PBES2 / AES-256-CBC when given a passphrase, readable by openssl pkey -passin', async () => {
    const pass = Buffer.from('pässwörd with spaces');
    const pair = await generateRsaKeyPair(pass);
    expect(pair.privateKeyPem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    const file = join(dir, 'enc.pem');
    const passFile = join(dir, 'enc.pass');
    writeFileSync(file, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(passFile, pass);
    const asn1 = openssl(['asn1parse', '-in', file]).toString();
    expect(asn1).toContain('PBES2');
    expect(asn1).toContain('aes-256-cbc');
    expect(asn1).toContain('hmacWithSHA256');
    expect(opensslFingerprint(file, { passin: `file:${passFile}` })).toBe(pair.fingerprint);
    expect(openssl(['pkey', '-in', file, '-passin', `file:${passFile}`, '-pubout']).toString()).toBe(
      pair.publicKeyPem,
    );
    expect(() => openssl(['pkey', '-in', file, '-passin', 'pass:wrong', '-noout'])).toThrow();
  });

  it('keeps a trailing newline as part of the passphrase (as oci-cli does)', async () => {
    const pass = Buffer.from('secret\n');
    const pair = await generateRsaKeyPair(pass);
    expect(() => createPrivateKey({ key: pair.privateKeyPem, passphrase: pass })).not.toThrow();
    expect(() => createPrivateKey({ key: pair.privateKeyPem, passphrase: 'secret' })).toThrow();
    expect(inspectKey(pair.privateKeyPem, pass).fingerprint).toBe(pair.fingerprint);
  });
});

describe('generateKeyFiles', () => {
  it('writes NAME.pem and NAME_public.pem 0600 in a new 0700 folder', async () => {
    const target = join(dir, 'new', 'nested');
    const r = await generateKeyFiles({ dir: target, name: 'k1' });
    expect(r.private_key_file).toBe(join(target, 'k1.pem'));
    expect(r.public_key_file).toBe(join(target, 'k1_public.pem'));
    expect(mode(target)).toBe(0o700);
    expect(mode(join(dir, 'new'))).toBe(0o700);
    expect(mode(r.private_key_file)).toBe(0o600);
    expect(mode(r.public_key_file)).toBe(0o600);
    expect(readFileSync(r.public_key_file, 'utf8')).toBe(r.public_key_pem);
    expect(r.fingerprint).toBe(opensslFingerprint(r.private_key_file));
    expect(JSON.stringify(r)).not.toContain('PRIVATE KEY');
  });

  it('refuses to overwrite either file without force, leaving both untouched', async () => {
    const target = join(dir, 'refuse');
    mkdirSync(target);
    writeFileSync(join(target, 'k_public.pem'), 'old public');
    await expect(generateKeyFiles({ dir: target, name: 'k' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('already exists'),
    });
    expect(readFileSync(join(target, 'k_public.pem'), 'utf8')).toBe('old public');
    expect(() => statSync(join(target, 'k.pem'))).toThrow();

    const first = await generateKeyFiles({ dir: target, name: 'j' });
    const before = [
      readFileSync(first.private_key_file, 'utf8'),
      readFileSync(first.public_key_file, 'utf8'),
    ];
    await expect(generateKeyFiles({ dir: target, name: 'j' })).rejects.toMatchObject({ exitCode: 2 });
    expect([
      readFileSync(first.private_key_file, 'utf8'),
      readFileSync(first.public_key_file, 'utf8'),
    ]).toEqual(before);

    const replaced = await generateKeyFiles({ dir: target, name: 'j', force: true });
    expect(replaced.fingerprint).not.toBe(first.fingerprint);
    expect(mode(replaced.private_key_file)).toBe(0o600);
  });

  it('refuses names that are paths and a --dir that is a file', async () => {
    await expect(generateKeyFiles({ dir, name: '../escape' })).rejects.toMatchObject({ exitCode: 2 });
    await expect(generateKeyFiles({ dir, name: 'x.pem' })).rejects.toMatchObject({ exitCode: 2 });
    writeFileSync(join(dir, 'afile'), '');
    await expect(generateKeyFiles({ dir: join(dir, 'afile') })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('is a file'),
    });
  });
});
