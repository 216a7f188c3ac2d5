/**
 * `simulate` with a user's own config files (in-process: the command function with an
 * Output writing to memory), trace and flag errors, and `demo --json` once through the
 * built CLI (the one slow test here: a whole simulated day).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createOutput, MemoryStream } from '../../src/core/output.js';
import { emulatedOciProvider, OCI_IDS } from '../../src/simulate/builtin.js';
import { parseStep, simulateCommand } from '../../src/simulate/command.js';
import { ociDemoKey } from '../../src/simulate/builtin.js';
import { parseTrace } from '../../src/simulate/trace.js';
import { runCli, tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kasm-scale-sim-test-'));
});
afterAll(() => cleanup());
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

/** A config as an operator writes it: their own key, ids, and the real OCI endpoint (overridden by simulate). */
async function configFile(name: string, standbyCores: number): Promise<string> {
  const file = join(dir, name);
  const doc = {
    kasm: { url: 'https://kasm.example.com', api_key: 'real-key', api_key_secret: 'real-secret-never-used' },
    providers: [
      emulatedOciProvider(ociDemoKey(), {
        endpoint: 'https://iaas.us-ashburn-1.oraclecloud.com',
        oci_flex_cpus: 1,
        oci_flex_memory_gb: 8,
      }),
    ],
    autoscale: [
      {
        autoscale_config_name: 'office',
        vm_provider_config_name: 'oci-main',
        zone_name: 'office',
        standby_cores: standbyCores,
        downscale_backoff: 900,
      },
    ],
  };
  await writeFile(file, JSON.stringify(doc), { mode: 0o600 });
  return file;
}

const TRACE = 'time,sessions,cores,memory_mb,gpus\n22:00,2,1,2048,0\n22:33,5,1,2048,0\n23:10,1,1,2048,0\n';

function memoryOutput(json: boolean) {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  return { out: createOutput({ json, stdout, stderr, env: { NO_COLOR: '1' } }), stdout, stderr };
}

