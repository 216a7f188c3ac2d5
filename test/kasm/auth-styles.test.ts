/**
 * Kasm's two API key styles: `body` (api_key/api_key_secret in the JSON body, /api/public/,
 * Kasm's documentation up to 1.19) and `basic` (Authorization: Basic base64(key:secret),
 * /api/, its newest Developer API reference). The wire form is checked on a plain recording
 * server, the behaviour against the emulator in each mode, and doctor's verdict.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, InputError, OperationalError } from '../../src/core/errors.js';
import { MemoryStream, createOutput } from '../../src/core/output.js';
import { emulatorCommand } from '../../src/emulators/command.js';
import { kasmInputSchema } from '../../src/kasm/schema.js';
import type { KasmSection } from '../../src/config/types.js';
import { kasmChecks } from '../../src/doctor/kasm.js';
import { startKasmEmulator, type KasmEmulator } from '../../src/emulators/kasm/index.js';
import { createKasmClient } from '../../src/kasm/client.js';

const KEY = 'stylekey';
const SECRET = 'Style-S3cret-77aa';
const BASIC = Buffer.from(`${KEY}:${SECRET}`).toString('base64');

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function emulator(auth: 'body' | 'basic' | 'both'): Promise<KasmEmulator> {
  const emu = await startKasmEmulator({ apiKey: KEY, apiKeySecret: SECRET, auth });
  closers.push(() => emu.close());
  return emu;
}
const section = (url: string, auth?: 'body' | 'basic', secret = SECRET): KasmSection => ({
  url,
  api_key: KEY,
  api_key_secret: secret,
  ...(auth ? { auth } : {}),
});

/** The one-line OperationalError `p` rejects with; the secret and its Basic form never in it. */
async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OperationalError);
  const line = `${(err as CliError).message}; ${(err as CliError).hint ?? ''}`;
  expect(line).not.toContain(SECRET);
  expect(line).not.toContain(BASIC);
  return line;
}

describe('kasm.auth on the wire', () => {
  it('body (the default) posts the key in the JSON body to /api/public/; basic sends Authorization: Basic to /api/ and no key in the body', async () => {
    const seen: Array<{ path: string; authorization?: string; body: Record<string, unknown> }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"zones": []}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await createKasmClient(section(url)).getZones();
    await createKasmClient(section(url, 'basic')).getZones();
    expect(seen[0]).toEqual({
      path: '/api/public/get_zones',
      authorization: undefined,
      body: { api_key: KEY, api_key_secret: SECRET },
    });
    expect(seen[1]).toEqual({ path: '/api/get_zones', authorization: `Basic ${BASIC}`, body: {} });
  });

  it('the schema takes body or basic, with a description, and refuses anything else in one line', () => {
    expect(kasmInputSchema.shape.auth.description).toMatch(/body .*basic/);
    expect(
      kasmInputSchema.safeParse({ url: 'https://kasm.example.com', api_key: 'k', auth: 'basic' }).success,
    ).toBe(true);
    const bad = kasmInputSchema.safeParse({ url: 'https://kasm.example.com', api_key: 'k', auth: 'Bearer' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({
      path: ['auth'],
      message: expect.stringMatching(/expected body .* or basic/),
    });
  });
});

describe('the Kasm emulator models both styles', () => {
  it('a body-only server (Kasm ≤ 1.19) answers /api/ with 404; a basic-only one answers /api/public/ with 404', async () => {
    const body = await emulator('body');
    expect(await createKasmClient(section(body.url)).getZones()).toHaveLength(1);
    expect(await failure(createKasmClient(section(body.url, 'basic')).getZones())).toMatch(
      /HTTP 404.*kasm\.auth/,
    );
    const basic = await emulator('basic');
    expect(await createKasmClient(section(basic.url, 'basic')).getZones()).toHaveLength(1);
    expect(await failure(createKasmClient(section(basic.url)).getZones())).toMatch(/HTTP 404/);
  });

  it('a wrong secret is 403 Access Denied in either style; a missing Authorization is 400', async () => {
    const both = await emulator('both');
    expect(await createKasmClient(section(both.url)).getZones()).toHaveLength(1);
    expect(await createKasmClient(section(both.url, 'basic')).getZones()).toHaveLength(1);
    const wrong = Buffer.from(`${KEY}:nope`).toString('base64');
    expect(await failure(createKasmClient(section(both.url, 'basic', 'nope')).getZones())).toMatch(
      /refused the API key.*403/,
    );
    expect(await failure(createKasmClient(section(both.url, 'body', 'nope')).getZones())).toMatch(
      /refused the API key.*403/,
    );
    const bare = await fetch(`${both.url}/api/get_zones`, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(400);
    const garbled = await fetch(`${both.url}/api/get_zones`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Basic ${wrong}` },
    });
    expect(garbled.status).toBe(403);
  });
});

describe('kasm-scale emulator kasm --auth', () => {
  it('serves the chosen style; a bad style or --auth on another emulator is a usage error', async () => {
    const stdout = new MemoryStream();
    const stderr = new MemoryStream();
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const done = emulatorCommand(
      { name: 'kasm', port: 0, apiKey: KEY, apiKeySecret: SECRET, auth: 'basic', until },
      createOutput({ stdout, stderr, env: {} }),
    );
    for (let i = 0; i < 500 && !/listening on (\S+)/.test(stdout.text); i++)
      await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (\S+)/.exec(stdout.text)![1];
    try {
      expect(await createKasmClient(section(url, 'basic')).getZones()).toHaveLength(1);
      expect(await failure(createKasmClient(section(url)).getZones())).toMatch(/HTTP 404/);
    } finally {
      stop();
      await done;
    }
    const out = createOutput({ stdout: new MemoryStream(), stderr: new MemoryStream(), env: {} });
    await expect(
      emulatorCommand({ name: 'kasm', auth: 'token', until: Promise.resolve() }, out),
    ).rejects.toThrow(InputError);
    await expect(
      emulatorCommand({ name: 'oci', auth: 'basic', until: Promise.resolve() }, out),
    ).rejects.toThrow(/--auth is a flag of the kasm emulator/);
  });
});

describe('doctor says which style the server takes', () => {
  const authCheck = async (s: KasmSection) => {
    const group = kasmChecks(s, [], [], 'kasm-scale.yaml');
    const check = group.checks.find((c) => c.id === 'auth')!;
    return check.run();
  };

  it('ok with the configured style (and whether the other works too); a fail naming the right one otherwise; never the secret', async () => {
    const body = await emulator('body');
    const basic = await emulator('basic');
    const both = await emulator('both');
    const outcomes = [
      await authCheck(section(body.url)),
      await authCheck(section(basic.url)),
      await authCheck(section(basic.url, 'basic')),
      await authCheck(section(both.url, 'basic')),
      await authCheck(section(body.url, 'body', 'wrong-secret')),
    ];
    expect(outcomes[0]).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/takes kasm\.auth: body .*not basic \(HTTP 404/),
    });
    expect(outcomes[1]).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/does not take kasm\.auth: body.*it takes basic/),
      hint: 'set auth: basic in the kasm section',
    });
    expect(outcomes[2]).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/takes kasm\.auth: basic/),
    });
    expect(outcomes[3]).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/takes kasm\.auth: basic .*takes body too/),
    });
    // A refused key still shows which route exists: the key check reports the key.
    expect(outcomes[4]).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/takes kasm\.auth: body/),
    });
    const text = JSON.stringify(outcomes);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(BASIC);
  });
});
