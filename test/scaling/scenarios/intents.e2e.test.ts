/**
 * A pass killed (kill -9) while its LaunchInstance calls are in flight, then a pass in the
 * next minute that does not see those instances yet, then the first calls land: never more
 * instances than planned. The launch intents the first pass recorded before sending make
 * the second pass count them as pending and send them again under their original keys.
 * BUILT CLI × OCI emulator; the in-flight window is the emulator's latency fault.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));
const launchCalls = (sc: Scenario) => sc.oci.requests.filter((r) => r.operation === 'LaunchInstance').length;

/** Polls a condition of the emulators (they run in this process), bounded. */
async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('launch intents', () => {
  it('kill -9 with launches in flight, a pass in the next minute, then the first launches land: 2 instances for a plan of 2', async () => {
    s = await scenario({ pools: [{ name: 'office', minimum_instances: 2, standby_cores: 0 }] });
    // The two launches of the first pass reach the emulator and wait there (network latency).
    const LATENCY_MS = 8000;
    s.oci.setFault({ kind: 'latency', operation: 'LaunchInstance', ms: LATENCY_MS, times: 2 });
    const first = spawn(process.execPath, [CLI, 'reconcile', s.config, '--state-dir', s.stateDir, '--json'], {
      env: { ...process.env, KASM_SCALE_NOW: new Date(s.now()).toISOString() },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => first.on('exit', r));
    await until('both launches in flight', () => s!.oci.faults().length === 0);
    first.kill('SIGKILL');
    await exited;
    expect(live(s)).toHaveLength(0);
    const intents = JSON.parse(
      await readFile(join(s.stateDir, 'intents.json'), 'utf8').catch(() => '{"intents":[]}'),
    ).intents;

    s.tick(60); // the next minute: new launch identities would differ
    const second = await s.pass();
    expect(second.code, second.stderr).toBe(0);
    // The first pass's calls land after the second pass: their retry tokens were used, so no new instances.
    await until('the first launches to land', () => launchCalls(s!) >= 4, LATENCY_MS + 20_000);
    expect(live(s)).toHaveLength(2);

    expect(intents).toHaveLength(2);
    const actions = second.doc.pools[0].actions;
    expect(actions.map((a: any) => [a.cause, a.status])).toEqual([
      ['unconfirmed', 'done'],
      ['unconfirmed', 'done'],
    ]);
    expect(actions.map((a: any) => a.idempotency_key).sort()).toEqual(
      intents.map((i: any) => i.idempotencyKey).sort(),
    );

    // The cloud lists both: the intents are done, and the next pass does nothing.
    s.tick(60);
    const third = await s.pass();
    expect(third.code, third.stderr).toBe(0);
    expect(third.doc.pools[0].actions).toEqual([]);
    expect(JSON.parse(await readFile(join(s.stateDir, 'intents.json'), 'utf8')).intents).toEqual([]);
    expect(live(s)).toHaveLength(2);
  });
});
