/** Rendering of a pass: Prometheus text, the JSON document, the human lines, exit codes. */
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { renderHuman } from '../../src/report/human.js';
import { reconcileJson } from '../../src/report/json.js';
import { renderMetrics } from '../../src/report/metrics.js';
import { summarize } from '../../src/report/summary.js';
import { plan } from '../../src/scaling/plan.js';
import type { PassResult } from '../../src/scaling/reconcile.js';
import { T0, input, pool, provider, world } from '../scaling/world.js';

function pass(
  over: Partial<PassResult> = {},
  statuses: Array<'planned' | 'done' | 'failed'> = [],
): PassResult {
  const w = world({
    pools: [pool('office "main"', { standby_cores: 8 })],
    providers: { 'oci-main': provider() },
  });
  const p = plan(input(w), T0);
  const results = p.pools
    .flatMap((x) => x.actions)
    .map((action, i) => ({
      action,
      status: statuses[i] ?? ('done' as const),
      ...(statuses[i] === 'failed'
        ? { error: { class: 'capacity', message: 'Out of host capacity.' }, requestId: 'REQ1' }
        : {}),
    }));
  return {
    plan: p,
    results,
    dryRun: false,
    stateStatus: 'ok',
    warnings: [],
    durationMs: 1234,
    poolResults: { 'office "main"': 'ok' },
    lastSuccessAt: T0.toISOString(),
    ...over,
  };
}

describe('exit codes', () => {
  it('0 done, 3 partial, 1 failed, 2 changes with --detailed-exitcode --dry-run', () => {
    expect(summarize(pass()).exitCode).toBe(0);
    expect(summarize(pass({}, ['done', 'failed'])).exitCode).toBe(3);
    expect(
      summarize(pass({ poolResults: { 'office "main"': 'failed' } }, ['failed', 'failed'])).exitCode,
    ).toBe(1);
    expect(
      summarize(pass({ dryRun: true }, ['planned', 'planned']), { detailedExitcode: true }).exitCode,
    ).toBe(2);
    expect(summarize(pass({ dryRun: true }, ['planned', 'planned'])).exitCode).toBe(0);
  });
});

describe('metrics', () => {
  it('is Prometheus text with escaped labels, HELP/TYPE per family', () => {
    const r = pass({}, ['done', 'failed']);
    const text = renderMetrics(r, summarize(r));
    expect(text).toContain('# TYPE kasm_scale_actions gauge');
    expect(text).toContain('kasm_scale_actions{pool="office \\"main\\"",kind="launch",result="done"} 1');
    expect(text).toContain('kasm_scale_actions{pool="office \\"main\\"",kind="launch",result="failed"} 1');
    expect(text).toContain('kasm_scale_standby{pool="office \\"main\\"",resource="cores"} 8');
    expect(text).toContain('kasm_scale_pass_duration_seconds 1.234');
    expect(text).toContain('kasm_scale_pass_exit_code 3');
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? -?[\d.e+-]+)$/);
  });
});

describe('json and human', () => {
  it('one document with observed figures, actions with reason/status/error class/request id, and a summary', () => {
    const r = pass({}, ['done', 'failed']);
    const doc = reconcileJson(r, summarize(r)) as any;
    expect(doc.pools[0].observed.standby).toEqual({ cores: 8, memory_mb: 0, gpus: 0 });
    expect(doc.pools[0].actions[1]).toMatchObject({
      kind: 'launch',
      status: 'failed',
      error: { class: 'capacity' },
      request_id: 'REQ1',
      reason: 'launch: free cores 0 < standby 8 (2 of 2)',
    });
    expect(doc.summary).toMatchObject({ to_launch: 2, launched: 1, failed: 1, exit_code: 3 });
  });

  it('ends with Plan: (dry run) or Done:', () => {
    const c = new Chalk({ level: 0 });
    const dry = pass({ dryRun: true }, ['planned', 'planned']);
    expect(renderHuman(dry, summarize(dry), c).at(-1)).toBe('Plan: 2 to launch, 0 to terminate.');
    const done = pass({}, ['done', 'failed']);
    const lines = renderHuman(done, summarize(done), c);
    expect(lines.at(-1)).toBe('Done: 1 launched, 0 terminated, 1 failed.');
    expect(lines.join('\n')).toContain('[failed: capacity: Out of host capacity. (request id REQ1)]');
  });
});
