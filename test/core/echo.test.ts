/**
 * A secret pasted into the wrong field is never echoed: a problem or an error shows its
 * kind and length, never the text. One rule (src/core/echo.ts) for config problems,
 * `keys oci-config` flags and init answers; ordinary values are still shown.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemLine } from '../../src/config/problems.js';
import { writeOciConfigProfile } from '../../src/clouds/oci/config-profile.js';
import { echoValue, secretKind } from '../../src/core/echo.js';
import { baseConfig, check, testKeys } from '../config/fixtures.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { ociAnswers, writeAnswers } from '../init/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('kasm-scale-echo-')));
afterAll(() => cleanup?.());

/** Pieces of the secret that must not appear anywhere: its PEM header and any 16 characters of its body. */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  if (/BEGIN [A-Z ]*PRIVATE KEY/.test(text)) found.push('PEM header');
  const body = secret.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  for (let i = 0; i + 16 <= body.length; i += 8)
    if (text.includes(body.slice(i, i + 16))) found.push(body.slice(i, i + 16));
  return found;
}

describe('echoValue', () => {
  it('describes PEM blocks, JSON key files and long random strings by kind and length; shows the rest', () => {
    const pem = testKeys().ociPem;
    expect(echoValue(pem)).toBe(`a PEM private key of ${pem.length} characters (not shown)`);
    const json = JSON.stringify(testKeys().gcpKeyJson);
    expect(echoValue(json)).toBe(`a JSON key file of ${json.length} characters (not shown)`);
    expect(secretKind(randomBytes(16).toString('hex'))).toMatch(/random-looking/);
    expect(secretKind(randomBytes(30).toString('base64'))).toMatch(/random-looking/);
    for (const ordinary of [
      'us-ashburn-1',
      'ocid1.user.oc1..aaaaaaaauser4kasmscaletest0000000000000000000000000000000',
      'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99',
      'ubuntu-2204-jammy-v20240126',
      'my-project-123456789012',
      '/home/a/.oci/oci_api_key.pem',
    ])
      expect(secretKind(ordinary), ordinary).toBeUndefined();
    expect(echoValue('IAD')).toBe("'IAD'");
    expect(echoValue('a\nb')).toBe("'a\\nb'");
  });
});

describe('secrets in the wrong field', () => {
  it('config: a private key in oci_user_ocid and in oci_region, a key file JSON in oci_region, a token in oci_tenancy_ocid', async () => {
    const pem = testKeys().ociPem;
    const json = JSON.stringify(testKeys().gcpKeyJson);
    const token = randomBytes(24).toString('base64');
    for (const [key, value] of [
      ['oci_user_ocid', pem],
      ['oci_region', pem],
      ['oci_region', json],
      ['oci_tenancy_ocid', token],
    ] as const) {
      const doc = baseConfig();
      doc.providers[0][key] = value;
      const r = await check(dir, doc);
      const lines = r.problems.map((p) => problemLine(p)).join('\n');
      expect(lines, key).toContain(`providers[0].${key}`);
      expect(lines).toMatch(
        /(a PEM private key|a JSON key file|a long random-looking string \(a key or token\?\)) of \d+ characters/,
      );
      expect(leaks(lines, value), `${key}: ${lines}`).toEqual([]);
      expect(lines).not.toContain(value.slice(0, 20));
      for (const line of lines.split('\n')) expect(line).not.toMatch(/\r/);
    }
  });

  it('keys oci-config --user / --region with a private key', async () => {
    const pem = testKeys().ociPem;
    const base = {
      user: 'ocid1.user.oc1..aaaaaaaauser4kasmscaletest0000000000000000000000000000000',
      tenancy: 'ocid1.tenancy.oc1..aaaaaaaatenancy4kasmscaletest00000000000000000000000000',
      region: 'us-ashburn-1',
      keyFile: join(dir, 'none.pem'),
      config: join(dir, 'oci-config'),
    };
    for (const override of [{ user: pem }, { region: pem }]) {
      const err = await writeOciConfigProfile({ ...base, ...override }).catch((e) => e);
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain(`a PEM private key of ${pem.trim().length} characters (not shown)`);
      expect(leaks(`${err.message} ${err.hint ?? ''}`, pem)).toEqual([]);
    }
  });

  it('init --answers with a private key as oci_user_ocid (built CLI)', async () => {
    const pem = testKeys().ociPem;
    const work = join(dir, 'init');
    const answers = writeAnswers(work, ociAnswers({ oci_user_ocid: pem }));
    const r = await runCli(['init', '--answers', answers, '--yes'], {
      env: { HOME: join(work, 'home'), XDG_CONFIG_HOME: '', KASM_SCALE_CONFIG: '' },
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('oci_user_ocid');
    expect(r.stderr).toContain('a PEM private key of');
    expect(leaks(r.stdout + r.stderr, pem)).toEqual([]);
  });
});
