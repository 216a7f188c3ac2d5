import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gcpOverrideProblems } from '../../src/clouds/gcp/override.js';

describe('GCP override field table', () => {
  it('is generated from the installed @google-cloud/compute (regenerate after an upgrade)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/gen-gcp-fields.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it("accepts the seed page's override and real nested fields, maps with any key", () => {
    expect(
      gcpOverrideProblems({
        shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true, enableVtpm: true },
      }),
    ).toEqual([]);
    expect(
      gcpOverrideProblems({
        scheduling: { preemptible: true, onHostMaintenance: 'TERMINATE' },
        disks: [{ initializeParams: { resourceManagerTags: { 'tagKeys/1': 'tagValues/2' } } }],
      }),
    ).toEqual([]);
  });

  it('names every misspelt key with its path, inside lists too', () => {
    const problems = gcpOverrideProblems({
      disks: [{ autoDelete: true }, { autoDelte: true }],
      tags: { itemz: [] },
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['disks', 1, 'autoDelte'],
      ['tags', 'itemz'],
    ]);
    expect(problems[0].message).toContain('did you mean "autoDelete"?');
  });
});

describe('GCP override values against the compute protos', () => {
  it('accepts the right types and enum values (int64 as a string of digits or a number)', () => {
    expect(
      gcpOverrideProblems({
        scheduling: {
          automaticRestart: false,
          onHostMaintenance: 'TERMINATE',
          provisioningModel: 'SPOT',
          instanceTerminationAction: 'DELETE',
        },
        advancedMachineFeatures: { threadsPerCore: 1, enableNestedVirtualization: true },
        disks: [
          { boot: true, initializeParams: { diskSizeGb: '50' } },
          { initializeParams: { diskSizeGb: 100 } },
        ],
        networkInterfaces: [{ accessConfigs: [{ type: 'ONE_TO_ONE_NAT', networkTier: 'STANDARD' }] }],
        shieldedInstanceConfig: { enableSecureBoot: true },
      }),
    ).toEqual([]);
  });

  it('names every wrong value with its path: enums (did you mean), booleans, integers, strings, ranges, lists', () => {
    const problems = gcpOverrideProblems({
      scheduling: { automaticRestart: 'false', onHostMaintenance: 'TERMINAT', provisioningModel: 'spot' },
      advancedMachineFeatures: { threadsPerCore: 3, visibleCoreCount: 'two' },
      disks: [{ initializeParams: { diskSizeGb: 'fifty' } }],
      guestAccelerators: [{ acceleratorCount: 3000000000 }],
      description: 5,
      tags: { items: 'web' },
    });
    expect(problems.map((p) => [p.path.join('.'), p.message])).toEqual([
      ['scheduling.automaticRestart', 'expected true or false (a boolean, not a string)'],
      ['scheduling.onHostMaintenance', 'expected one of MIGRATE, TERMINATE (did you mean "TERMINATE"?)'],
      [
        'scheduling.provisioningModel',
        'expected one of FLEX_START, RESERVATION_BOUND, SPOT, STANDARD (did you mean "SPOT"?)',
      ],
      ['advancedMachineFeatures.threadsPerCore', 'expected 1–2'],
      [
        'advancedMachineFeatures.visibleCoreCount',
        'expected an integer (not a string: write it without quotes)',
      ],
      ['disks.0.initializeParams.diskSizeGb', 'expected an integer (a number or a string of digits)'],
      [
        'guestAccelerators.0.acceleratorCount',
        'expected an integer from -2147483648 to 2147483647 (a int32)',
      ],
      ['description', 'expected a string (quote it: "5")'],
      ['tags.items', 'expected a list'],
    ]);
  });

  it("the library's own fromObject changes such values instead of refusing them (what reaches Google is not what was written)", async () => {
    const { protobuf, serializer } = await import('google-gax');
    const { toProto3JSON } = serializer;
    const { createRequire } = await import('node:module');
    const root = protobuf.Root.fromJSON(
      createRequire(import.meta.url)('@google-cloud/compute/build/protos/protos.json'),
    );
    const Instance = root.lookupType('google.cloud.compute.v1.Instance');
    // The same two steps google-gax's REST transport takes (fallbackRest encodeRequest).
    const wire = (o: object) => toProto3JSON(Instance.fromObject(o)) as Record<string, any>;
    expect(wire({ scheduling: { automaticRestart: 'false' } }).scheduling).toEqual({
      automaticRestart: true,
    });
    expect(wire({ scheduling: { automaticRestart: 'yes' } }).scheduling).toEqual({ automaticRestart: true });
    expect(wire({ advancedMachineFeatures: { visibleCoreCount: 'two' } }).advancedMachineFeatures).toEqual({
      visibleCoreCount: 0,
    });
    expect(wire({ guestAccelerators: [{ acceleratorCount: 3000000000 }] }).guestAccelerators).toEqual([
      { acceleratorCount: -1294967296 },
    ]);
    expect(
      wire({ disks: [{ initializeParams: { diskSizeGb: 'fifty' } }] }).disks[0].initializeParams.diskSizeGb,
    ).toBe('0');
    expect(wire({ scheduling: { onHostMaintenance: 'TERMINAT' } }).scheduling).toEqual({
      onHostMaintenance: 'TERMINAT',
    });
    for (const o of [
      { scheduling: { automaticRestart: 'yes' } },
      { advancedMachineFeatures: { visibleCoreCount: 'two' } },
      { guestAccelerators: [{ acceleratorCount: 3000000000 }] },
      { scheduling: { onHostMaintenance: 'TERMINAT' } },
    ])
      expect(gcpOverrideProblems(o)).toHaveLength(1);
  });
});
