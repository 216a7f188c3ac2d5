import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** openssl as the independent judge: runs it and returns stdout (throws on failure). */
export function openssl(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `openssl rsa -pubout -outform DER -in KEY | openssl md5 -c`, the fingerprint the issue names. */
export function opensslFingerprint(
  file: string,
  opts: { passin?: string; pubin?: boolean | 'pkcs1' } = {},
): string {
  const der = openssl([
    'rsa',
    ...(opts.pubin === 'pkcs1' ? ['-RSAPublicKey_in'] : opts.pubin ? ['-pubin'] : []),
    '-in',
    file,
    ...(opts.passin ? ['-passin', opts.passin] : []),
    '-pubout',
    '-outform',
    'DER',
  ]);
  const line = openssl(['md5', '-c'], der).toString();
  return line.trim().split(/\s+/).pop()!;
}

export const PASS = 'correct horse battery staple';

export interface KeyFixtures {
  dir: string;
  passFile: string;
  pkcs1: string;
  pkcs8: string;
  pkcs8Encrypted: string;
  pkcs1Encrypted: string;
  publicSpki: string;
  publicPkcs1: string;
  ociApiKeyLine: string;
  crlf: string;
  ec: string;
  ed25519: string;
}

/** Every key format from the issue, made by openssl at test time in `dir`. */
export function makeKeyFixtures(dir: string): KeyFixtures {
  const p = (n: string) => join(dir, n);
  const passFile = p('pass.txt');
  writeFileSync(passFile, PASS); // openssl's file: reads the first line; no newline keeps both tools agreeing
  openssl(['genrsa', '-traditional', '-out', p('pkcs1.pem'), '2048']);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('pkcs8.pem')]);
  openssl([
    'pkcs8',
    '-topk8',
    '-v2',
    'aes256',
    '-in',
    p('pkcs8.pem'),
    '-passout',
    `file:${passFile}`,
    '-out',
    p('pkcs8-enc.pem'),
  ]);
  openssl([
    'genrsa',
    '-traditional',
    '-aes128',
    '-passout',
    `file:${passFile}`,
    '-out',
    p('pkcs1-enc.pem'),
    '2048',
  ]);
  openssl(['rsa', '-in', p('pkcs1.pem'), '-pubout', '-out', p('public.pem')]);
  openssl(['rsa', '-in', p('pkcs1.pem'), '-RSAPublicKey_out', '-out', p('public-pkcs1.pem')]);
  const pkcs8Text = openssl(['pkey', '-in', p('pkcs8.pem')]).toString();
  writeFileSync(p('oci-line.pem'), `${pkcs8Text}OCI_API_KEY\n`);
  writeFileSync(p('crlf.pem'), pkcs8Text.replace(/\n/g, '\r\n'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('ec.pem')]);
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', p('ed25519.pem')]);
  return {
    dir,
    passFile,
    pkcs1: p('pkcs1.pem'),
    pkcs8: p('pkcs8.pem'),
    pkcs8Encrypted: p('pkcs8-enc.pem'),
    pkcs1Encrypted: p('pkcs1-enc.pem'),
    publicSpki: p('public.pem'),
    publicPkcs1: p('public-pkcs1.pem'),
    ociApiKeyLine: p('oci-line.pem'),
    crlf: p('crlf.pem'),
    ec: p('ec.pem'),
    ed25519: p('ed25519.pem'),
  };
}
