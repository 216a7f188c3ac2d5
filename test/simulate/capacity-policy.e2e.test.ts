/**
 * The worked example of docs/capacity-policy.md on the built CLI: validate the spot-first
 * scheduled config, then simulate it against the on-demand one on the office day with its
 * spot preemption wave and outage, and read the side-by-side table an operator reads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../config/fixtures.js';
import { runCli, tempDir } from '../helpers/cli.js';

const EX = resolve(__dirname, '../../examples/capacity');

let dir: string;
let cleanup: () => Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const k = testKeys();
  await mkdir(join(dir, '.oci'), { recursive: true });
  await writeFile(join(dir, '.oci', 'oci_api_key.pem'), k.ociPem, { mode: 0o600 });
  env = {
    HOME: dir,
    KASM_API_KEY: 'k',
    KASM_API_KEY_SECRET: 's',
    KASM_MANAGER_TOKEN: 'm',
    OCI_FINGERPRINT: k.ociFingerprint,
    NO_COLOR: '1',
  };
});
afterAll(() => cleanup());

/** The cells of one row of the cli-table3 compare table. */
function row(table: string, label: string): string[] {
  const line = table.split('\n').find((l) => l.split('│')[1]?.trim() === label);
  expect(line, `row "${label}" in\n${table}`).toBeDefined();
  return line!
    .split('│')
    .slice(2, -1)
    .map((c) => c.trim());
}

describe('capacity policy worked example (built CLI)', () => {
  it('both configs validate', async () => {
    for (const f of ['on-demand.yaml', 'spot-first.yaml']) {
      const r = await runCli(['config', 'validate', join(EX, f)], { env, cwd: dir });
      expect(r.code, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it(
    'simulate --compare: instance-hours, cost, longest wait and sessions lost to preemption side by side',
    { timeout: 240_000 },
    async () => {
      const r = await runCli(
        [
          'simulate',
          '--trace',
          join(EX, 'office-day.yaml'),
          join(EX, 'on-demand.yaml'),
          '--compare',
          join(EX, 'spot-first.yaml'),
          '--step',
          '10',
        ],
        { env, cwd: dir, timeoutMs: 230_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const table = r.stdout.slice(r.stdout.lastIndexOf('┌'));
      expect(row(table, '').slice(0, 2)).toEqual(['on-demand.yaml', 'spot-first.yaml']);
      const [hoursA, hoursB] = row(table, 'instance-hours').map(Number);
      expect(hoursA).toBeGreaterThan(0);
      expect(hoursB).toBeGreaterThan(0);
      const [costA, costB] = row(table, 'cost');
      expect(costA).toMatch(/^\d+\.\d\d EUR$/);
      expect(costB).toMatch(/^\d+\.\d\d EUR$/);
      // Half-price spot and fewer standby cores outside office hours: cheaper, even with the wave.
      expect(parseFloat(costB)).toBeLessThan(parseFloat(costA));
      expect(row(table, 'cost vs on-demand.yaml')[1]).toMatch(/^−\d+\.\d\d EUR \(−\d+%\)$/);
      expect(row(table, 'longest wait')).toHaveLength(2);
      const [lostA, lostB] = row(table, 'sessions lost to preemption').map(Number);
      expect(lostA).toBe(0); // on-demand has no spot provider to lose
      expect(lostB).toBeGreaterThan(0);
      const [, preemptedB] = row(table, 'preempted instances').map(Number);
      expect(preemptedB).toBeGreaterThan(0);
      // The wave shows in the pass log of the spot-first run.
      expect(r.stdout).toContain('! oci-spot: preemptions at 3/h until 13:00');
      expect(r.stdout).toContain('! oci-spot: no capacity until 14:00');
      // ... and the launches of the outage land on the on-demand provider of the chain.
      expect(r.stdout).toMatch(/\d\d:\d\d office \+\d+ → oci-ondemand \(chain fell through\)/);
    },
  );
});
