import { createPrivateKey } from 'node:crypto';
import { link, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import forge from 'node-forge';
import { type CliError, InputError, OperationalError } from '../../core/errors.js';
import { assertReplaceable, ensureDir, expandHome, writeTempBeside } from '../../core/files.js';
import { echoValue } from '../../core/echo.js';
import { inspectKey } from './key-inspect.js';

export interface KeyPairPem {
  /** PKCS#8 PEM; `ENCRYPTED PRIVATE KEY` (PBES2, AES-256-CBC) when a passphrase was given. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`). */
  publicKeyPem: string;
  fingerprint: string;
}

/**
 * An RSA 2048 key pair with e = 65537, as the OCI console and oci-cli expect.
 *
 * node-forge hands generation to Node's native `crypto.generateKeyPair` (OpenSSL) whenever it
 * runs on Node with an acceptable size/exponent and no custom PRNG; we use its callback form,
 * which takes the native *asynchronous* path, so the event loop (and a spinner) stays alive.
 * A 2048-bit key takes tens of milliseconds instead of forge's pure-JS seconds.
 */
export function generateRsaKeyPair(passphrase?: Buffer): Promise<KeyPairPem> {
  return new Promise((resolvePromise, reject) => {
    forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 }, (err, pair) => {
      if (err)
        return reject(new OperationalError(`cannot generate an RSA key: ${err.message}`, { cause: err }));
      try {
        resolvePromise(encodePair(pair, passphrase));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function encodePair(pair: forge.pki.rsa.KeyPair, passphrase?: Buffer): KeyPairPem {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey));
  let privateKeyPem = forge.pki.privateKeyInfoToPem(info).replace(/\r\n/g, '\n');
  if (passphrase && passphrase.length > 0) {
    // Encryption goes through OpenSSL (node:crypto), not forge: forge writes the optional
    // PBKDF2 keyLength field, which the OCI SDK's key parser (sshpk) cannot read
    // ("Expected 0x6: got 0x20"). OpenSSL writes what `openssl pkcs8 -topk8 -v2 aes256` does:
    // PBES2, PBKDF2 with hmacWithSHA256, AES-256-CBC. The passphrase bytes are used as-is.
    privateKeyPem = createPrivateKey(privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
      .toString();
  }
  const publicKeyPem = forge.pki.publicKeyToPem(pair.publicKey).replace(/\r\n/g, '\n');
  // Read the result back with OpenSSL (node:crypto): what we write must open with the same
  // passphrase, and the fingerprint comes from the same code `keys fingerprint` uses.
  try {
    createPrivateKey(
      passphrase && passphrase.length > 0 ? { key: privateKeyPem, passphrase } : privateKeyPem,
    );
  } catch (err) {
    throw new OperationalError('the generated private key did not read back; nothing was written', {
      cause: { code: (err as { code?: string }).code },
    });
  }
  const { fingerprint } = inspectKey(publicKeyPem);
  return { privateKeyPem, publicKeyPem, fingerprint };
}

export interface GenerateKeyFilesOptions {
  dir?: string;
  name?: string;
  passphrase?: Buffer;
  force?: boolean;
}

export interface GeneratedKeyFiles {
  private_key_file: string;
  public_key_file: string;
  fingerprint: string;
  public_key_pem: string;
}

/** Names that would escape DIR or be hidden surprises. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `keys generate`: DIR/NAME.pem (0600) and DIR/NAME_public.pem (0600), DIR created 0700.
 * Both paths are checked before either is written, so a refusal leaves both untouched.
 *
 * The pair is replaced as a pair: both temp files are written and synced first (a full
 * disk stops us there, with nothing changed), then the public key is renamed into place
 * (the old one kept aside), then the private key. The old private key stays until the new
 * public key is in place; if the private rename fails, the old public key is put back.
 */
export async function generateKeyFiles(opts: GenerateKeyFilesOptions = {}): Promise<GeneratedKeyFiles> {
  const { dir, privateFile, publicFile } = await checkKeyFiles(opts);
  const pair = await generateRsaKeyPair(opts.passphrase);
  await ensureDir(dir);
  await replacePair(privateFile, publicFile, pair);
  return {
    private_key_file: privateFile,
    public_key_file: publicFile,
    fingerprint: pair.fingerprint,
    public_key_pem: pair.publicKeyPem,
  };
}

async function replacePair(privateFile: string, publicFile: string, pair: KeyPairPem): Promise<void> {
  const temps: string[] = [];
  const dropTemps = () => Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => {})));
  try {
    temps.push(await writeTempBeside(privateFile, pair.privateKeyPem, 0o600));
    temps.push(await writeTempBeside(publicFile, pair.publicKeyPem, 0o600));
  } catch (err) {
    await dropTemps();
    throw writeFailure(err, dirname(privateFile), 'nothing was changed');
  }
  const [privTemp, pubTemp] = temps;
  // A hard link keeps the old public key reachable while the new one is renamed over it.
  let oldPublic: string | undefined = `${privTemp}.old-public`;
  try {
    await link(publicFile, oldPublic);
  } catch {
    oldPublic = undefined; // no old public key (or it cannot be linked): nothing to put back
  }
  temps.push(...(oldPublic ? [oldPublic] : []));
  try {
    await rename(pubTemp, publicFile);
  } catch (err) {
    await dropTemps();
    throw writeFailure(err, publicFile, 'nothing was changed: the old files are as they were');
  }
  try {
    await rename(privTemp, privateFile);
  } catch (err) {
    // Undo the public half, so the files on disk still belong together.
    let undone: boolean;
    try {
      if (oldPublic) await rename(oldPublic, publicFile);
      else await rm(publicFile, { force: true });
      undone = true;
    } catch {
      undone = false;
    }
    await dropTemps();
    throw writeFailure(
      err,
      privateFile,
      undone
        ? 'nothing was changed: the old files are as they were'
        : `${publicFile} now holds the NEW public key and ${privateFile} the OLD private key; they do not match; run again with --force once the file can be replaced`,
    );
  }
  await dropTemps();
}

function writeFailure(err: unknown, path: string, state: string): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC')
    return new OperationalError(`cannot write the key pair in ${path}: the disk is full; ${state}`, {
      hint: 'free some space and run again',
    });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new InputError(
      `cannot replace ${path}: permission denied (read-only, immutable or another owner's); ${state}`,
      { hint: 'check the file and its folder (lsattr, ls -l), or choose another --dir' },
    );
  return new OperationalError(`cannot write ${path}: ${(err as Error).message}; ${state}`, { cause: err });
}

