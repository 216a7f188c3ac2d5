/**
 * plan()'s rules for an agent's end of life: every removal of a registered agent is a
 * drain; a drain a killed pass left half-way is finished or undone; our agents whose
 * instance vanished are deregistered; orphans are listed, counted and reaped after grace.
 */
import { describe, expect, it } from 'vitest';
import { TAG_OWNER, TAG_POOL, poolLabel } from '../../src/clouds/ownership.js';
import { launchIdentity } from '../../src/scaling/launch-ids.js';
import { plan } from '../../src/scaling/plan.js';
import { TAG_DRAIN, TAG_IDLE_SINCE, TAG_ORPHAN_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import type { PoolPlan } from '../../src/scaling/types.js';
import { T0, agent, hex32, input, instance, pool, provider, session, world } from './world.js';

const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const ago = (sec: number) => new Date(T0.getTime() - sec * 1000);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
const kinds = (pp: PoolPlan) => pp.actions.map((a) => `${a.kind}:${a.cause}`);
const OWNER = 'k-ours';

/** Pool p (standby 0 unless given) with `n` registered, long idle agents of ours. */
function pool1(n: number, over: Parameters<typeof pool>[1] = {}, tags: Record<string, string> = {}) {
  const w = world({
    pools: [
      pool('p', { standby_cores: 0, downscale_backoff: 600, scale_down_delay_after_launch: 0, ...over }),
    ],
    providers: { 'oci-main': provider() },
  });
  for (let i = 0; i < n; i++) {
    const inst = instance('p', {
      serverId: hex32(200 + i),
      createdAt: ago(86400 + i),
      tags: { [TAG_IDLE_SINCE]: unix(ago(3600)), [TAG_REGISTERED]: unix(ago(86000)), ...tags },
    });
    w.providers['oci-main'].instances.push(inst);
    w.servers.push(agent(inst.serverId, SIZE));
  }
  return w;
}

describe('drain: scale-down and clean-up of a registered agent', () => {
  it('an idle agent leaves by the drain protocol; an instance that never registered is simply terminated', () => {
    const w = pool1(1, { provision_timeout: 600 });
    w.providers['oci-main'].instances.push(instance('p', { createdAt: ago(700) }));
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions.map((a) => (a.kind === 'terminate' ? `${a.cause}:${a.drain}` : a.kind))).toEqual([
      'never_registered:false',
      'idle:true',
    ]);
  });

  it('a drain left half-way (agent disabled by us) is finished when the agent should still go', () => {
    const w = pool1(1, {}, { [TAG_DRAIN]: 'deleting' });
    w.servers[0].enabled = false;
    const pp = plan(input(w), T0).pools[0];
    expect(kinds(pp)).toEqual(['terminate:idle']);
    expect(pp.actions[0].reason).toMatch(/^terminate \(drain resumed\): idle 60 min, no sessions/);
    expect(pp.figures!.freeRegistered.cores).toBe(0); // a disabled agent is not free capacity
    expect(pp.figures!.draining.cores).toBe(4);
  });

  it('... and undone (re-enabled) when the pool needs it: its capacity is used instead of a launch', () => {
    const w = pool1(1, { standby_cores: 2 }, { [TAG_DRAIN]: 'disabling' });
    w.servers[0].enabled = false;
    const pp = plan(input(w), T0).pools[0];
    expect(kinds(pp)).toEqual(['enable:drain_undone']);
    expect(pp.actions[0].reason).toBe(
      're-enable: a drain left this agent disabled and the pool keeps it (standby, minimum or scale-down delay)',
    );
  });

  it('... and undone when a session is on it', () => {
    const w = pool1(1, {}, { [TAG_DRAIN]: 'disabling' });
    w.servers[0].enabled = false;
    w.kasms.push(session(w.servers[0].server_id));
    const pp = plan(input(w), T0).pools[0];
    expect(kinds(pp)).toEqual(['enable:drain_undone']);
    expect(pp.actions[0].reason).toMatch(/sessions are on it$/);
  });

  it('an agent disabled by someone else (no drain record) is left alone and is not free capacity', () => {
    const w = pool1(1, { standby_cores: 2 });
    w.servers[0].enabled = false;
    const pp = plan(input(w), T0).pools[0];
    expect(kinds(pp)).toEqual(['launch:standby']);
    expect(pp.actions[0].reason).toBe('launch: free cores 0 < standby 2');
  });

  it('an enabled agent still carrying a drain record (killed before disabling) that stays: the record is cleared', () => {
    const w = pool1(1, { standby_cores: 4 }, { [TAG_DRAIN]: 'disabling' });
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions).toEqual([]);
    expect(pp.tagUpdates.map((t) => t.patch)).toEqual([{ [TAG_DRAIN]: null, 'kasm-scale-drain-at': null }]);
  });

  it('an instance whose agent Kasm has delete_pending is terminated at once (no drain, no provision_timeout wait), unless sessions are on it', () => {
    const w = pool1(1, { standby_cores: 0, provision_timeout: 3600 });
    w.servers[0].operational_status = 'delete_pending';
    w.servers[0].last_reported = '2025-01-06 07:59:00';
    const pp = plan(input(w), T0).pools[0];
    expect(pp.actions.map((a) => (a.kind === 'terminate' ? `${a.cause}:${a.drain}` : a.kind))).toEqual([
      'deregistered:false',
    ]);
    w.kasms.push(session(w.servers[0].server_id));
    expect(plan(input(w), T0).pools[0].actions).toEqual([]);
  });

  it('with demand from a snapshot (no Kasm API) nothing is drained: a note says why', () => {
    const pp = plan(input(pool1(1), { kasmWritable: false }), T0).pools[0];
    expect(pp.actions).toEqual([]);
    expect(pp.notes.join('\n')).toMatch(
      /1 agent change\(s\) not made: draining, re-enabling and deregistering agents need the Kasm API/,
    );
  });
});

