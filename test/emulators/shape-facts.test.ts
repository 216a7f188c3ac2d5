/**
 * The shape / machine-type facts agent sizing relies on, anchored in the SDKs' own models:
 * every key the OCI emulator's ListShapes answers is a field of oci-core's Shape (and its
 * ShapeMemoryOptions / ShapeOcpuOptions), every key of the GCP emulator's machine type is a
 * field of @google-cloud/compute's MachineType; a shape without GPUs says `gpus: 0` (OCI) or
 * has no `accelerators` (GCP), and the adapters read that as 0 GPUs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createOciAdapter } from '../../src/clouds/oci/adapter.js';
import { createOciClients } from '../../src/clouds/oci/client.js';
import { defaultSeed } from '../../src/emulators/gcp/seed.js';
import { machineTypeJson } from '../../src/emulators/gcp/index.js';
import type { OciEmulator } from '../../src/emulators/oci/index.js';
import { AD2, COMPARTMENT, setup, silenceSdkWarnings } from '../clouds/oci/fixture.js';

const require = createRequire(import.meta.url);
silenceSdkWarnings();
let emu: OciEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Property names of an oci-core model interface, read from its typings. */
function ociModelFields(file: string): Set<string> {
  const dir = join(dirname(require.resolve('oci-core/package.json')), 'lib', 'model');
  const text = readFileSync(join(dir, file), 'utf8');
  return new Set([...text.matchAll(/^\s+"(\w+)"\??:/gm)].map((m) => m[1]));
}

it('OCI ListShapes answers only Shape fields; gpus is 0 without GPUs, gpuDescription only with them', async () => {
  const s = await setup();
  emu = s.emu;
  const shapeFields = ociModelFields('shape.d.ts');
  const memFields = ociModelFields('shape-memory-options.d.ts');
  const ocpuFields = ociModelFields('shape-ocpu-options.d.ts');
  expect(shapeFields).toContain('gpus');
  const { items } = await createOciClients(s.p).compute.listShapes({
    compartmentId: COMPARTMENT,
    availabilityDomain: AD2,
  });
  expect(items.length).toBeGreaterThan(2);
  for (const shape of items as unknown as Array<Record<string, any>>) {
    expect(
      Object.keys(shape).filter((k) => !shapeFields.has(k)),
      shape.shape,
    ).toEqual([]);
    for (const k of Object.keys(shape.memoryOptions ?? {}))
      expect(memFields, `${shape.shape} memoryOptions.${k}`).toContain(k);
    for (const k of Object.keys(shape.ocpuOptions ?? {}))
      expect(ocpuFields, `${shape.shape} ocpuOptions.${k}`).toContain(k);
    expect(typeof shape.gpus, shape.shape).toBe('number');
    expect('gpuDescription' in shape, shape.shape).toBe(shape.gpus > 0);
  }
  // The adapter reads a shape without GPUs as 0 GPUs, one with them as their count.
  expect(
    (
      await createOciAdapter({
        ...s.p,
        oci_shape: 'VM.Standard2.4',
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }).agentSize()
    ).gpus,
  ).toBe(0);
  expect(
    (
      await createOciAdapter({
        ...s.p,
        oci_shape: 'VM.GPU3.1',
        oci_availability_domains: [AD2],
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      }).agentSize()
    ).gpus,
  ).toBe(1);
});

it('GCP machine types answer only MachineType fields; accelerators only on types with built-in GPUs', () => {
  const protos = require('@google-cloud/compute/build/protos/protos.json');
  const fields = new Set(
    Object.keys(protos.nested.google.nested.cloud.nested.compute.nested.v1.nested.MachineType.fields),
  );
  const accFields = new Set(
    Object.keys(protos.nested.google.nested.cloud.nested.compute.nested.v1.nested.Accelerators.fields),
  );
  const seed = defaultSeed();
  for (const name of [...Object.keys(seed.machineTypes), 'n2-custom-8-32768']) {
    const mt = machineTypeJson(seed, 'p', 'us-central1-a', name) as Record<string, any>;
    expect(
      Object.keys(mt).filter((k) => !fields.has(k)),
      name,
    ).toEqual([]);
    const builtIn = Boolean(seed.machineTypes[name]?.accelerators?.length);
    expect('accelerators' in mt, name).toBe(builtIn);
    for (const a of mt.accelerators ?? [])
      for (const k of Object.keys(a)) expect(accFields, `${name} accelerators.${k}`).toContain(k);
  }
});