/**
 * The two paths `generateKeyFiles` would write, after checking the name and that neither file
 * exists (unless `force`). Throws InputError (exit 2) with nothing written.
 */
export async function checkKeyFiles(
  opts: GenerateKeyFilesOptions = {},
): Promise<{ dir: string; privateFile: string; publicFile: string }> {
  const dir = resolve(expandHome(opts.dir ?? '~/.oci'));
  const name = opts.name ?? 'oci_api_key';
  if (!SAFE_NAME.test(name) || name.endsWith('.pem')) {
    throw new InputError(`--name ${echoValue(name)} is not a plain file name`, {
      hint: 'use letters, digits, ".", "_" or "-" without a folder or a .pem suffix (default oci_api_key)',
    });
  }
  const privateFile = join(dir, `${name}.pem`);
  const publicFile = join(dir, `${name}_public.pem`);
  const dirKind = await entryKind(dir);
  if (dirKind === 'file')
    throw new InputError(`--dir ${dir} is a file, not a folder`, { hint: 'choose another --dir' });

  const existing: string[] = [];
  for (const file of [privateFile, publicFile]) {
    const kind = await entryKind(file);
    if (kind === 'dir')
      throw new InputError(`${file} is a directory`, { hint: 'choose another --dir or --name' });
    await assertReplaceable(file);
    if (kind === 'file' && !opts.force) existing.push(file);
  }
  if (existing.length > 0) {
    throw new InputError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`,
      {
        hint: 'pass --force to replace the key pair (the old key stops working once removed from OCI), or choose another --name',
      },
    );
  }
  return { dir, privateFile, publicFile };
}

async function entryKind(path: string): Promise<'none' | 'file' | 'dir'> {
  try {
    const st = await stat(path);
    return st.isDirectory() ? 'dir' : 'file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    if (code === 'ENOTDIR')
      throw new InputError(`${path}: a part of the folder path is a file`, { hint: 'choose another --dir' });
    if (code === 'EACCES')
      throw new InputError(`cannot look at ${path}: permission denied`, {
        hint: 'choose a folder you can write to',
      });
    throw err;
  }
}