describe('agents whose instance vanished', () => {
  const ourId = launchIdentity('p', ago(7200), 0, 0, OWNER).serverId;

  it('our agent (by its server_id mark) with no instance is deregistered once silent for provision_timeout', () => {
    const w = pool1(0, { provision_timeout: 600 });
    w.servers.push(
      agent(ourId, SIZE, { operational_status: 'missing', last_reported: '2025-01-06 07:49:00' }),
    );
    const pp = plan(input(w, { ownershipId: OWNER }), T0).pools[0];
    expect(kinds(pp)).toEqual(['deregister:instance_gone']);
    expect(pp.actions[0].reason).toBe(
      'deregister: its instance is gone and the agent (missing) has not reported for 11 min (≥ provision_timeout 600 s)',
    );
  });

  it("not before provision_timeout, not another installation's or a static agent, not one with sessions", () => {
    const fresh = pool1(0, { provision_timeout: 600 });
    fresh.servers.push(
      agent(ourId, SIZE, { operational_status: 'missing', last_reported: '2025-01-06 07:55:00' }),
    );
    expect(plan(input(fresh, { ownershipId: OWNER }), T0).pools[0].actions).toEqual([]);
    const old = pool1(0, { provision_timeout: 600 });
    old.servers.push(
      agent(ourId, SIZE, { operational_status: 'missing', last_reported: '2025-01-06 07:00:00' }),
      agent(hex32(77), SIZE, { operational_status: 'missing', last_reported: '2025-01-06 07:00:00' }),
    );
    expect(plan(input(old, { ownershipId: 'k-someone-else' }), T0).pools[0].actions).toEqual([]);
    old.kasms.push(session(ourId));
    const busy = plan(input(old, { ownershipId: OWNER }), T0).pools[0];
    expect(busy.actions).toEqual([]);
    expect(busy.notes.join('\n')).toMatch(
      /has no instance any more but Kasm lists sessions on it: not deregistered/,
    );
  });
});

