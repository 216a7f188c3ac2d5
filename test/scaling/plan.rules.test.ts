/** One example per rule of plan(): each names the complaint (autoscaler-lessons.md) it prevents. */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/scaling/plan.js';
import { emptyPoolMemory, withCapacityFailure } from '../../src/scaling/memory.js';
import { TAG_IDLE_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import type { PoolPlan } from '../../src/scaling/types.js';
import { T0, agent, applyPlan, hex32, input, instance, pool, provider, session, world } from './world.js';

const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const ago = (sec: number) => new Date(T0.getTime() - sec * 1000);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
const only = (p: ReturnType<typeof plan>): PoolPlan => p.pools[0];
const kinds = (pp: PoolPlan) => pp.actions.map((a) => `${a.kind}:${a.cause}`);

/** A pool with `n` registered idle agents of ours (idle for `idleSec`), created long ago. */
function idlePool(n: number, idleSec: number, over: Parameters<typeof pool>[1] = {}) {
  const w = world({ pools: [pool('p', over)], providers: { 'oci-main': provider() } });
  for (let i = 0; i < n; i++) {
    const inst = instance('p', {
      serverId: hex32(100 + i),
      createdAt: ago(86400 + i),
      tags: { [TAG_IDLE_SINCE]: unix(ago(idleSec)), [TAG_REGISTERED]: unix(ago(86000)) },
    });
    w.providers['oci-main'].instances.push(inst);
    w.servers.push(agent(inst.serverId, SIZE));
  }
  return w;
}

describe('scale up', () => {
  it('cold start: launches enough agents in one pass to reach standby, with a readable reason', () => {
    const w = world({ pools: [pool('p', { standby_cores: 10 })], providers: { 'oci-main': provider() } });
    const pp = only(plan(input(w), T0));
    expect(kinds(pp)).toEqual(['launch:standby', 'launch:standby', 'launch:standby']);
    expect(pp.actions[0].reason).toBe('launch: free cores 0 < standby 10 (1 of 3)');
    expect(new Set(pp.actions.map((a) => (a as { serverId: string }).serverId)).size).toBe(3);
  });

  it('counts launched, not yet registered instances as capacity (no second wave while they boot)', () => {
    const w = world({ pools: [pool('p', { standby_cores: 8 })], providers: { 'oci-main': provider() } });
    w.providers['oci-main'].instances.push(
      instance('p', { state: 'provisioning', createdAt: ago(120) }),
      instance('p', { state: 'running', createdAt: ago(200) }),
    );
    expect(only(plan(input(w), T0)).actions).toEqual([]);
  });

  it('uses the pool override as the size of a new agent (Kasm: override when non-zero)', () => {
    const w = world({
      pools: [pool('p', { standby_cores: 8, agent_cores_override: 8 })],
      providers: { 'oci-main': provider() },
    });
    expect(kinds(only(plan(input(w), T0)))).toEqual(['launch:standby']);
  });

  it('counts sessions waiting for an agent as demand', () => {
    const w = idlePool(1, 0, { standby_cores: 2, downscale_backoff: 9999 });
    w.kasms.push(
      session(null, { cores: 4 }, { operational_status: 'requested', zone_name: 'default' }),
      session(null, { cores: 2 }, { operational_status: 'assigned', zone_name: 'default' }),
    );
    const pp = only(plan(input(w), T0));
    // free 4, need 2 + 6 waiting = 8 → one more agent of 4 cores
    expect(kinds(pp)).toEqual(['launch:waiting']);
    expect(pp.actions[0].reason).toBe('launch: free cores 4 < standby 2 + waiting 6');
  });

  it('GPU standby launches GPU agents; a pool whose agents have no GPU says so instead of looping', () => {
    const gpuSize = { cores: 8, memoryMb: 30720, gpus: 1 };
    const w = world({
      pools: [pool('gpu', { standby_cores: 0, standby_gpus: 2, vm_provider_config_name: 'gcp-gpu' })],
      providers: {
        'gcp-gpu': provider('gcp-gpu', { kind: 'gcp', zones: ['us-east4-b'], agentSize: gpuSize }),
      },
    });
    const pp = only(plan(input(w), T0));
    expect(kinds(pp)).toEqual(['launch:standby', 'launch:standby']);
    expect(pp.actions[0].reason).toContain('free GPUs 0 < standby 2');
    w.providers['gcp-gpu'].agentSize = { cores: 8, memoryMb: 30720, gpus: 0 };
    const none = only(plan(input(w), T0));
    expect(none.actions).toEqual([]);
    expect(none.notes.join('\n')).toMatch(/agents of this pool have no GPUs/);
  });

  it('keeps minimum_instances even without demand', () => {
    const w = world({
      pools: [pool('p', { standby_cores: 0, minimum_instances: 2 })],
      providers: { 'oci-main': provider() },
    });
    const pp = only(plan(input(w), T0));
    expect(kinds(pp)).toEqual(['launch:minimum', 'launch:minimum']);
    expect(pp.actions[0].reason).toBe('launch: 0 instance(s) < minimum_instances 2 (1 of 2)');
  });

  it('launches at most max_launch_per_pass per pass, and says so', () => {
    const w = world({
      pools: [pool('p', { standby_cores: 40, max_launch_per_pass: 3 })],
      providers: { 'oci-main': provider() },
    });
    const pp = only(plan(input(w), T0));
    expect(pp.actions).toHaveLength(3);
    expect(pp.notes).toContain('launching 3 of 10 this pass (max_launch_per_pass)');
  });

  it('never exceeds max_instances counted over every pool on the provider (no overshoot)', () => {
    const w = world({
      pools: [
        pool('a', { standby_cores: 40, zone_name: 'default' }),
        pool('b', { standby_cores: 40, zone_name: 'other' }),
      ],
      providers: { 'oci-main': provider('oci-main', { maxInstances: 5 }) },
      zones: [
        { zone_id: '1', zone_name: 'default' },
        { zone_id: '2', zone_name: 'other' },
      ],
    });
    w.providers['oci-main'].instances.push(instance('b', { state: 'terminating' }), instance('retired', {}));
    const p = plan(input(w), T0);
    expect(p.pools[0].actions).toHaveLength(3);
    expect(p.pools[1].actions).toHaveLength(0);
    expect(p.pools[1].notes.join()).toMatch(/has 5 of max_instances 5/);
  });

  it('leaves zones in backoff out of the launch order, and stops when every zone is backed off', () => {
    const w = world({ pools: [pool('p', { standby_cores: 4 })], providers: { 'oci-main': provider() } });
    w.memory = withCapacityFailure(w.memory, 'oci-main', 'AD-1', ago(60), 'Out of host capacity.');
    const pp = only(plan(input(w), T0));
    expect(pp.actions[0]).toMatchObject({ kind: 'launch', zones: ['AD-2'] });
    w.memory = withCapacityFailure(w.memory, 'oci-main', 'AD-2', ago(30));
    const none = only(plan(input(w), T0));
    expect(none.actions).toEqual([]);
    expect(none.notes.join()).toMatch(/every zone of oci-main is in backoff/);
    // after the 5 min windows both are tried again, in order
    expect(only(plan(input(w), new Date(T0.getTime() + 300_000))).actions[0]).toMatchObject({
      zones: ['AD-1', 'AD-2'],
    });
  });

  it('derives launch identities from (pool, minute, slot, owned count): two runners in the same minute agree', () => {
    const w = world({ pools: [pool('p', { standby_cores: 4 })], providers: { 'oci-main': provider() } });
    const a = only(plan(input(w), T0)).actions[0];
    const b = only(plan(input(w), new Date(T0.getTime() + 59_000))).actions[0];
    const c = only(plan(input(w), new Date(T0.getTime() + 60_000))).actions[0];
    expect(b).toEqual(a);
    expect(c).not.toMatchObject({ serverId: (a as { serverId: string }).serverId });
    expect((a as { serverId: string }).serverId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('broken instances', () => {
  it('terminates an instance that never registered within provision_timeout and counts it as a failure', () => {
    const w = world({ pools: [pool('p', { standby_cores: 0 })], providers: { 'oci-main': provider() } });
    const stuck = instance('p', { createdAt: ago(901) });
    const young = instance('p', { createdAt: ago(899) });
    w.providers['oci-main'].instances.push(stuck, young);
    const pp = only(plan(input(w), T0));
    expect(pp.actions).toHaveLength(1);
    expect(pp.actions[0]).toMatchObject({
      kind: 'terminate',
      cause: 'never_registered',
      instance: { id: stuck.id },
    });
    expect(pp.actions[0].reason).toBe(
      'terminate: never registered as an agent within provision_timeout 900 s (age 15 min)',
    );
    expect(pp.outcomes).toEqual([{ serverId: stuck.serverId, outcome: 'never_registered' }]);
  });

  it('replaces an agent missing/dead for provision_timeout with no session; keeps one with a session', () => {
    const w = idlePool(2, 60, { standby_cores: 4, downscale_backoff: 9999 });
    w.servers[0].operational_status = 'missing';
    w.servers[0].last_reported = '2025-01-06 07:40:00.123456';
    w.servers[1].operational_status = 'dead';
    w.servers[1].last_reported = '2025-01-06 07:40:00';
    w.kasms.push(session(w.servers[1].server_id, {}, { operational_status: 'stopped' }));
    const pp = only(plan(input(w), T0));
    expect(kinds(pp)).toEqual(['terminate:unhealthy', 'launch:standby']);
    expect(pp.actions[0].reason).toMatch(/^terminate: agent missing for 19 min/);
    expect(pp.notes.join()).toMatch(/is dead but has sessions: kept/);
  });

  it('stops launching when more than half of recent launches never registered, with a trial after an hour', () => {
    const w = world({ pools: [pool('p', { standby_cores: 8 })], providers: { 'oci-main': provider() } });
    const mem = emptyPoolMemory();
    mem.launches = [
      {
        serverId: hex32(1),
        at: ago(3000).toISOString(),
        outcome: 'never_registered',
        resolvedAt: ago(1800).toISOString(),
      },
      {
        serverId: hex32(2),
        at: ago(3000).toISOString(),
        outcome: 'never_registered',
        resolvedAt: ago(1800).toISOString(),
      },
      {
        serverId: hex32(3),
        at: ago(3000).toISOString(),
        outcome: 'registered',
        resolvedAt: ago(2000).toISOString(),
      },
    ];
    w.memory.pools.p = mem;
    const pp = only(plan(input(w), T0));
    expect(pp.actions).toEqual([]);
    expect(pp.notes[0]).toMatch(
      /^stopped launching: 2 of the last 3 launches never registered as agents; check the startup script/,
    );
    const later = only(plan(input(w), new Date(T0.getTime() + 1800_000)));
    expect(later.actions).toHaveLength(1);
    expect(later.notes[0]).toMatch(/one trial launch now/);
  });
});

describe('scale down', () => {
  it('removes agents idle for downscale_backoff while free capacity stays at standby; longest idle first', () => {
    const w = idlePool(4, 1000, { standby_cores: 8, downscale_backoff: 900 });
    w.providers['oci-main'].instances[2].tags[TAG_IDLE_SINCE] = unix(ago(1860));
    const pp = only(plan(input(w), T0));
    expect(kinds(pp)).toEqual(['terminate:idle', 'terminate:idle']);
    expect(pp.actions[0]).toMatchObject({ instance: { serverId: hex32(102) } });
    expect(pp.actions[0].reason).toBe('terminate: idle 31 min, no sessions, free cores stay 12 ≥ 8');
    expect(pp.actions[1].reason).toBe('terminate: idle 16 min, no sessions, free cores stay 8 ≥ 8');
  });

  it('waits downscale_backoff: an agent idle for less is kept', () => {
    expect(only(plan(input(idlePool(4, 899, { standby_cores: 0 })), T0)).actions).toEqual([]);
  });

  it('never removes an agent with any session, even a paused one, nor an instance we do not own', () => {
    const w = idlePool(2, 5000, { standby_cores: 0 });
    w.kasms.push(session(hex32(100), {}, { operational_status: 'paused' }));
    w.servers.push(agent(hex32(999), SIZE)); // a static agent (no instance of ours)
    const pp = only(plan(input(w), T0));
    expect(pp.actions.map((a) => (a.kind === 'terminate' ? a.instance.serverId : ''))).toEqual([hex32(101)]);
  });

  it('waits scale_down_delay_after_launch after the pool last launched', () => {
    const w = idlePool(3, 5000, { standby_cores: 0, scale_down_delay_after_launch: 600 });
    w.providers['oci-main'].instances.push(instance('p', { createdAt: ago(300), state: 'provisioning' }));
    const pp = only(plan(input(w), T0));
    expect(pp.actions).toEqual([]);
    expect(pp.notes.join()).toMatch(/last launch 5 min ago < scale_down_delay_after_launch 600 s/);
    // the state file's last launch counts too (the instance may already be gone)
    const w2 = idlePool(3, 5000, { standby_cores: 0 });
    w2.memory.pools.p = { ...emptyPoolMemory(), lastLaunchAt: ago(100).toISOString() };
    expect(only(plan(input(w2), T0)).actions).toEqual([]);
  });

  it('still counts scale_down_delay_after_launch from a launch whose instance was cleaned up (fast-check counterexample)', () => {
    // An instance launched 5 min ago never registered (provision_timeout 300 s) and is
    // terminated; the next pass must not treat the older idle agent as past the delay.
    const w = idlePool(1, 5000, {
      standby_cores: 0,
      provision_timeout: 300,
      scale_down_delay_after_launch: 1200,
    });
    w.providers['oci-main'].instances[0].createdAt = ago(1200);
    w.providers['oci-main'].instances.push(instance('p', { createdAt: ago(300), state: 'running' }));
    const p1 = plan(input(w), T0);
    expect(kinds(only(p1))).toEqual(['terminate:never_registered']);
    const p2 = plan(input(applyPlan(w, p1, T0)), T0);
    expect(only(p2).actions).toEqual([]);
    expect(only(p2).notes.join()).toMatch(/scale_down_delay_after_launch 1200 s/);
  });

  it('keeps minimum_instances', () => {
    const pp = only(plan(input(idlePool(3, 5000, { standby_cores: 0, minimum_instances: 2 })), T0));
    expect(kinds(pp)).toEqual(['terminate:idle']);
    expect(pp.notes.join()).toMatch(/minimum_instances 2/);
  });

  it('does nothing destructive in a careful pass (corrupt state file)', () => {
    const pp = only(
      plan(input(idlePool(3, 5000, { standby_cores: 0 }), { careful: 'the state file was corrupt' }), T0),
    );
    expect(pp.actions).toEqual([]);
    expect(pp.notes.join()).toMatch(/state file was corrupt/);
  });

  it('tags idle agents with idle-since and clears it when a session arrives', () => {
    const w = idlePool(2, 100, { standby_cores: 100, downscale_backoff: 9999 });
    delete w.providers['oci-main'].instances[0].tags[TAG_IDLE_SINCE];
    w.kasms.push(session(hex32(101)));
    const pp = only(plan(input(w), T0));
    expect(pp.tagUpdates.map((t) => [t.instance.serverId, t.patch])).toEqual([
      [hex32(100), { [TAG_IDLE_SINCE]: unix(T0) }],
      [hex32(101), { [TAG_IDLE_SINCE]: null }],
    ]);
  });
});

describe('Kasm unreadable or implausible', () => {
  it('terminates nothing when Kasm cannot be read, and launches only for minimum_instances', () => {
    const w = world({
      pools: [pool('p', { standby_cores: 8, minimum_instances: 1 })],
      providers: { 'oci-main': provider() },
    });
    w.providers['oci-main'].instances.push(
      instance('p', { createdAt: ago(5000), state: 'stopped' }),
      instance('p', { createdAt: ago(5000) }),
    );
    const p = plan(input(w, { demand: undefined, demandError: 'connect ECONNREFUSED 127.0.0.1:443' }), T0);
    expect(p.kasmUsable).toBe(false);
    expect(p.pools[0].actions).toEqual([]);
    expect(p.notes[0]).toBe(
      'Kasm could not be read (connect ECONNREFUSED 127.0.0.1:443): terminating nothing this pass; launching only to keep minimum_instances',
    );
  });

  it('terminates nothing when Kasm lists none of our registered agents', () => {
    const w = idlePool(3, 5000, { standby_cores: 0 });
    w.servers = [];
    const p = plan(input(w), T0);
    expect(p.kasmUsable).toBe(false);
    expect(p.kasmReason).toMatch(/implausible: it lists none of our 3 registered agent/);
    expect(p.pools[0].actions).toEqual([]);
  });

  it('refuses a pool whose zone Kasm does not know', () => {
    const w = world({ pools: [pool('p', { zone_name: 'nope' })], providers: { 'oci-main': provider() } });
    expect(only(plan(input(w), T0)).error?.message).toMatch(/Kasm has no zone named "nope"/);
  });

  it('a provider that could not be listed stops only its own pools', () => {
    const w = world({
      pools: [
        pool('a', { standby_cores: 4 }),
        pool('b', { standby_cores: 4, zone_name: 'other', vm_provider_config_name: 'gcp' }),
      ],
      providers: {
        'oci-main': provider('oci-main', {
          instances: undefined,
          error: { kind: 'auth', message: 'NotAuthenticated' },
        }),
        gcp: provider('gcp', { kind: 'gcp' }),
      },
      zones: [
        { zone_id: '1', zone_name: 'default' },
        { zone_id: '2', zone_name: 'other' },
      ],
    });
    const p = plan(input(w), T0);
    expect(p.pools[0].error).toEqual({ kind: 'auth', message: 'NotAuthenticated' });
    expect(p.pools[1].actions).toHaveLength(1);
  });
});
