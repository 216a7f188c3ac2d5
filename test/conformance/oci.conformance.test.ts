import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOciClients } from '../../src/clouds/oci/client.js';
import { deepMerge } from '../../src/core/fields/merge.js';
import type { OciEmulator } from '../../src/emulators/oci/index.js';
import { tempDir } from '../helpers/cli.js';
import { AD1, COMPARTMENT, IMAGE, SUBNET, setup, silenceSdkWarnings } from '../clouds/oci/fixture.js';
import { baseConfig, check } from '../config/fixtures.js';
import { OCI_ROOT_MODEL } from '../../src/clouds/oci/fields.generated.js';
import { ociRestProblems } from '../../src/clouds/oci/values.js';
import { OCI_CASES } from './oci-cases.js';
import { ociFieldCases } from './oci-field-cases.js';
import { ociModelDoc, ociModelVerdicts } from './oci-model.js';

/**
 * Every row of OCI_CASES through three independent judges, which must agree with the
 * row and so with each other:
 *  (a) `config validate` (checkConfig, the function behind the command) with the row as
 *      oci_config_override;
 *  (b) the OCI emulator, the body sent by oci-core's ComputeClient.launchInstance;
 *  (c) oci-core's own model typings, compiled (oci-model.ts).
 * Then the whole generated table the same way: every field of every model, a spread of
 * values each, our check against the compiled model (one compile serves both).
 */
silenceSdkWarnings();

const BASE = {
  availabilityDomain: AD1,
  compartmentId: COMPARTMENT,
  shape: 'VM.Standard.E4.Flex',
  shapeConfig: { ocpus: 1, memoryInGBs: 16 },
  sourceDetails: { sourceType: 'image', imageId: IMAGE },
  createVnicDetails: { subnetId: SUBNET },
};
const bodies = OCI_CASES.map((c) => deepMerge(BASE, c.override));
const fieldCases = ociFieldCases();
let compiled: (string | undefined)[] | undefined;
/** oci-core's verdicts: the table rows first, then the field cases. */
const verdicts = () => (compiled ??= ociModelVerdicts([...bodies, ...fieldCases.map((c) => c.body)]));

let emu: OciEmulator;
let compute: Awaited<ReturnType<typeof createOciClients>>['compute'];
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  const s = await setup();
  emu = s.emu;
  compute = createOciClients(s.p).compute;
  tmp = await tempDir();
});
afterAll(async () => {
  await emu?.close();
  await tmp?.cleanup();
});

describe('OCI conformance: config validate, the emulator and oci-core agree on every body', () => {
  it.each(OCI_CASES.map((c, i) => [c.name, i] as const))('(a) config validate: %s', async (_name, i) => {
    const c = OCI_CASES[i];
    const doc = baseConfig();
    doc.providers[0].oci_config_override = { launchInstanceDetails: c.override };
    const { problems } = await check(tmp.dir, doc, { name: `oci-${i}.yaml` });
    const mine = problems.filter((p) => p.path.startsWith('providers[0].oci_config_override'));
    expect(mine.length === 0 && problems.length === 0, JSON.stringify(problems)).toBe(c.valid);
    if (!c.valid) expect(mine[0].line, 'the problem carries the line of the value').toBeGreaterThan(1);
  });

  it.each(OCI_CASES.map((c, i) => [c.name, i] as const))(
    '(b) the emulator, through oci-core: %s',
    async (_name, i) => {
      const c = OCI_CASES[i];
      const answer = await compute.launchInstance({ launchInstanceDetails: bodies[i] as never }).then(
        () => ({ statusCode: 200 }) as { statusCode: number; serviceCode?: string },
        (err: { statusCode: number; serviceCode: string }) => err,
      );
      if (c.valid) expect(answer.statusCode).toBe(200);
      else
        expect(answer).toMatchObject({
          statusCode: 400,
          serviceCode: expect.stringMatching(/^(InvalidParameter|MissingParameter)$/),
        });
    },
  );

  it("(c) oci-core's model typings give the same verdict (ranges: the field's doc comment states them)", () => {
    const theirs = verdicts();
    OCI_CASES.forEach((c, i) => {
      if (c.model === 'documented') {
        expect(theirs[i], `${c.name}: the model types a plain number`).toBeUndefined();
        expect(ociModelDoc(c.docSays!.file)).toMatch(c.docSays!.text);
      } else expect(theirs[i] === undefined, `${c.name}: ${theirs[i]}`).toBe(c.valid);
    });
  });

  it('the generated table agrees with the compiled oci-core model on every field × a spread of values', () => {
    const theirs = verdicts().slice(bodies.length);
    const disagreements = fieldCases.flatMap((c, i) => {
      const ours = ociRestProblems(c.body, { t: 'model', models: [OCI_ROOT_MODEL] });
      return ours.length > 0 === (theirs[i] !== undefined)
        ? []
        : [
            `${c.what}: ours ${ours.length ? `refuses (${ours[0].message})` : 'accepts'}, oci-core ${theirs[i] ?? 'accepts'}`,
          ];
    });
    expect(fieldCases.length).toBeGreaterThan(1000);
    expect(disagreements).toEqual([]);
  });
});
