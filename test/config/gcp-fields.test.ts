import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gcpOverrideProblems } from '../../src/config/render/gcp-override.js';

describe('GCP override field table', () => {
  it('is generated from the installed @google-cloud/compute (regenerate after an upgrade)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-gcp-fields.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it("accepts the seed page's override and real nested fields, maps with any key", () => {
    expect(gcpOverrideProblems({ shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true, enableVtpm: true } })).toEqual([]);
    expect(gcpOverrideProblems({ scheduling: { preemptible: true, onHostMaintenance: 'TERMINATE' }, disks: [{ initializeParams: { resourceManagerTags: { 'tagKeys/1': 'tagValues/2' } } }] })).toEqual([]);
  });

  it('names every misspelt key with its path, inside lists too', () => {
    const problems = gcpOverrideProblems({ disks: [{ autoDelete: true }, { autoDelte: true }], tags: { itemz: [] } });
    expect(problems.map((p) => p.path)).toEqual([['disks', 1, 'autoDelte'], ['tags', 'itemz']]);
    expect(problems[0].message).toContain('did you mean "autoDelete"?');
  });
});
