import { describe, expect, it } from 'vitest';
import { CLOUD_LIST } from '../../src/clouds/registry.js';
import { FILE_KEYS } from '../../src/config/loader/files.js';
import { SECRET_KEYS } from '../../src/config/secret-keys.js';

// What a secret looks like by name, or by the schema's own wording ("Secret: inline, ${ENV}, ...").
const SECRET_NAME = /private_key|passphrase|credentials|secret|token|password/;
const says = (schema: unknown) => (schema as { description?: string }).description ?? '';

describe('each cloud declares its secrets and its *_file keys', () => {
  for (const cloud of CLOUD_LIST) {
    const keys = Object.keys(cloud.fields);

    it(`${cloud.name}: every secret-ish key of its schema is declared secret`, () => {
      const secretish = keys.filter(
        (k) => !k.endsWith('_file') && (SECRET_NAME.test(k) || /\bSecret:/.test(says(cloud.fields[k]))),
      );
      expect(secretish.length).toBeGreaterThan(0);
      for (const k of secretish) expect(cloud.secretKeys, k).toContain(k);
      for (const k of cloud.secretKeys) expect(keys, k).toContain(k);
      for (const k of cloud.secretKeys) expect(SECRET_KEYS.has(k), k).toBe(true);
    });

    it(`${cloud.name}: every *_file key of its schema is read into a key of its schema`, () => {
      for (const k of keys.filter((k) => k.endsWith('_file') && !cloud.pathKeys?.includes(k))) {
        expect(cloud.fileKeys[k], k).toBe(k.slice(0, -'_file'.length));
        expect(FILE_KEYS[k], k).toBe(cloud.fileKeys[k]);
      }
      for (const k of cloud.pathKeys ?? []) {
        expect(keys, k).toContain(k);
        expect(FILE_KEYS[k], k).toBeUndefined();
      }
      for (const [fileKey, target] of Object.entries(cloud.fileKeys)) {
        expect(keys, fileKey).toContain(fileKey);
        expect(keys, target).toContain(target);
      }
    });
  }
});
