/** Provider chains in plan(): where launches go, why the chain moved, and which agents go first. */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/scaling/plan.js';
import { withCapacityFailure } from '../../src/scaling/memory.js';
import { TAG_IDLE_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import type { LaunchAction, TerminateAction } from '../../src/scaling/types.js';
import { T0, agent, applyPlan, hex32, input, instance, pool, provider, session, world } from './world.js';

const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const ago = (sec: number) => new Date(T0.getTime() - sec * 1000);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
const CHAIN = ['oci-spot', 'oci-ondemand'];

function chainWorld(standby: number, over: { spotMax?: number } = {}) {
  return world({
    pools: [pool('p', { standby_cores: standby, vm_provider_config_names: CHAIN })],
    providers: {
      'oci-spot': provider('oci-spot', { maxInstances: over.spotMax ?? 10 }),
      'oci-ondemand': provider('oci-ondemand', { maxInstances: 10 }),
    },
  });
}
const launchesOf = (p: ReturnType<typeof plan>) =>
  p.pools[0].actions.filter((a): a is LaunchAction => a.kind === 'launch');

describe('provider chains: scale up', () => {
  it('launches on the first provider, with the later ones as same-pass fallbacks', () => {
    const p = plan(input(chainWorld(8)), T0);
    const l = launchesOf(p);
    expect(l.map((a) => a.provider)).toEqual(['oci-spot', 'oci-spot']);
    expect(l[0].fallbacks).toEqual([{ provider: 'oci-ondemand', zones: ['AD-1', 'AD-2'] }]);
    expect(l[0].reason).toBe('launch: free cores 0 < standby 8 (1 of 2) (on oci-spot)');
    expect(p.pools[0].providers).toEqual(CHAIN);
    expect(p.spare).toEqual({ 'oci-spot': 8, 'oci-ondemand': 10 });
  });

  it('skips a provider whose every zone is in backoff, and the reason says why the chain moved', () => {
    const w = chainWorld(4);
    w.memory = withCapacityFailure(w.memory, 'oci-spot', 'AD-1', ago(60), 'Out of host capacity.');
    w.memory = withCapacityFailure(w.memory, 'oci-spot', 'AD-2', ago(30), 'Out of host capacity.');
    const p = plan(input(w), T0);
    const [l] = launchesOf(p);
    expect(l.provider).toBe('oci-ondemand');
    expect(l.fallbacks).toBeUndefined();
    expect(l.reason).toBe(
      `launch: free cores 0 < standby 4 (oci-spot: Out of host capacity., backoff until ${new Date(ago(60).getTime() + 300_000).toISOString()}; launching on oci-ondemand)`,
    );
    expect(p.pools[0].chainMoves).toEqual([
      { provider: 'oci-spot', why: expect.stringMatching(/backoff until/) },
    ]);
  });

  it('fills the first provider up to its max_instances (all pools on it), then moves down the chain', () => {
    const w = chainWorld(20, { spotMax: 3 });
    w.providers['oci-spot'].instances.push(instance('another pool', {}));
    const l = launchesOf(plan(input(w), T0));
    expect(l.map((a) => a.provider)).toEqual([
      'oci-spot',
      'oci-spot',
      'oci-ondemand',
      'oci-ondemand',
      'oci-ondemand',
    ]);
    expect(l[2].reason).toContain(
      "oci-spot: full with this pass's launches (max_instances); launching on oci-ondemand",
    );
  });

  it('stops at the room the whole chain has, and says which provider is where', () => {
    const w = chainWorld(80, { spotMax: 1 });
    w.providers['oci-ondemand'].maxInstances = 2;
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions).toHaveLength(3);
    expect(pp.notes.join('\n')).toMatch(
      /launching 3 of 10: the chain has no more room \(oci-spot 0 of max_instances 1; oci-ondemand 0 of max_instances 2\)/,
    );
  });

  it('launches nothing when every provider of the chain is in backoff', () => {
    const w = chainWorld(4);
    for (const pv of CHAIN)
      for (const z of ['AD-1', 'AD-2']) w.memory = withCapacityFailure(w.memory, pv, z, ago(10));
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions).toEqual([]);
    expect(pp.notes.join()).toMatch(/every provider of the chain is in backoff/);
  });

  it('counts instances on every provider of the chain as the pool supply (no second wave)', () => {
    const w = chainWorld(8);
    w.providers['oci-ondemand'].instances.push(
      instance('p', { state: 'provisioning', createdAt: ago(60) }),
      instance('p', { state: 'provisioning', createdAt: ago(60) }),
    );
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions).toEqual([]);
    expect(pp.figures!.chain).toEqual([
      { provider: 'oci-spot', instances: 0, billed: 0, providerInstances: 0, maxInstances: 10 },
      { provider: 'oci-ondemand', instances: 2, billed: 2, providerInstances: 2, maxInstances: 10 },
    ]);
  });

  it('on GCP, a chain of two providers in two zones is how a pool spans zones', () => {
    const w = world({
      pools: [pool('g', { standby_cores: 8, vm_provider_config_names: ['gcp-b', 'gcp-c'] })],
      providers: {
        'gcp-b': provider('gcp-b', { kind: 'gcp', zones: ['us-east4-b'], maxInstances: 1 }),
        'gcp-c': provider('gcp-c', { kind: 'gcp', zones: ['us-east4-c'], maxInstances: 5 }),
      },
    });
    const l = launchesOf(plan(input(w), T0));
    expect(l.map((a) => [a.provider, a.zones])).toEqual([
      ['gcp-b', ['us-east4-b']],
      ['gcp-c', ['us-east4-c']],
    ]);
    // us-east4-b out of capacity: the next pass goes straight to us-east4-c.
    w.memory = withCapacityFailure(w.memory, 'gcp-b', 'us-east4-b', ago(5), 'ZONE_RESOURCE_POOL_EXHAUSTED');
    w.pools[0].standby_cores = 4;
    const [again] = launchesOf(plan(input(w), T0));
    expect(again).toMatchObject({ provider: 'gcp-c', zones: ['us-east4-c'] });
    expect(again.reason).toMatch(/gcp-b: ZONE_RESOURCE_POOL_EXHAUSTED, backoff until .*; launching on gcp-c/);
  });
});