describe('orphans', () => {
  /** Pool p plus one instance of ours (owner OWNER) of a pool named "gone" that left the file. */
  function withOrphan(orphanTags: Record<string, string> = {}, over: { owner?: string | null } = {}) {
    const w = pool1(0);
    const tags: Record<string, string> = { [TAG_REGISTERED]: unix(ago(86000)), ...orphanTags };
    if (over.owner !== null) tags[TAG_OWNER] = over.owner ?? OWNER;
    const o = instance('gone', { serverId: hex32(900), tags });
    w.providers['oci-main'].instances.push(o);
    w.servers.push(agent(o.serverId, SIZE));
    return { w, o };
  }
  const opts = { ownershipId: OWNER, knownPools: ['p'], orphans: { graceSec: 3600 } };

  it('is listed, marked, counted against max_instances, and kept within orphan_grace', () => {
    const { w, o } = withOrphan();
    w.providers['oci-main'].maxInstances = 1;
    w.pools[0].minimum_instances = 1;
    const p = plan(input(w, opts), T0);
    expect(p.orphans.instances.map((i) => [i.instance.id, i.poolLabel, i.agentStatus])).toEqual([
      [o.id, poolLabel('gone'), 'running'],
    ]);
    expect(p.orphans.tagUpdates.map((t) => t.patch)).toEqual([{ [TAG_ORPHAN_SINCE]: unix(T0) }]);
    expect(p.orphans.actions).toEqual([]);
    expect(p.pools[0].notes).toContain('launching 0 of 1: provider oci-main has 1 of max_instances 1');
  });

  it('is drained and terminated after orphan_grace, never with a session, not with reaping off', () => {
    const { w } = withOrphan({ [TAG_ORPHAN_SINCE]: unix(ago(3600)) });
    const p = plan(input(w, opts), T0);
    expect(p.orphans.actions.map((a) => (a.kind === 'terminate' ? `${a.cause}:${a.drain}` : a.kind))).toEqual(
      ['orphan:true'],
    );
    expect(p.orphans.actions[0].reason).toBe(
      `terminate orphan: pool ${poolLabel('gone')} is not in the config file (orphan for 60 min ≥ orphan_grace 3600 s), no sessions`,
    );
    expect(
      plan(
        input(w, { ...opts, orphans: { graceSec: 3600, off: 'orphan reaping is off (--keep-orphans)' } }),
        T0,
      ).orphans.actions,
    ).toEqual([]);
    w.kasms.push(session(hex32(900)));
    const busy = plan(input(w, opts), T0);
    expect(busy.orphans.actions).toEqual([]);
    expect(busy.orphans.notes).toEqual([
      '1 orphan instance(s) kept: within orphan_grace, or sessions on them',
    ]);
  });

  it('an instance of another installation, or one without an ownership id, is never an orphan', () => {
    for (const owner of ['k-another', null]) {
      const { w } = withOrphan({ [TAG_ORPHAN_SINCE]: unix(ago(99999)) }, { owner });
      const p = plan(input(w, opts), T0);
      expect(p.orphans.instances).toEqual([]);
      expect(p.orphans.actions).toEqual([]);
    }
  });

  it('an instance whose pool is back in the file is no orphan, and its orphan mark is removed', () => {
    const { w, o } = withOrphan({ [TAG_ORPHAN_SINCE]: unix(ago(100)) });
    w.pools.push(pool('gone', { zone_name: 'other' }));
    w.zones.push({ zone_id: 'z-other', zone_name: 'other' });
    const p = plan(input(w, { ...opts, knownPools: ['p', 'gone'] }), T0);
    expect(p.orphans.instances).toEqual([]);
    expect(p.pools[1].tagUpdates.find((t) => t.instance.id === o.id)?.patch).toMatchObject({
      [TAG_ORPHAN_SINCE]: null,
    });
    expect(o.tags[TAG_POOL]).toBe(poolLabel('gone'));
  });
});
