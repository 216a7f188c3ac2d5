import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../../core/errors.js';

/** What `inspectKey` learns from a key file. Never holds private key material. */
export interface KeyInfo {
  kind: 'public' | 'private';
  /** The private key was encrypted with a passphrase (always false for a public key). */
  encrypted: boolean;
  /** OCI API key fingerprint: MD5 over the DER SubjectPublicKeyInfo, `aa:bb:...` (16 pairs). */
  fingerprint: string;
  /** The public key as SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`): what the OCI console takes. */
  publicKeyPem: string;
  /** RSA modulus size in bits. */
  bits: number;
}

export interface InspectOptions {
  /** Where the text came from, for error lines (`key file ~/.oci/oci_api_key.pem`). */
  source?: string;
  /** Flag that supplies the passphrase, named in hints. */
  passphraseFlag?: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/**
 * Reads an OCI API key: a public key PEM, or an RSA private key as PKCS#1, PKCS#8, encrypted
 * PKCS#8 or encrypted PKCS#1 (Proc-Type/DEK-Info). Text after the PEM block (oci-cli's
 * `OCI_API_KEY` line) is ignored. Parsing is OpenSSL's (node:crypto), so what passes here is
 * what `openssl` accepts. Anything else throws an InputError whose line never contains key
 * material or the passphrase.
 */
export function inspectKey(text: string, passphrase?: string | Buffer, opts: InspectOptions = {}): KeyInfo {
  const where = opts.source ?? 'the key';
  const flag = opts.passphraseFlag ?? '--passphrase-file';
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InputError(`${where} is empty`, {
      hint: 'give the PEM file of an RSA key (kasm-scale keys generate makes one)',
    });
  }
  const normalized = text.replace(/\r\n?/g, '\n');
  const block = PEM_BLOCK.exec(normalized);
  if (!block) throw new InputError(`${where} is not a PEM key`, { hint: notPemHint(normalized) });
  const pem = `${block[0]}\n`;
  const label = block[1];

  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
    const key = parse(() => createPublicKey({ key: pem, format: 'pem' }), where, 'public');
    return describe(key, 'public', false, where);
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    throw new InputError(`${where} is an OpenSSH private key, not a PEM API key`, {
      hint: 'OCI API keys are separate from SSH keys: run kasm-scale keys generate, or convert a copy with ssh-keygen -p -m PKCS8 -f COPY',
    });
  }
  if (label === 'CERTIFICATE')
    throw new InputError(`${where} is a certificate, not a key`, {
      hint: 'give the RSA private or public key PEM',
    });
  if (label === 'EC PRIVATE KEY' || label === 'DSA PRIVATE KEY') {
    throw new InputError(
      `${where} is ${label.startsWith('EC') ? 'an EC' : 'a DSA'} key; OCI API keys must be RSA`,
      { hint: rsaHint },
    );
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY' && label !== 'ENCRYPTED PRIVATE KEY') {
    throw new InputError(`${where} holds a PEM block of type "${label}", not an RSA key`, { hint: rsaHint });
  }

  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(block[0]);
  const hasPassphrase = passphrase !== undefined && passphrase.length > 0;
  if (encrypted && !hasPassphrase) {
    throw new InputError(`${where} is encrypted and no passphrase was given`, {
      hint: `pass its passphrase with ${flag} FILE (or - for stdin)`,
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (err) {
    // With a passphrase, any decoder failure means the decrypted bytes were garbage: OpenSSL
    // reports "bad decrypt" most of the time and an ASN.1/decoder error the rest.
    if (encrypted) {
      throw new InputError(`wrong passphrase for ${where}`, {
        hint: `check the passphrase file (its bytes are used as-is, a trailing newline included)`,
        cause: codeOnly(err),
      });
    }
    throw new InputError(`${where} is not a readable private key (damaged PEM)`, {
      hint: rsaHint,
      cause: codeOnly(err),
    });
  }
  return describe(key, 'private', encrypted, where);
}

const rsaHint = 'make an RSA 2048 key with kasm-scale keys generate';

/** OCI refuses API signing keys shorter than this (the console's "Add API key" says so). */
export const OCI_MIN_KEY_BITS = 2048;

/** Why OCI would refuse this key's size, or undefined when it is big enough. */
export function keySizeProblem(info: KeyInfo, where: string): string | undefined {
  if (info.bits >= OCI_MIN_KEY_BITS) return undefined;
  return `${where} is a ${info.bits}-bit RSA key; OCI requires at least ${OCI_MIN_KEY_BITS} bits: ${rsaHint}`;
}

function parse(fn: () => KeyObject, where: string, kind: string): KeyObject {
  try {
    return fn();
  } catch (err) {
    throw new InputError(`${where} is not a readable ${kind} key (damaged PEM)`, {
      hint: rsaHint,
      cause: codeOnly(err),
    });
  }
}

function describe(key: KeyObject, kind: 'public' | 'private', encrypted: boolean, where: string): KeyInfo {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new InputError(
      `${where} is ${article(key.asymmetricKeyType ?? 'unknown')} key; OCI API keys must be RSA`,
      { hint: rsaHint },
    );
  }
  const pub = kind === 'public' ? key : createPublicKey(key);
  const der = pub.export({ type: 'spki', format: 'der' });
  return {
    kind,
    encrypted,
    fingerprint: fingerprintOfSpkiDer(der),
    publicKeyPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    bits: pub.asymmetricKeyDetails?.modulusLength ?? 0,
  };
}

/** MD5 over DER SubjectPublicKeyInfo as lowercase hex pairs joined by ':' (what OCI shows). */
export function fingerprintOfSpkiDer(der: Buffer): string {
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

function article(type: string): string {
  const name = type === 'rsa-pss' ? 'RSA-PSS' : type.toUpperCase().replace('ED', 'Ed');
  return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** Keep only OpenSSL's error code as the cause: the message could echo input. */
function codeOnly(err: unknown): { code?: string } {
  return { code: (err as { code?: string } | undefined)?.code };
}

function notPemHint(text: string): string {
  const t = text.trimStart();
  if (/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-)/.test(t))
    return 'this is an SSH public key; OCI API keys are PEM (kasm-scale keys generate makes one)';
  if (t.startsWith('{')) return 'this looks like JSON; give the PEM file of an RSA key';
  return 'expected a -----BEGIN ... KEY----- block (kasm-scale keys generate makes one)';
}
