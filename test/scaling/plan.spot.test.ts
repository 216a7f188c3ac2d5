import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { launchIdentity } from '../../src/scaling/launch-ids.js';
import { plan } from '../../src/scaling/plan.js';
import { emptyPoolMemory, nextPoolMemory } from '../../src/scaling/memory.js';
import { agent, applyPlan, input, instance, pool, provider, session, T0, world } from './world.js';

/**
 * A spot pool whose instances the cloud took back: the next pass deregisters their agents
 * (never with force: not while Kasm lists a session on one), counts the sessions lost once,
 * and launches replacements through the normal scale-up.
 */
const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const ourId = (slot: number) => launchIdentity('spot', new Date(T0.getTime() - 7200_000), slot, 0).serverId;

function preemptedWorld(spot: boolean) {
  const ids = [0, 1, 2, 3].map(ourId);
  const survivors = ids.slice(0, 1).map((serverId) => instance('spot', { serverId }));
  // Instances 1..3 were preempted: no longer listed; Kasm still shows their agents running.
  return world({
    pools: [pool('spot', { standby_cores: 8 })],
    providers: { 'oci-main': { ...provider('oci-main'), spot, instances: survivors } },
    servers: ids.map((id) => agent(id, SIZE, { last_reported: '2025-01-06 07:59:30.000000' })),
    kasms: [session(ids[1]), session(ids[1]), session(ids[0])],
  });
}

describe('plan: a preemption wave on a spot provider', () => {
  it('deregisters the empty preempted agents at once, keeps the busy one, counts its sessions, relaunches', () => {
    const w = preemptedWorld(true);
    const p = plan(input(w), T0).pools[0];
    const dereg = p.actions.filter((a) => a.kind === 'deregister');
    expect(dereg.map((a) => [a.cause, a.kind === 'deregister' && a.serverId])).toEqual([
      ['preempted', ourId(2)],
      ['preempted', ourId(3)],
    ]);
    expect(p.preempted).toEqual({ agents: [ourId(1), ourId(2), ourId(3)].sort(), sessionsLost: 2 });
    expect(p.notes).toContain('3 spot instance(s) preempted; 2 session(s) lost to preemption');
    // The dead agents give no capacity: free is the survivor's 4 - 2 = 2 cores, so 2 launches for 8 standby.
    expect(p.figures!.freeRegistered.cores).toBe(2);
    expect(p.actions.filter((a) => a.kind === 'launch')).toHaveLength(2);
    // Never a terminate of anything with a session, never force: deregister is Kasm's delete_server.
    expect(p.actions.filter((a) => a.kind === 'terminate')).toEqual([]);

    // Next pass: the same preemption is not counted again.
    const next = plan(input(applyPlan(w, plan(input(w), T0), T0)), new Date(T0.getTime() + 60_000)).pools[0];
    expect(next.preempted).toBeUndefined();
    expect(next.notes.join('\n')).toMatch(/was preempted with 2 session\(s\) on it/);
  });

  it('on an on-demand provider a vanished agent still waits provision_timeout and is no preemption', () => {
    const p = plan(input(preemptedWorld(false)), T0).pools[0];
    expect(p.preempted).toBeUndefined();
    expect(p.actions.filter((a) => a.kind === 'deregister')).toEqual([]);
  });
});

