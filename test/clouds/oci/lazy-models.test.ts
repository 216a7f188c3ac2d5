import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/**
 * oci-core's model index, replaced by a table of getters that load each model module on
 * first use: the same names, and each name the very object the SDK's own index exports.
 */
describe("oci-core's model table, loaded lazily", () => {
  it('exports every name of the real index, each the same object, and loads only what is used', async () => {
    const indexPath = require.resolve('oci-core/lib/model/index.js');
    const modelFiles = () =>
      Object.keys(require.cache).filter((k) => k.includes('/oci-core/lib/model/')).length;
    // The client module installs the table as it loads (before oci-core).
    await import('../../../src/clouds/oci/client.js');
    const lazy = require.cache[indexPath]!.exports as Record<string, unknown>;
    const loadedAtStart = modelFiles();
    expect(loadedAtStart).toBeLessThan(100); // the real index loads ~720

    // The real index, compiled on its own: its requires of "./x" share the cache with ours.
    const real = new Module(indexPath) as Module & {
      _compile(code: string, file: string): void;
      paths: string[];
    };
    real.filename = indexPath;
    real.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
      indexPath,
    );
    real._compile(readFileSync(indexPath, 'utf8'), indexPath);
    const names = Object.keys(real.exports as object);
    expect(names.length).toBeGreaterThan(700);
    expect(Object.keys(lazy).sort()).toEqual([...names].sort());
    for (const n of names) expect(lazy[n], n).toBe((real.exports as Record<string, unknown>)[n]);
  });
});
