import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PASSPHRASE_BYTES, readPassphraseFile } from '../../src/keys/passphrase.js';
import { tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('--passphrase-file', () => {
  it('a passphrase over 1024 bytes is refused up front with the limit (OpenSSL reads no more), not as a key that does not read back', async () => {
    const file = join(dir, 'long.txt');
    writeFileSync(file, 'x'.repeat(MAX_PASSPHRASE_BYTES + 1));
    await expect(readPassphraseFile(file)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/holds 1025 bytes; a passphrase may have at most 1024/),
    });
  });

  it('1024 bytes exactly are fine, and kept as they are', async () => {
    const file = join(dir, 'max.txt');
    writeFileSync(file, `${'y'.repeat(MAX_PASSPHRASE_BYTES - 1)}\n`);
    expect((await readPassphraseFile(file)).length).toBe(MAX_PASSPHRASE_BYTES);
  });
});
