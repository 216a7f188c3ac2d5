import { createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcpClients, type GcpClients } from '../../src/clouds/gcp/client.js';
import { deepMerge } from '../../src/core/fields/merge.js';
import type { GcpEmulator } from '../../src/emulators/gcp/index.js';
import type { GcpServiceAccountKey } from '../../src/config/types.js';
import { tempDir } from '../helpers/cli.js';
import { PROJECT, ZONE, setup } from '../clouds/gcp/fixture.js';
import { baseConfig, check } from '../config/fixtures.js';
import { GCP_CASES } from './gcp-cases.js';
import { computeProtoText, gcpModelVerdict } from './gcp-model.js';

/**
 * Every row of GCP_CASES through three independent judges, which must agree with the row:
 *  (a) `config validate` (checkConfig) with the row as gcp_config_override;
 *  (b) the GCP emulator, sent as raw JSON (as gcloud and any REST client send it: it
 *      must answer 400 with errors[].reason 'invalid'), and through
 *      @google-cloud/compute (which refuses the body, or changes the value on the way:
 *      what arrives is not what was written);
 *  (c) the library's own protobuf handling (gcp-model.ts).
 */
const base = (name: string) => ({
  name,
  machineType: `zones/${ZONE}/machineTypes/e2-standard-4`,
  disks: [
    {
      boot: true,
      autoDelete: true,
      initializeParams: { sourceImage: 'projects/debian-cloud/global/images/family/debian-12' },
    },
  ],
  networkInterfaces: [{ network: 'global/networks/default' }],
});
const body = (i: number, prefix: string) => deepMerge(base(`${prefix}-${i}`), GCP_CASES[i].override);
const valueAt = (root: unknown, path: (string | number)[]) =>
  path.reduce<unknown>(
    (v, seg) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined),
    root,
  );

/** A self-signed service-account JWT, as the library and gcloud send one. */
function jwt(k: GcpServiceAccountKey): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid: k.private_key_id })}.${part({ iss: k.client_email, sub: k.client_email, aud: 'https://compute.googleapis.com/', iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), createPrivateKey(k.private_key)).toString('base64url')}`;
}

let emu: GcpEmulator;
let key: GcpServiceAccountKey;
let clients: GcpClients;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  const s = await setup();
  ({ emu, key } = s);
  clients = await createGcpClients(s.p);
  tmp = await tempDir();
});
afterAll(async () => {
  await clients?.instances.close();
  await emu?.close();
  await tmp?.cleanup();
});

const rows = GCP_CASES.map((c, i) => [c.name, i] as const);

describe('GCP conformance: config validate, the emulator and the library agree on every body', () => {
  it.each(rows)('(a) config validate: %s', async (_name, i) => {
    const c = GCP_CASES[i];
    const doc = baseConfig();
    doc.providers[1].gcp_config_override = c.override;
    const { problems } = await check(tmp.dir, doc, { name: `gcp-${i}.yaml` });
    expect(problems.length === 0, JSON.stringify(problems)).toBe(c.valid);
    if (!c.valid) {
      expect(problems[0].path).toBe(
        `providers[1].gcp_config_override.${c.at
          .map((s) => (typeof s === 'number' ? `[${s}]` : s))
          .join('.')
          .replace(/\.\[/g, '[')}`,
      );
      expect(problems[0].line, 'the problem carries the line of the value').toBeGreaterThan(1);
    }
  });

  it.each(rows)('(b) the emulator, raw JSON as gcloud sends it: %s', async (_name, i) => {
    const res = await fetch(`${emu.url}/compute/v1/projects/${PROJECT}/zones/${ZONE}/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt(key)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(i, 'raw')),
    });
    const json = (await res.json()) as { error?: { code: number; errors: { reason: string }[] } };
    if (GCP_CASES[i].valid) expect(res.status, JSON.stringify(json)).toBe(200);
    else
      expect({ status: res.status, reason: json.error?.errors[0]?.reason }).toEqual({
        status: 400,
        reason: 'invalid',
      });
  });

  it.each(rows)(
    '(b) the emulator, through @google-cloud/compute (refused, or not what was written): %s',
    async (_name, i) => {
      const c = GCP_CASES[i];
      const sent = body(i, 'sdk');
      const before = emu.requests.length;
      const refused = await clients.instances
        .insert({ project: PROJECT, zone: ZONE, instanceResource: sent })
        .then(
          () => false,
          (err: { code?: number }) => {
            // Thrown before the wire (fromObject refuses) or a 400 from the emulator.
            if (err.code !== undefined && err.code !== 400) throw err;
            return true;
          },
        );
      const arrived = emu.requests.slice(before).find((r) => r.method === 'POST')?.body;
      const changed =
        !refused && JSON.stringify(valueAt(arrived, c.at)) !== JSON.stringify(valueAt(sent, c.at));
      expect(refused || changed).toBe(!c.valid);
    },
  );

  it("(c) the library's protos give the same verdict (ranges: compute.proto's comment states them)", () => {
    const proto = computeProtoText();
    GCP_CASES.forEach((c, i) => {
      const verdict = gcpModelVerdict(body(i, 'model'), c.at);
      if (c.model === 'documented') {
        expect(verdict, `${c.name}: the proto types a plain int32`).toBeUndefined();
        expect(proto).toMatch(c.docSays!);
      } else expect(verdict === undefined, `${c.name}: ${verdict}`).toBe(c.valid);
    });
  });
});