describe('plan: a chain of a spot and an on-demand provider', () => {
  // Agent 0 was on the spot provider, agent 1 on the on-demand one; both instances are gone
  // from the listings (a GCP Spot VM is deleted when preempted), their agents still in Kasm.
  const ids = [0, 1].map(ourId);
  const chained = (remembered: Record<string, string> | undefined) => {
    const w = world({
      pools: [pool('spot', { standby_cores: 0, vm_provider_config_names: ['gcp-spot', 'gcp-od'] })],
      providers: {
        'gcp-spot': { ...provider('gcp-spot'), spot: true, instances: [] },
        'gcp-od': { ...provider('gcp-od'), instances: [] },
      },
      servers: ids.map((id) => agent(id, SIZE, { last_reported: '2025-01-06 07:59:30.000000' })),
    });
    if (remembered) w.memory.pools.spot = { ...emptyPoolMemory(), agentProviders: remembered };
    return w;
  };

  it('remembers which provider each agent is on, and carries it through the state file', () => {
    const w = chained(undefined);
    w.providers['gcp-spot'].instances.push(instance('spot', { serverId: ids[0] }));
    w.providers['gcp-od'].instances.push(instance('spot', { serverId: ids[1] }));
    const pp = plan(input(w), T0).pools[0];
    expect(pp.agentProviders).toEqual({ [ids[0]]: 'gcp-spot', [ids[1]]: 'gcp-od' });
    const mem = nextPoolMemory(undefined, {
      now: T0,
      outcomes: [],
      launched: [],
      unhealthySince: pp.unhealthySince,
      agentProviders: pp.agentProviders,
    });
    expect(mem.agentProviders).toEqual(pp.agentProviders);
  });

  it('counts only the agent of the spot provider as preempted; the on-demand one waits provision_timeout', () => {
    const pp = plan(input(chained({ [ids[0]]: 'gcp-spot', [ids[1]]: 'gcp-od' })), T0).pools[0];
    expect(pp.preempted).toEqual({ agents: [ids[0]], sessionsLost: 0 });
    expect(pp.actions.filter((a) => a.kind === 'deregister')).toEqual([
      expect.objectContaining({ serverId: ids[0], provider: 'gcp-spot', cause: 'preempted' }),
    ]);
    // Still remembered until it is deregistered.
    expect(pp.agentProviders).toEqual({ [ids[0]]: 'gcp-spot', [ids[1]]: 'gcp-od' });
  });

  it('a gone agent of unknown provider in a mixed chain is not called preempted', () => {
    const pp = plan(input(chained(undefined)), T0).pools[0];
    expect(pp.preempted).toBeUndefined();
    expect(pp.actions.filter((a) => a.kind === 'deregister')).toEqual([]);
  });
});

describe('plan: preemption invariants (fast-check)', () => {
  it('never deregisters an agent with a session, counts exactly the sessions on preempted agents, stays under max_instances', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ preempted: fc.boolean(), sessions: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (agents, maxInstances, minimum, spot) => {
          const ids = agents.map((_, i) => ourId(i));
          const w = world({
            pools: [pool('spot', { standby_cores: 4, minimum_instances: minimum })],
            providers: {
              'oci-main': {
                ...provider('oci-main', { maxInstances }),
                spot,
                instances: ids
                  .filter((_, i) => !agents[i].preempted)
                  .map((serverId) => instance('spot', { serverId })),
              },
            },
            servers: ids.map((id) => agent(id, SIZE, { last_reported: '2025-01-06 07:59:30.000000' })),
            kasms: agents.flatMap((a, i) => Array.from({ length: a.sessions }, () => session(ids[i]))),
          });
          const p = plan(input(w), T0).pools[0];
          const busy = new Set(w.kasms.map((k) => k.server_id));
          for (const a of p.actions) {
            if (a.kind === 'deregister') expect(busy.has(a.serverId)).toBe(false);
            if (a.kind === 'terminate') expect(busy.has(a.instance.serverId)).toBe(false);
          }
          const preempted = agents.filter((a) => a.preempted);
          if (spot && preempted.length)
            expect(p.preempted).toEqual({
              agents: ids.filter((_, i) => agents[i].preempted).sort(),
              sessionsLost: preempted.reduce((n, a) => n + a.sessions, 0),
            });
          else expect(p.preempted).toBeUndefined();
          const live = w.providers['oci-main'].instances.length;
          const launched = p.actions.filter((a) => a.kind === 'launch').length;
          expect(launched === 0 || live + launched <= maxInstances).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
