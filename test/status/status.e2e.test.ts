/**
 * `kasm-scale status` as a user runs it: the BUILT CLI (npm run build first) against the
 * emulators of the reconcile scenario harness, after a real reconcile pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scenario, type Scenario } from '../scaling/scenarios/harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('kasm-scale status (built CLI)', () => {
  it('after a pass: one JSON document, plain human table, list calls only; 3 when Kasm is down; 2 on a bad flag', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 10 }] });
    expect((await s.pass()).code).toBe(0);
    s.tick(90);
    expect((await s.pass()).code).toBe(0);
    const env = { KASM_SCALE_NOW: new Date(s.now()).toISOString() };

    const before = s.oci.requests.length;
    const json = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(s.oci.requests.slice(before).map((q) => q.operation)).toEqual(['ListInstances']);
    const doc = JSON.parse(json.stdout);
    expect(doc.kasm).toEqual({ configured: true, reachable: true, usable: true, reason: null });
    expect(doc.pools[0]).toMatchObject({
      pool: 'office',
      provider: 'oci-main',
      error: null,
      last_pass: { result: 'ok' },
      next_pass: { launch: 0, terminate: 0 },
    });
    expect(doc.pools[0].observed).toMatchObject({
      instances: { running: 3 },
      free: { cores: 12 },
      standby: { cores: 10 },
    });

    const human = await runCli(['status', s.config, '--state-dir', s.stateDir], {
      env: { ...env, NO_COLOR: '1' },
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('office  provider oci-main · zone default');
    expect(human.stdout).toMatch(/cores\s+│?\s*12\s/);
    expect(human.stdout).not.toMatch(/\x1b\[/);
    expect(human.stderr).toBe('');

    s.kasm.setFault({ kind: 'drop' });
    const down = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], { env });
    expect(down.code).toBe(3);
    expect(JSON.parse(down.stdout).pools[0].observed.instances).toEqual({ running: 3 });
    expect(down.stderr).toContain('Kasm could not be read');

    const bad = await runCli(['status', s.config, '--autoscale', 'nope'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