describe('provider chains of different agent sizes', () => {
  const BIG = { cores: 4, memoryMb: 16384, gpus: 0 };
  const SMALL = { cores: 2, memoryMb: 4096, gpus: 0 };

  it('counts an instance still starting at the size of the provider it is on, not where launches go now', () => {
    // The big provider is full; its agent still starting will bring 4 cores, and with a static
    // agent's 2 that is standby 5. Counted at the small provider's 2 cores it looked short: a
    // launch on the small one, scaled down the next pass once the big agent ran (a flap).
    const starting = instance('p', { serverId: hex32(0x51) });
    const w = world({
      pools: [pool('p', { standby_cores: 5, vm_provider_config_names: ['big', 'small'] })],
      providers: {
        big: provider('big', { maxInstances: 1, agentSize: BIG, instances: [starting] }),
        small: provider('small', { maxInstances: 5, agentSize: SMALL }),
      },
      servers: [agent(starting.serverId, BIG, { operational_status: 'starting' }), agent(hex32(0x52), SMALL)],
    });
    const p = plan(input(w), T0);
    expect(launchesOf(p)).toEqual([]);
    expect(p.pools[0].figures?.pending).toEqual(BIG);
  });

  it('counts each launch at the size of the provider it is placed on', () => {
    // Standby 6: one small launch (2 cores, the small provider's only room) and one big (4)
    // close it. Sized all at 2 cores it would be three launches, one of them idle too many.
    const w = world({
      pools: [pool('p', { standby_cores: 6, vm_provider_config_names: ['small', 'big'] })],
      providers: {
        small: provider('small', { maxInstances: 1, agentSize: SMALL }),
        big: provider('big', { maxInstances: 5, agentSize: BIG }),
      },
    });
    expect(launchesOf(plan(input(w), T0)).map((a) => a.provider)).toEqual(['small', 'big']);
  });
});

describe('provider chains: scale down', () => {
  /** Idle registered agents: `spot` on the first provider, `od` on the second; the spot ones idle longer. */
  function idleChain(spot: number, od: number) {
    const w = chainWorld(0);
    w.pools[0].downscale_backoff = 60;
    w.pools[0].scale_down_delay_after_launch = 0;
    let n = 0;
    const add = (pv: string, idleSec: number) => {
      const inst = instance('p', {
        serverId: hex32(500 + ++n),
        createdAt: ago(86400),
        tags: { [TAG_IDLE_SINCE]: unix(ago(idleSec)), [TAG_REGISTERED]: unix(ago(86000)) },
      });
      w.providers[pv].instances.push(inst);
      w.servers.push(agent(inst.serverId, SIZE));
      return inst;
    };
    const spots = Array.from({ length: spot }, () => add('oci-spot', 7200));
    const ods = Array.from({ length: od }, () => add('oci-ondemand', 600));
    return { w, spots, ods };
  }

  it('removes agents on the last provider of the chain first, even when those on the first idled longer', () => {
    const { w, ods } = idleChain(2, 2);
    w.pools[0].standby_cores = 8; // keep two agents
    const t = plan(input(w), T0).pools[0].actions as TerminateAction[];
    expect(t.map((a) => [a.provider, a.instance.id])).toEqual(ods.map((i) => ['oci-ondemand', i.id]));
    expect(t[0].reason).toMatch(/\(on oci-ondemand: a chain empties its last providers first\)$/);
  });

  it('never removes a busy agent on the last provider: an idle one on the first goes instead', () => {
    const { w, spots, ods } = idleChain(1, 1);
    w.kasms.push(session(ods[0].serverId));
    const t = plan(input(w), T0).pools[0].actions as TerminateAction[];
    expect(t.map((a) => a.instance.id)).toEqual([spots[0].id]);
    expect(t.every((a) => a.instance.id !== ods[0].id)).toBe(true);
  });

  it('fall-through at apply time stays within the room the plan leaves on the fallback', () => {
    const w = chainWorld(16);
    w.providers['oci-ondemand'].maxInstances = 2;
    const p = plan(input(w), T0);
    expect(launchesOf(p)).toHaveLength(4);
    const after = applyPlan(w, p, T0, { full: new Set(['oci-spot']) });
    expect(after.providers['oci-spot'].instances).toHaveLength(0);
    expect(after.providers['oci-ondemand'].instances).toHaveLength(2);
  });
});
