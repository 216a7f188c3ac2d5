/**
 * `kasm-scale keys generate | fingerprint | oci-config`: each subcommand's body, flags in,
 * output and an exit code out.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Output } from '../core/output.js';
import { fsErrorToInput, InputError } from '../core/errors.js';
import { expandHome, readInput } from '../core/files.js';
import { inspectKey } from '../clouds/oci/key-inspect.js';
import type { OciConfigOptions } from '../clouds/oci/config-profile.js';
import { readPassphraseFile } from './passphrase.js';

/** What the command modules hand over: the parsed flags of each `keys` subcommand. */
export interface GenerateFlags {
  dir?: string;
  name?: string;
  passphraseFile?: string;
  force?: boolean;
}

export interface FingerprintFlags {
  passphraseFile?: string;
}

/** `keys oci-config`: the library's options, the passphrase given as a file to read. */
export type OciConfigFlags = Omit<OciConfigOptions, 'passphrase'> & { passphraseFile?: string };

const CONSOLE_STEPS =
  'OCI console: Profile (top right) → User Settings → API keys → Add API Key → Paste a public key';

/** `keys generate` */
export async function generateCommand(flags: GenerateFlags, out: Output): Promise<number> {
  // node-forge is loaded by `keys generate` only (fingerprint and oci-config do not need it).
  const { checkKeyFiles, generateKeyFiles } = await import('../clouds/oci/key-generate.js');
  const passphrase = flags.passphraseFile ? await readPassphraseFile(flags.passphraseFile) : undefined;
  await checkKeyFiles({ dir: flags.dir, name: flags.name, force: flags.force });
  const progress = out.progress('generating an RSA 2048 key pair');
  let result;
  try {
    result = await generateKeyFiles({ dir: flags.dir, name: flags.name, passphrase, force: flags.force });
  } catch (err) {
    progress.stop();
    throw err;
  }
  progress.succeed(`wrote ${result.private_key_file} and ${result.public_key_file} (0600)`);
  if (out.json) {
    out.printJson(result);
    return 0;
  }
  const c = out.colorOut;
  out.result(`${c.bold('Fingerprint:')} ${result.fingerprint}`);
  out.result(
    `${c.bold('Private key:')} ${result.private_key_file}${passphrase ? ' (encrypted)' : ''}  — keep it secret`,
  );
  out.result(`${c.bold('Public key:')}  ${result.public_key_file}`);
  out.result('');
  out.result(result.public_key_pem.trimEnd());
  out.result('');
  out.result(`Paste the public key above in the ${CONSOLE_STEPS}.`);
  out.result(
    `Then write the profile: kasm-scale keys oci-config --user OCID --tenancy OCID --region REGION --key-file ${result.private_key_file}`,
  );
  return 0;
}

/** `keys fingerprint FILE` */
export async function fingerprintCommand(
  file: string,
  flags: FingerprintFlags,
  out: Output,
): Promise<number> {
  if (file === '-' && flags.passphraseFile === '-') {
    throw new InputError('the key and the passphrase cannot both come from stdin', {
      hint: 'give one of them as a file',
    });
  }
  const where = file === '-' ? 'key on stdin' : `key file ${resolve(expandHome(file))}`;
  const bytes = file === '-' ? await readInput('-', 'key') : await readKeyFile(file);
  const passphrase = flags.passphraseFile ? await readPassphraseFile(flags.passphraseFile) : undefined;
  const info = inspectKey(bytes.toString('utf8'), passphrase, { source: where });
  if (out.json) {
    out.printJson({
      file: file === '-' ? null : resolve(expandHome(file)),
      kind: info.kind,
      encrypted: info.encrypted,
      bits: info.bits,
      fingerprint: info.fingerprint,
      public_key_pem: info.publicKeyPem,
    });
    return 0;
  }
  out.result(info.fingerprint);
  out.debug(`${where}: RSA ${info.bits}-bit ${info.kind} key${info.encrypted ? ', encrypted' : ''}`);
  return 0;
}

async function readKeyFile(file: string): Promise<Buffer> {
  const path = resolve(expandHome(file));
  try {
    return await readFile(path);
  } catch (err) {
    throw fsErrorToInput(err, path, 'key file');
  }
}

/** `keys oci-config` */
export async function ociConfigCommand(flags: OciConfigFlags, out: Output): Promise<number> {
  const { writeOciConfigProfile } = await import('../clouds/oci/config-profile.js');
  const passphrase = flags.passphraseFile ? await readPassphraseFile(flags.passphraseFile) : undefined;
  const result = await writeOciConfigProfile({
    user: flags.user,
    tenancy: flags.tenancy,
    region: flags.region,
    keyFile: flags.keyFile,
    profile: flags.profile,
    config: flags.config,
    force: flags.force,
    passphrase,
    savePassphrase: flags.savePassphrase,
  });
  if (result.passphrase_needed) {
    out.warn(
      `the key is encrypted and its passphrase is not in the profile: the OCI SDK and oci-cli read it from pass_phrase (rerun with --save-passphrase to store it; the file is 0600)`,
    );
  }
  if (out.json) {
    out.printJson(result);
    return 0;
  }
  out.result(
    `${result.action === 'added' ? 'Added' : 'Replaced'} profile [${result.profile}] in ${result.config_file} (0600)`,
  );
  out.result(`  user=${result.user}`);
  out.result(`  fingerprint=${result.fingerprint}`);
  out.result(`  tenancy=${result.tenancy}`);
  out.result(`  region=${result.region}`);
  out.result(`  key_file=${result.key_file}`);
  out.result(
    `Check that this fingerprint is listed under the ${CONSOLE_STEPS.replace(' → Add API Key → Paste a public key', '')}.`,
  );
  return 0;
}
