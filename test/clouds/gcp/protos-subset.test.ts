import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { GCP_SERVICES, pruneComputeProtos } from '../../../scripts/gen-gcp-protos.mjs';

const require = createRequire(import.meta.url);
const root = join(__dirname, '../../..');
/** The clients the adapter (client.ts) and doctor (gcp-clients.ts) build (as in load.test.ts). */
const USED = [
  'InstancesClient',
  'ZoneOperationsClient',
  'MachineTypesClient',
  'ProjectsClient',
  'ZonesClient',
  'ImagesClient',
  'NetworksClient',
  'SubnetworksClient',
  'AcceleratorTypesClient',
];

type Json = {
  nested?: Record<string, Json>;
  methods?: Record<string, { requestType: string; responseType: string }>;
  [k: string]: unknown;
};

/**
 * The compute protos subset (scripts/gen-gcp-protos.mjs) that the GCP clients get instead of
 * the package's 11.7 MB protos.json: complete for our services (protobufjs resolves every
 * type in it), and each definition it keeps is the package's own, unchanged.
 */
describe('compute protos subset', () => {
  const full = require('@google-cloud/compute/build/protos/protos.json') as Json;
  const subset = pruneComputeProtos(full) as Json;
  const v1 = (j: Json) => j.nested!.google.nested!.cloud.nested!.compute.nested!.v1.nested!;

  it('covers every service our clients call', () => {
    expect([...GCP_SERVICES].sort()).toEqual(USED.map((n) => n.replace(/Client$/, '')).sort());
  });

  it('resolves completely in protobufjs and keeps the package definitions as they are', () => {
    const { protobuf } = require('google-gax') as {
      protobuf: {
        Root: {
          fromJSON(j: unknown): {
            resolveAll(): unknown;
            lookupService(n: string): { methods: Record<string, unknown> };
          };
        };
      };
    };
    const r = protobuf.Root.fromJSON(subset);
    expect(() => r.resolveAll()).not.toThrow(); // throws on any type it cannot find
    for (const s of GCP_SERVICES)
      expect(Object.keys(r.lookupService(`google.cloud.compute.v1.${s}`).methods)).toEqual(
        Object.keys(v1(full)[s].methods!),
      );
    for (const [name, def] of Object.entries(v1(subset))) expect(def, name).toBe(v1(full)[name]);
    expect(Object.keys(v1(subset)).length).toBeLessThan(Object.keys(v1(full)).length / 4);
    expect(subset.nested!.google.nested!.cloud.nested!.compute.nested!.v1beta).toBeUndefined();
  });

  it('a pruned root without a needed type does not resolve (control)', () => {
    const { protobuf } = require('google-gax') as {
      protobuf: { Root: { fromJSON(j: unknown): { resolveAll(): unknown } } };
    };
    const broken = pruneComputeProtos(full) as Json;
    delete v1(broken).AttachedDisk;
    expect(() => protobuf.Root.fromJSON(broken).resolveAll()).toThrow(/AttachedDisk/);
  });

  it.runIf(existsSync(join(root, 'dist/clouds/gcp/compute-protos.json')))(
    'the built loader hands the subset to the client modules',
    () => {
      const script = `
      const { loadGcpClients } = await import('./dist/clouds/gcp/load.js');
      const { createRequire } = await import('node:module');
      const [Instances] = await loadGcpClients('InstancesClient', 'ZoneOperationsClient', 'MachineTypesClient');
      const c = new Instances({ credentials: { client_email: 'a@b.c', private_key: 'x' }, scopes: [], projectId: 'p', fallback: true });
      const req = createRequire(import.meta.url);
      console.log(JSON.stringify({ v1beta: Boolean(c._protos.lookup('google.cloud.compute.v1beta')), instances: Boolean(c._protos.lookupService('google.cloud.compute.v1.Instances')), full: Object.keys(req.cache).some((k) => k.endsWith('protos.json') && !req.cache[k].kasmScaleServices) }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ v1beta: false, instances: true, full: false });
    },
    60_000,
  );
});
