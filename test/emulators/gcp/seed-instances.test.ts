import { afterEach, describe, expect, it } from 'vitest';
import { createGcpAdapter } from '../../../src/clouds/gcp/adapter.js';
import { ownershipTags, TAG_IDLE_SINCE } from '../../../src/clouds/ownership.js';
import { PROJECT, ZONE, setup } from '../../clouds/gcp/fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function env(opts: Parameters<typeof setup>[0] = {}) {
  const s = await setup(opts);
  closers.push(() => s.emu.close());
  const adapter = await createGcpAdapter(s.p, { sleep: async () => {}, poolNames: ['pool-a', 'pool-b'] });
  closers.push(() => adapter.close!());
  return { ...s, adapter };
}

const sid = (n: number) => n.toString(16).padStart(32, '0');

describe('GCP emulator: seedInstances', () => {
  it('puts many instances in at once; the real client lists them, with their labels, across pages and zones', async () => {
    const { emu, adapter, now } = await env({ pageSize: 100 });
    const created = now() - 2 * 3600_000;
    const items = Array.from({ length: 250 }, (_, n) => ({
      project: PROJECT,
      name: `agent-${String(n).padStart(3, '0')}`,
      zone: n % 2 ? 'us-central1-b' : ZONE,
      labels: {
        ...ownershipTags(n % 5 ? 'pool-a' : 'pool-b', sid(n + 1)),
        ...(n === 7 ? { [TAG_IDLE_SINCE]: '1736150400' } : {}),
      },
      machineType: 'e2-standard-8',
      creationTimestamp: created,
    }));
    // Someone else's VM in the same project: seeded too, never listed as ours.
    items.push({
      project: PROJECT,
      name: 'not-ours',
      zone: ZONE,
      labels: { team: 'vdi' },
      machineType: 'e2-small',
      creationTimestamp: created,
    });
    const events: unknown[] = [];
    emu.events.on('running', (e) => events.push(e));

    const answered = emu.seedInstances(items);
    expect(answered).toHaveLength(251);
    expect(emu.requests).toHaveLength(0);

    const owned = await adapter.listOwned();
    expect(owned).toHaveLength(250);
    // 251 instances at 100 a page: three aggregatedList pages.
    expect(emu.requests.filter((r) => r.api === 'instances.aggregatedList')).toHaveLength(3);
    const seven = owned.find((o) => o.name === 'agent-007')!;
    expect(seven).toMatchObject({
      state: 'running',
      cloudState: 'RUNNING',
      zone: 'us-central1-b',
      autoscaleConfigName: 'pool-a',
      serverId: sid(8),
      createdAt: new Date(created),
    });
    expect(seven.tags).toEqual({ ...ownershipTags('pool-a', sid(8)), [TAG_IDLE_SINCE]: '1736150400' });
    expect(seven.idleSince).toEqual(new Date(1736150400 * 1000));
    expect(owned.filter((o) => o.autoscaleConfigName === 'pool-b')).toHaveLength(50);
    // Already up: no 'running' event for what was seeded as RUNNING.
    emu.tick();
    expect(events).toHaveLength(0);
    const json = emu.instances().find((i) => i.name === 'agent-000')!;
    expect(json).toMatchObject({
      status: 'RUNNING',
      machineType: expect.stringMatching(/\/zones\/us-central1-a\/machineTypes\/e2-standard-8$/),
      creationTimestamp: new Date(created).toISOString(),
    });
  });

  it('seeded instances are real ones: relabel (with the fingerprint) and delete work through the adapter', async () => {
    const { emu, adapter, tick } = await env();
    emu.seedInstances([
      { project: PROJECT, name: 'agent-1', zone: ZONE, labels: ownershipTags('pool-a', sid(1)) },
    ]);
    const [inst] = await adapter.listOwned();
    await adapter.updateTags(inst, { [TAG_IDLE_SINCE]: '1736150400' });
    expect((await adapter.listOwned())[0].tags[TAG_IDLE_SINCE]).toBe('1736150400');
    await adapter.terminate(inst);
    tick(60_000);
    expect(await adapter.listOwned()).toEqual([]);
  });

  it('PROVISIONING stays provisioning; defaults: now, e2-standard-4, the first project', async () => {
    const { emu, tick } = await env();
    emu.seed.projects.unshift(PROJECT);
    emu.seedInstances([{ name: 'stuck', zone: ZONE, status: 'PROVISIONING' }]);
    tick(3600_000);
    expect(emu.instances()).toEqual([
      expect.objectContaining({
        project: PROJECT,
        name: 'stuck',
        status: 'PROVISIONING',
        machineType: expect.stringMatching(/e2-standard-4$/),
      }),
    ]);
  });

  it.each([
    ['an unknown zone', { name: 'a', zone: 'mars-1a' }, /unknown zone mars-1a/],
    ['an unknown machine type', { name: 'a', zone: ZONE, machineType: 'z9-huge' }, /z9-huge/],
    ['a bad name', { name: 'Bad_Name', zone: ZONE }, /Bad_Name: Invalid value for field 'resource\.name'/],
    ['a bad label', { name: 'a', zone: ZONE, labels: { 'Not OK': 'x' } }, /resource\.labels/],
    [
      'a time in the future',
      { name: 'a', zone: ZONE, creationTimestamp: '2999-01-01T00:00:00Z' },
      /creationTimestamp/,
    ],
  ])('refuses %s, and then seeds nothing at all', async (_what, bad, why) => {
    const { emu } = await env();
    expect(() =>
      emu.seedInstances([
        { project: PROJECT, name: 'fine', zone: ZONE },
        { project: PROJECT, ...bad },
      ]),
    ).toThrow(why);
    expect(emu.instances()).toEqual([]);
  });

  it('refuses a name already taken (in the world or twice in the list)', async () => {
    const { emu } = await env();
    emu.seedInstances([{ project: PROJECT, name: 'a', zone: ZONE }]);
    expect(() => emu.seedInstances([{ project: PROJECT, name: 'a', zone: ZONE }])).toThrow(/already exists/);
    expect(() =>
      emu.seedInstances([
        { project: PROJECT, name: 'b', zone: ZONE },
        { project: PROJECT, name: 'b', zone: ZONE },
      ]),
    ).toThrow(/already exists/);
    expect(emu.instances().map((i) => i.name)).toEqual(['a']);
  });
});
