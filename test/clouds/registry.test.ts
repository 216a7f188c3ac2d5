import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_LIST, CLOUDS } from '../../src/clouds/registry.js';
import { tempDir } from '../helpers/cli.js';
import { baseConfig, check } from '../config/fixtures.js';

const require = createRequire(import.meta.url);
const sdkText = (pkg: string, file: string) =>
  readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file), 'utf8');

describe('cloud registry', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('files each cloud under its own vm_provider_name', () => {
    for (const [key, cloud] of Object.entries(CLOUDS)) expect(cloud.name).toBe(key);
    expect(CLOUD_LIST.map((c) => c.name)).toEqual(Object.keys(CLOUDS));
  });

  // `config render` labels each body with the SDK type it is passed as; the SDKs say which.
  it('labels each launch body with the type its SDK takes', () => {
    expect(sdkText('oci-core', 'lib/request/launch-instance-request.d.ts')).toContain(
      `"launchInstanceDetails": model.${CLOUDS.oci.render.kind};`,
    );
    expect(sdkText('@google-cloud/compute', 'build/protos/protos.d.ts')).toContain(
      `instanceResource?: (google.cloud.compute.v1.I${CLOUDS.gcp.render.kind}|null);`,
    );
  });

  it('never words a problem of an unknown cloud with another cloud’s keys', async () => {
    const c = baseConfig();
    c.providers = [{ vm_provider_name: 'azure', vm_provider_config_name: 'az', oci_shap: 'x', gcp_zon: 'y' }];
    c.autoscale = [];
    const r = await check(dir, c);
    const text = JSON.stringify(r.problems);
    expect(text).toContain('expected vm_provider_name: oci or gcp');
    expect(text).not.toMatch(/did you mean "(oci|gcp)_/);
  });
});
