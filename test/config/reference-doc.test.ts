import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { CONFIG_DOC_FILE, configReferenceMarkdown } from '../../src/config/reference-doc.js';

describe('docs/config.md (the key reference)', () => {
  it('is what the config schema renders today', async () => {
    const committed = await readFile(resolve(CONFIG_DOC_FILE), 'utf8');
    expect(committed, `${CONFIG_DOC_FILE} is stale: run npm run docs:config`).toBe(
      configReferenceMarkdown(configJsonSchema()),
    );
  });

  it('lists every key of every section with a type and a description', () => {
    const doc = configReferenceMarkdown(configJsonSchema());
    for (const key of [
      'url',
      'concurrency',
      'oci_shape',
      'gcp_machine_type',
      'standby_cores',
      'provision_timeout',
    ]) {
      expect(doc).toMatch(new RegExp(`^\\| \`${key}\` \\| [^|]+ \\|[^|]*\\| .{6,} \\|$`, 'm'));
    }
  });
});
