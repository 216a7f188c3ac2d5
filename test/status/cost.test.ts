/**
 * The running cost of each pool in `status` and in the Prometheus textfile: real passes
 * against the OCI and Kasm emulators, then status and the metrics from what they saw.
 */
import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createOutput } from '../../src/core/output.js';
import { poolCostPerHour, pricesOf } from '../../src/cost/running.js';
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

describe('running cost of a provider chain', () => {
  const figures = (chain: Array<{ provider: string; billed: number }>) =>
    ({
      instances: { running: chain.reduce((n, c) => n + c.billed, 0) },
      agentSize: { cores: 4, memoryMb: 16384, gpus: 0 },
      chain: chain.map((c) => ({ ...c, instances: c.billed, providerInstances: c.billed, maxInstances: 10 })),
    }) as any;
  const prices = new Map([
    ['spot', { instance_hour: 0.1, gpu_hour: 0, currency: 'EUR' }],
    ['ondemand', { instance_hour: 0.4, gpu_hour: 0, currency: 'EUR' }],
  ]) as any;

  it('prices each instance at the price of the provider it runs on, not the first provider', () => {
    const f = figures([
      { provider: 'spot', billed: 1 },
      { provider: 'ondemand', billed: 2 },
    ]);
    expect(poolCostPerHour(f, prices, 'spot')).toEqual({ amount: 0.9, currency: 'EUR', instances: 3 });
  });

  it('is unknown when a provider holding billed instances has no price or another currency', () => {
    const f = figures([
      { provider: 'spot', billed: 1 },
      { provider: 'other', billed: 1 },
    ]);
    expect(poolCostPerHour(f, prices, 'spot')).toBeUndefined();
    const usd = new Map([...prices, ['other', { instance_hour: 0.2, gpu_hour: 0, currency: 'USD' }]]) as any;
    expect(poolCostPerHour(f, usd, 'spot')).toBeUndefined();
    // No instance on the unpriced provider: the cost is known.
    expect(
      poolCostPerHour(
        figures([
          { provider: 'spot', billed: 2 },
          { provider: 'other', billed: 0 },
        ]),
        prices,
        'spot',
      ),
    ).toEqual({
      amount: 0.2,
      currency: 'EUR',
      instances: 2,
    });
  });
});
