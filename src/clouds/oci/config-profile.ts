import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fsErrorToInput, InputError } from '../../core/errors.js';
import { assertReplaceable, expandHome, writeSecretFileAtomic } from '../../core/files.js';
import { echoValue } from '../../core/echo.js';
import { findSections, splitLines, upsertSection } from './ini.js';
import { inspectKey, keySizeProblem } from './key-inspect.js';
import { ocidError, regionError } from './ocid.js';

export interface OciConfigOptions {
  user: string;
  tenancy: string;
  region: string;
  keyFile: string;
  profile?: string;
  /** Default ~/.oci/config (oci-cli's). */
  config?: string;
  force?: boolean;
  passphrase?: Buffer;
  /** Also store the passphrase as `pass_phrase` (the SDK and oci-cli read it from there). */
  savePassphrase?: boolean;
}

export interface OciConfigResult {
  config_file: string;
  profile: string;
  /** 'added' a new profile or 'replaced' an existing one. */
  action: 'added' | 'replaced';
  user: string;
  tenancy: string;
  region: string;
  key_file: string;
  fingerprint: string;
  /** True when the key is encrypted and no pass_phrase was written. */
  passphrase_needed: boolean;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/**
 * `keys oci-config`: adds or replaces one profile in an oci-cli compatible config file.
 * Everything is checked (OCIDs, region, the key opens, the profile may be written) before
 * the file is touched; the write is atomic and leaves the file 0600.
 */
export async function writeOciConfigProfile(opts: OciConfigOptions): Promise<OciConfigResult> {
  const profile = opts.profile ?? 'DEFAULT';
  if (!PROFILE_NAME.test(profile)) {
    throw new InputError(`--profile ${echoValue(profile)} is not a usable profile name`, {
      hint: 'use letters, digits, ".", "_", "@" or "-" (default DEFAULT)',
    });
  }
  const userProblem = ocidError(opts.user, 'user');
  if (userProblem)
    throw new InputError(`--user: ${userProblem}`, {
      hint: 'copy it from the OCI console: Profile → User Settings → OCID',
    });
  const tenancyProblem = ocidError(opts.tenancy, 'tenancy');
  if (tenancyProblem)
    throw new InputError(`--tenancy: ${tenancyProblem}`, {
      hint: 'copy it from the OCI console: Profile → Tenancy → OCID',
    });
  const regionProblem = regionError(opts.region);
  if (regionProblem) throw new InputError(`--region: ${regionProblem}`);

  const keyFile = resolve(expandHome(opts.keyFile));
  let keyText: string;
  try {
    keyText = await readFile(keyFile, 'utf8');
  } catch (err) {
    throw fsErrorToInput(err, keyFile, 'key file');
  }
  const key = inspectKey(keyText, opts.passphrase, { source: `key file ${keyFile}` });
  if (key.kind !== 'private') {
    throw new InputError(`key file ${keyFile} is a public key; the profile needs the private key`, {
      hint: 'give the .pem without _public (the public half goes into the OCI console)',
    });
  }
  const weak = keySizeProblem(key, `key file ${keyFile}`);
  if (weak) throw new InputError(weak);
  if (opts.savePassphrase) {
    if (!opts.passphrase || !key.encrypted)
      throw new InputError('--save-passphrase needs an encrypted key and --passphrase-file', {
        hint: 'leave it out for a key without a passphrase',
      });
    if (
      /[\r\n]/.test(opts.passphrase.toString('utf8')) ||
      opts.passphrase.toString('utf8').trim() !== opts.passphrase.toString('utf8')
    ) {
      throw new InputError(
        'the passphrase cannot be stored in the config file: it starts or ends with spaces or holds a newline',
        {
          hint: 'the config format trims values; store a passphrase without surrounding whitespace, or leave out --save-passphrase',
        },
      );
    }
  }

  const configFile = resolve(expandHome(opts.config ?? '~/.oci/config'));
  // Bytes, not text: the other profiles are written back exactly as they were.
  let bytes = Buffer.alloc(0);
  await assertReplaceable(configFile); // before reading too: a FIFO would block the read
  try {
    bytes = await readFile(configFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw fsErrorToInput(err, configFile, 'config file');
  }
  const sections = findSections(splitLines(bytes.toString('latin1')), profile);
  if (sections.length > 1) {
    throw new InputError(`config file ${configFile} has profile [${profile}] ${sections.length} times`, {
      hint: 'remove the extra copies by hand, then run again',
    });
  }
  if (sections.length === 1 && !opts.force) {
    throw new InputError(`profile [${profile}] already exists in ${configFile}; nothing was written`, {
      hint: 'pass --force to replace it, or choose another --profile',
    });
  }

  const entries: Array<[string, string]> = [
    ['user', opts.user.trim()],
    ['fingerprint', key.fingerprint],
    ['tenancy', opts.tenancy.trim()],
    ['region', opts.region.trim()],
    ['key_file', keyFile],
  ];
  if (opts.savePassphrase && opts.passphrase) entries.push(['pass_phrase', opts.passphrase.toString('utf8')]);
  await writeSecretFileAtomic(configFile, upsertSection(bytes, profile, entries));

  return {
    config_file: configFile,
    profile,
    action: sections.length === 1 ? 'replaced' : 'added',
    user: opts.user.trim(),
    tenancy: opts.tenancy.trim(),
    region: opts.region.trim(),
    key_file: keyFile,
    fingerprint: key.fingerprint,
    passphrase_needed: key.encrypted && !opts.savePassphrase,
  };
}