describe('simulate', () => {
  it('--compare: two configs differing in standby give different instance-hours, side by side', async () => {
    const trace = join(dir, 'day.csv');
    await writeFile(trace, TRACE);
    const small = await configFile('standby-2.json', 2);
    const large = await configFile('standby-12.json', 12);

    const { out, stdout } = memoryOutput(true);
    expect(await simulateCommand({ trace, file: small, compare: large, step: '10' }, out)).toBe(0);
    const doc = JSON.parse(stdout.text);
    expect(doc.runs.map((r: any) => r.name)).toEqual(['standby-2.json', 'standby-12.json']);
    const [a, b] = doc.runs;
    expect(a.from).toBe('22:00');
    expect(a.samples).toHaveLength(12);
    expect(a.totals.instanceHours).toBeGreaterThan(0);
    expect(b.totals.instanceHours).toBeGreaterThan(a.totals.instanceHours);
    // 1 OCPU flex → 2 vCPUs per agent: standby 12 keeps six agents, standby 2 one.
    expect(b.samples[2].agents).toBeGreaterThan(a.samples[2].agents);
    expect(a.totals.launches).toBeGreaterThan(0);
    expect(a.passes[0].actions[0]).toMatchObject({ kind: 'launch', status: 'done', zone: OCI_IDS.ad1 });
    expect(stdout.text).not.toContain('real-secret-never-used');
    expect(stdout.text).not.toContain('PRIVATE KEY');

    const human = memoryOutput(false);
    expect(await simulateCommand({ trace, file: small, compare: large, step: '10' }, human.out)).toBe(0);
    expect(human.stdout.text).toMatch(/instance-hours\s+│\s+[\d.]+\s+│\s+[\d.]+/);
    expect(human.stdout.text).toContain('agents (max');
  });

  it('a trace zone no pool scales is refused before anything starts', async () => {
    const trace = join(dir, 'zones.csv');
    await writeFile(trace, 'time,sessions,cores,memory_mb,gpus,zone\n08:00,2,2,4096,0,lab\n');
    const { out } = memoryOutput(false);
    await expect(simulateCommand({ trace, file: await configFile('z.json', 2) }, out)).rejects.toThrow(
      /trace zone "lab" at 08:00 is not scaled by any autoscale config/,
    );
  });

  it('trace and flag errors are one line with exit 2 (built CLI)', async () => {
    const trace = join(dir, 'bad.csv');
    await writeFile(trace, 'time,sessions,cores,memory_mb,gpus\n08:00,2,2,4096,0\n08:30,two,2,4096,0\n');
    const r = await runCli(['simulate', '--trace', trace, await configFile('c.json', 2)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.csv:3: sessions is "two", expected a whole number ≥ 0');
  });
});

describe('trace and step parsing', () => {
  it.each([
    ['time,sessions,cores\n08:00,1,2\n', /t\.csv:1: header lacks memory_mb, gpus/],
    ['time,sessions,cores,memory_mb,gpus\n8h,1,2,4096,0\n', /t\.csv:2: time "8h" is not HH:MM/],
    [
      'time,sessions,cores,memory_mb,gpus\n09:00,1,2,4096,0\n# a comment\n08:00,1,2,4096,0\n',
      /t\.csv:4: time 08:00 comes after 09:00 of an earlier row/,
    ],
    ['[{"time": "08:00", "sessions": 1, "memory_mb": 1, "gpus": 0}]', /t\.csv\[0\]: no cores/],
    ['time,sessions,cores,memory_mb,gpus\n08:00,1,2\n', /t\.csv:2: no memory_mb/],
    [
      'time,sessions,cores,memory_mb,gpus\n08:00,100000,2,4096,0\n',
      /t\.csv:2: sessions is 100000; at most 5000 per row/,
    ],
    ['', /t\.csv is empty/],
    [
      '[{"time": "08:00", "sessions": -1, "cores": 2, "memory_mb": 1, "gpus": 0}]',
      /t\.csv\[0\]: sessions is "-1"/,
    ],
  ])('%j is refused', (text, message) => {
    expect(() => parseTrace(text, 't.csv')).toThrow(InputError);
    expect(() => parseTrace(text, 't.csv')).toThrow(message);
  });

  it('an optional zone column is kept per group', () => {
    expect(parseTrace('time,sessions,cores,memory_mb,gpus,zone\n08:00,2,2,4096,0,lab\n', 't.csv')).toEqual([
      { at: 8 * 3600, groups: [{ sessions: 2, cores: 2, memoryMb: 4096, gpus: 0, zone: 'lab' }] },
    ]);
  });

  it('--step takes whole minutes from 1 to 60', () => {
    expect(parseStep(undefined, 10)).toBe(10);
    expect(parseStep('5', 10)).toBe(5);
    for (const bad of ['0', '61', '2.5', 'five'])
      expect(() => parseStep(bad, 10)).toThrow(/--step .* is not a whole number of minutes from 1 to 60/);
  });
});

describe('demo (built CLI)', () => {
  it(
    'demo --json: exits 0 with one document of samples and totals; the AD-1 capacity hour sends launches to AD-2',
    { timeout: 180_000 },
    async () => {
      const r = await runCli(['demo', '--json'], { timeoutMs: 170_000 });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.samples.length).toBeGreaterThan(50);
      expect(doc.samples[0]).toMatchObject({
        time: '05:00',
        agents: expect.any(Number),
        freeCores: expect.any(Number),
        sessionsRunning: expect.any(Number),
      });
      expect(doc.pools).toEqual(['oci-pool', 'gcp-pool', 'spot-pool']);
      expect(doc.totals.instanceHours).toBeGreaterThan(0);
      // The demo's providers are priced in one currency: instance-hours per provider × price.
      const { 'oci-main': oci, 'oci-spot': spot, 'gcp-main': gcp } = doc.totals.instanceHoursByProvider;
      expect(doc.totals.cost.USD).toBeCloseTo(oci * 0.074 + spot * 0.037 + gcp * 0.134, 1);
      expect(Object.keys(doc.totals.cost)).toEqual(['USD']);
      expect(doc.totals.launches).toBeGreaterThan(0);
      expect(doc.totals.terminations).toBeGreaterThan(0);
      expect(doc.totals.launchesByZone[OCI_IDS.ad2]).toBeGreaterThan(0);
      expect(doc.totals.launchesByZone['us-central1-a']).toBeGreaterThan(0);
      const burst = doc.passes.find((p: any) =>
        p.events.some((e: string) => e.includes('out of host capacity')),
      );
      expect(burst.time).toBe('08:00');
      // The spot-first pool's wave: agents preempted, sessions lost, launches fall through to on-demand.
      expect(doc.totals.preemptions).toBeGreaterThan(0);
      expect(doc.totals.sessionsLostToPreemption).toBeGreaterThan(0);
      const wave = doc.passes.filter((p: any) => p.time >= '14:00' && p.time <= '15:00');
      expect(
        wave.some((p: any) => p.actions.some((a: any) => a.pool === 'spot-pool' && a.fellTo === 'oci-main')),
      ).toBe(true);
      expect(r.stderr).toMatch(/simulated 18 h in [\d.]+ s/);
    },
  );
});
