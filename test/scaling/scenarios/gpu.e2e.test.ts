/** A GPU pool on GCP with accelerators (built CLI × emulators). */
import { afterEach, expect, it } from 'vitest';
import { scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('a GPU pool on GCP keeps standby GPUs with accelerator machines', async () => {
  s = await scenario({
    pools: [{ name: 'gpu pool', provider: 'gcp', zone: 'gpu', standby_cores: 0, standby_gpus: 2 }],
    gcp: {
      machineType: 'n1-standard-8',
      accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }],
    },
  });
  const r = await s.pass();
  expect(r.code, r.stderr).toBe(0);
  expect(r.doc.pools[0].observed.agent_size).toEqual({ cores: 8, memory_mb: 30720, gpus: 1 });
  expect(r.doc.pools[0].actions.map((a: any) => [a.kind, a.status, a.reason])).toEqual([
    ['launch', 'done', 'launch: free GPUs 0 < standby 2 (1 of 2)'],
    ['launch', 'done', 'launch: free GPUs 0 < standby 2 (2 of 2)'],
  ]);
  s.tick(120);
  s.gcp!.tick();
  const r2 = await s.pass();
  expect(r2.doc.pools[0].observed.free.gpus).toBe(2);
  expect(r2.doc.pools[0].actions).toEqual([]);
});
