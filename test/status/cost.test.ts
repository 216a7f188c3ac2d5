/**
 * The running cost of each pool in `status` and in the Prometheus textfile: real passes
 * against the OCI and Kasm emulators, then status and the metrics from what they saw.
 */
import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createOutput } from '../../src/core/output.js';
import { pricesOf } from '../../src/cost/running.js';
import { renderMetrics } from '../../src/report/metrics.js';
import { summarize } from '../../src/report/summary.js';
import { runPass } from '../../src/scaling/reconcile.js';
import { collectStatus } from '../../src/status/collect.js';
import { renderStatus } from '../../src/status/human.js';
import { statusJson } from '../../src/status/json.js';
import { silenceSdkWarnings } from '../clouds/oci/fixture.js';
import { scenario, type Scenario } from '../scaling/scenarios/harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});
const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
const quiet = () => createOutput({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' } });

async function passAndStatus(sc: Scenario) {
  const config = await loadConfig(sc.config);
  const pass = await runPass({
    config,
    dryRun: false,
    stateDir: sc.stateDir,
    concurrency: 8,
    now: new Date(sc.now()),
    out: quiet(),
  });
  sc.tick(90);
  const status = await collectStatus({
    config,
    stateDir: sc.stateDir,
    now: new Date(sc.now()),
    concurrency: 8,
  });
  return { config, pass, status };
}

describe('running cost per hour', () => {
  silenceSdkWarnings();
  it('status and the metrics show billed instances × the provider price, with the currency', async () => {
    s = await scenario({
      pools: [{ name: 'office', standby_cores: 10 }],
      oci: { price: { instance_hour: 0.25, currency: 'EUR' } },
    });
    const { config, pass, status } = await passAndStatus(s); // cold start: 3 agents of 4 cores
    expect(status.pools[0].figures?.instances).toEqual({ running: 3 });
    expect(status.pools[0].costPerHour).toEqual({ amount: 0.75, currency: 'EUR', instances: 3 });
    expect(renderStatus(status, new Chalk({ level: 0 })).join('\n')).toContain(
      'running cost 0.75 EUR/h (3 billed instance(s)',
    );
    expect((statusJson(status) as any).pools[0].cost_per_hour).toEqual({
      amount: 0.75,
      currency: 'EUR',
      instances: 3,
    });
    // The pass launched them: its own figures counted 0 before, the launches are provisioning now.
    const text = renderMetrics(pass, summarize(pass), pricesOf(config.providers));
    expect(text).toContain('# TYPE kasm_scale_cost_per_hour gauge');
    expect(text).toMatch(/^kasm_scale_cost_per_hour\{pool="office",currency="EUR"\} [\d.]+$/m);
  });

  it('without a price: no cost line, null in JSON, no metric family', async () => {
    s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
    const { config, pass, status } = await passAndStatus(s);
    expect(status.pools[0].costPerHour).toBeUndefined();
    expect(renderStatus(status, new Chalk({ level: 0 })).join('\n')).not.toContain('cost');
    expect((statusJson(status) as any).pools[0].cost_per_hour).toBeNull();
    expect(renderMetrics(pass, summarize(pass), pricesOf(config.providers))).not.toContain('cost');
  });
});
