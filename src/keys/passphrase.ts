import { InputError } from '../core/errors.js';
import { readInput } from '../core/files.js';

/**
 * Reads `--passphrase-file FILE|-`. The bytes are used exactly as they are, a trailing
 * newline included: that is what oci-cli does with its own --passphrase-file, so a key
 * made by either tool opens in the other with the same file.
 */
export async function readPassphraseFile(pathOrDash: string): Promise<Buffer> {
  const bytes = await readInput(pathOrDash, 'passphrase file');
  if (bytes.length === 0) {
    throw new InputError(`passphrase file ${pathOrDash === '-' ? '(stdin)' : pathOrDash} is empty`, {
      hint: 'put the passphrase in it, or leave out --passphrase-file for a key without one',
    });
  }
  if (bytes.length > MAX_PASSPHRASE_BYTES) {
    throw new InputError(
      `passphrase file ${pathOrDash === '-' ? '(stdin)' : pathOrDash} holds ${bytes.length} bytes; a passphrase may have at most ${MAX_PASSPHRASE_BYTES}`,
      {
        hint: 'OpenSSL (and so oci-cli and the OCI SDKs) reads no more of a PEM passphrase; use a shorter one',
      },
    );
  }
  return bytes;
}

/** OpenSSL's PEM passphrase buffer (PEM_BUFSIZE): a longer passphrase cannot open the key anywhere. */
export const MAX_PASSPHRASE_BYTES = 1024;
