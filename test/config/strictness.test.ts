import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemLine } from '../../src/config/problems.js';
import { tempDir } from '../helpers/cli.js';
import { ociFingerprint } from '../helpers/keys.js';
import { baseConfig, check } from './fixtures.js';

type Cfg = ReturnType<typeof baseConfig>;
type Case = [name: string, mutate: (c: Cfg) => void, path: string, message: string];

const oci = (c: Cfg) => c.providers[0];
const gcp = (c: Cfg) => c.providers[1];

/** Inputs that used to pass (or be read as something else) and must each be one problem. */
const CASES: Case[] = [
  // Object.prototype members are not fields of a GCP Instance (OCI already refused them).
  [
    'override key "constructor"',
    (c) => (gcp(c).gcp_config_override = { constructor: 1 }),
    'providers[1].gcp_config_override.constructor',
    'is not a field of the GCP Instance',
  ],
  [
    'override key "toString"',
    (c) => (gcp(c).gcp_config_override = '{"scheduling": {"toString": true}}'),
    'providers[1].gcp_config_override.scheduling.toString',
    'is not a field of the GCP Scheduling',
  ],
  [
    'nested override key "__proto__"',
    (c) => (gcp(c).gcp_config_override = '{"scheduling": {"__proto__": {"preemptible": true}}}'),
    'providers[1].gcp_config_override.scheduling.__proto__',
    'is not a field',
  ],
  // Names are printed in every report: a control character would drive the terminal.
  [
    'ESC in a provider name',
    (c) => (
      (oci(c).vm_provider_config_name = 'oci-a\u001b[2J'),
      (c.autoscale[0].vm_provider_config_name = 'oci-a\u001b[2J')
    ),
    'providers[0].vm_provider_config_name',
    'control character',
  ],
  [
    'BEL in a pool name',
    (c) => (c.autoscale[1].autoscale_config_name = 'gcp pool\u0007'),
    'autoscale[1].autoscale_config_name',
    'control character',
  ],
  [
    'newline in a pool name',
    (c) => (c.autoscale[0].autoscale_config_name = 'oci\npool'),
    'autoscale[0].autoscale_config_name',
    'control character',
  ],
  // ${...} that is not a variable reference is a mistake, not literal text.
  [
    'empty ${}',
    (c) => (c.kasm.api_key = 'k${}'),
    'kasm.api_key',
    '"${}" is not an environment variable reference',
  ],
  [
    '${BAD-NAME}',
    (c) => (oci(c).oci_region = '${OCI-REGION}'),
    'providers[0].oci_region',
    '"${OCI-REGION}" is not an environment variable reference',
  ],
  // kasm-scale marks its instances with kasm-scale-* freeform tags; a user tag would be overwritten.
  [
    'reserved OCI tag',
    (c) => (oci(c).oci_custom_tags = { 'kasm-scale-pool': 'mine' }),
    'providers[0].oci_custom_tags.kasm-scale-pool',
    'tag "kasm-scale-pool" is reserved',
  ],
  [
    'OCI key of 1024 bits',
    (c) => ((oci(c).oci_private_key = weakKey().pem), (oci(c).oci_fingerprint = weakKey().fingerprint)),
    'providers[0].oci_private_key',
    'is a 1024-bit RSA key; OCI requires at least 2048 bits',
  ],
];

let weak: { pem: string; fingerprint: string } | undefined;
function weakKey() {
  if (!weak) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    weak = {
      pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      fingerprint: ociFingerprint(privateKey),
    };
  }
  return weak;
}

describe('config validate: strict about names, references, reserved keys and key sizes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it.each(CASES)('%s', async (_name, mutate, path, message) => {
    const cfg = baseConfig();
    mutate(cfg);
    const r = await check(dir, cfg);
    expect(r.config).toBeUndefined();
    const hit = r.problems.find((p) => p.path === path && p.message.includes(message));
    expect(
      hit,
      `expected ${path}: ${message}\ngot:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    ).toBeDefined();
    // Whatever the value holds, the line printed for it has no raw control character.
    for (const p of r.problems) expect(problemLine(p)).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('${NAME} and $${ still work next to the new checks', async () => {
    const cfg = baseConfig();
    cfg.kasm.api_key = '${KS_TEST_KEY}-$${literal}';
    const r = await check(dir, cfg, { env: { KS_TEST_KEY: 'abc' } });
    expect(r.problems).toEqual([]);
    expect(r.config?.kasm.api_key).toBe('abc-${literal}');
  });

  it('reports a startup-script metadata clash and a duplicate metadata key in the same run', async () => {
    const cfg = baseConfig();
    gcp(cfg).gcp_metadata = [
      { key: 'startup-script', value: 'echo hi' },
      { key: 'team', value: 'a' },
      { key: 'team', value: 'b' },
    ];
    const r = await check(dir, cfg);
    const lines = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(
      lines.some(
        (l) =>
          l.startsWith('providers[1].gcp_metadata[0].key:') &&
          l.includes('is where kasm-scale puts startup_script'),
      ),
      lines.join('\n'),
    ).toBe(true);
    expect(
      lines.some((l) => l.includes('team')),
      lines.join('\n'),
    ).toBe(true);
  });

  it('reports an accelerator in another zone next to a malformed accelerator', async () => {
    const cfg = baseConfig();
    const zone = String(gcp(cfg).gcp_zone);
    gcp(cfg).gcp_guest_accelerators = [
      { acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 0 },
      {
        acceleratorType: `projects/kasm-test-project/zones/${zone === 'us-east1-b' ? 'us-west1-a' : 'us-east1-b'}/acceleratorTypes/nvidia-tesla-t4`,
        acceleratorCount: 1,
      },
    ];
    const r = await check(dir, cfg);
    const lines = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(
      lines.some((l) => l.startsWith('providers[1].gcp_guest_accelerators[0]')),
      lines.join('\n'),
    ).toBe(true);
    expect(
      lines.some(
        (l) =>
          l.startsWith('providers[1].gcp_guest_accelerators[1].acceleratorType:') && l.includes('is in zone'),
      ),
      lines.join('\n'),
    ).toBe(true);
  });

  it('a YAML alias bomb is a problem at file:line (exit 2), not a crash', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = await check(dir, undefined, { text: `${levels.join('\n')}\n` });
    expect(r.config).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].line).toBeGreaterThan(0);
    expect(r.problems[0].message).toMatch(/aliases .* expand to too much data/);
  });
});
