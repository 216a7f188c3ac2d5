/**
 * Invariants of plan() over random pools, agents, sessions and instances (fast-check).
 * Each property is one promise kasm-scale makes to an operator (autoscaler-lessons.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnedInstance } from '../../src/clouds/types.js';
import type { KasmServer, KasmSession } from '../../src/kasm/types.js';
import { compactServer, compactSession, parseServer, parseSession } from '../../src/kasm/parse.js';
import { plan } from '../../src/scaling/plan.js';
import { TAG_OWNER } from '../../src/clouds/ownership.js';
import { agentCapacity, clampZero, sessionSize, sub, zero, add } from '../../src/scaling/capacity.js';
import { TAG_DRAIN, TAG_IDLE_SINCE, TAG_ORPHAN_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import type { Plan, Resources } from '../../src/scaling/types.js';
import {
  T0,
  agent,
  applyPlan,
  hex32,
  input,
  instance,
  pool,
  provider,
  session,
  world,
  type World,
} from './world.js';

const sizes: Resources[] = [
  { cores: 2, memoryMb: 4096, gpus: 0 },
  { cores: 4, memoryMb: 16384, gpus: 0 },
  { cores: 8, memoryMb: 32768, gpus: 1 },
];
const SESSION_STATES = ['running', 'starting', 'paused', 'stopped', 'deleting'];
const AGENT_STATES = ['running', 'running', 'running', 'starting', 'missing', 'dead'];
const INSTANCE_STATES = ['running', 'running', 'running', 'provisioning', 'stopping', 'terminating'] as const;

interface Gen {
  generous: boolean;
}

/**
 * A random world: 1–2 providers, 1–3 pools (one zone each; with two providers a pool may
 * name both as a chain, its instances on either), owned instances, static agents, sessions.
 */
function arbWorld(g: Gen): fc.Arbitrary<World> {
  return fc
    .record({
      nProviders: fc.integer({ min: 1, max: 2 }),
      maxInstances: fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 2, maxLength: 2 }),
      sizeIx: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }),
      pools: fc.array(
        fc.record({
          provider: fc.integer({ min: 0, max: 1 }),
          // With two providers: a chain [preferred, the other] instead of one provider.
          chain: fc.boolean(),
          standbyCores: fc.integer({ min: 0, max: 12 }),
          standbyMem: fc.constantFrom(0, 0, 4096, 20000, 65536),
          standbyGpus: fc.constantFrom(0, 0, 0, 1, 2),
          backoff: fc.constantFrom(0, 300, 900, 1800),
          minimum: fc.integer({ min: 0, max: 3 }),
          maxPerPass: fc.integer({ min: 1, max: 6 }),
          delay: fc.constantFrom(0, 600, 1200),
          timeout: fc.constantFrom(300, 900),
          instances: fc.array(
            fc.record({
              state: fc.constantFrom(...INSTANCE_STATES),
              onFallback: fc.boolean(),
              ageSec: fc.integer({ min: 0, max: 7200 }),
              registered: fc.constantFrom(true, true, true, true, false),
              lastReportedAgoSec: fc.integer({ min: 0, max: 3600 }),
              agentState: fc.constantFrom(...AGENT_STATES),
              enabled: fc.constantFrom(true, true, true, false),
              idleForSec: fc.option(fc.integer({ min: 0, max: 4000 }), { freq: 1 }),
              regTag: fc.boolean(),
              drain: fc.constantFrom('', '', '', 'disabling', 'deleting'),
              sessions: fc.oneof(
                fc.constant([]),
                fc.array(
                  fc.record({ state: fc.constantFrom(...SESSION_STATES), cores: fc.constantFrom(1, 2, 4) }),
                  { maxLength: 2 },
                ),
              ),
            }),
            { maxLength: 6 },
          ),
          statics: fc.array(
            fc.record({ size: fc.integer({ min: 0, max: 2 }), sessions: fc.integer({ min: 0, max: 3 }) }),
            { maxLength: 2 },
          ),
          waiting: fc.oneof(
            fc.constant([] as number[]),
            fc.array(fc.constantFrom(1, 2, 4), { maxLength: 3 }),
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      foreign: fc.integer({ min: 0, max: 2 }),
      foreignSessions: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 2, maxLength: 2 }),
    })
    .map((r) => {
      const w = world({ zones: [] });
      for (let p = 0; p < r.nProviders; p++) {
        w.providers[`prov-${p}`] = provider(`prov-${p}`, {
          maxInstances: g.generous ? 1000 : r.maxInstances[p],
          agentSize: sizes[r.sizeIx[p]],
          instances: [],
        });
      }
      let n = 0;
      r.pools.forEach((gp, ix) => {
        const provName = `prov-${Math.min(gp.provider, r.nProviders - 1)}`;
        const chain =
          gp.chain && r.nProviders === 2 ? [provName, `prov-${1 - Math.min(gp.provider, 1)}`] : [provName];
        const prov = w.providers[provName];
        const size = prov.agentSize!;
        const zone = `zone-${ix}`;
        w.zones.push({ zone_id: `zid-${ix}`, zone_name: zone });
        const name = `pool ${ix}`;
        w.pools.push(
          pool(name, {
            vm_provider_config_names: chain,
            zone_name: zone,
            standby_cores: gp.standbyCores,
            standby_memory_mb: gp.standbyMem,
            standby_gpus: gp.standbyGpus,
            downscale_backoff: gp.backoff,
            minimum_instances: gp.minimum,
            max_launch_per_pass: g.generous ? 1000 : gp.maxPerPass,
            scale_down_delay_after_launch: gp.delay,
            provision_timeout: gp.timeout,
          }),
        );
        for (const gi of gp.instances) {
          const serverId = hex32(++n + ix * 1000);
          const tags: Record<string, string> = {};
          const idle =
            gi.idleForSec !== null && gi.sessions.length === 0 && gi.registered
              ? Math.floor(T0.getTime() / 1000 - gi.idleForSec)
              : undefined;
          if (idle !== undefined) tags[TAG_IDLE_SINCE] = String(idle);
          if (gi.registered && gi.regTag)
            tags[TAG_REGISTERED] = String(Math.floor(T0.getTime() / 1000) - 7200);
          if (gi.drain) tags[TAG_DRAIN] = gi.drain;
          const inst = instance(name, {
            serverId,
            state: gi.state,
            createdAt: new Date(T0.getTime() - gi.ageSec * 1000),
            tags,
          });
          w.providers[chain[gi.onFallback ? chain.length - 1 : 0]].instances.push(inst);
          if (gi.registered) {
            w.servers.push(
              agent(serverId, size, {
                zone_name: zone,
                operational_status: gi.agentState,
                enabled: gi.enabled,
                last_reported: kasmDate(new Date(T0.getTime() - gi.lastReportedAgoSec * 1000)),
              }),
            );
            for (const s of gi.sessions)
              w.kasms.push(session(serverId, { cores: s.cores }, { operational_status: s.state }));
          }
        }
        gp.statics.forEach((st, j) => {
          const id = hex32(0xabc000 + ix * 10 + j);
          w.servers.push(agent(id, sizes[st.size], { zone_name: zone }));
          for (let k = 0; k < st.sessions; k++) w.kasms.push(session(id, { cores: 1, memoryMb: 1024 }));
        });
        for (const c of gp.waiting)
          w.kasms.push(session(null, { cores: c, memoryMb: 1024 }, { zone_name: zone }));
      });
      // Owned instances of a pool that is no longer configured: counted, never touched.
      // Some carry our ownership id (orphans), with an agent in Kasm and maybe a session on it.
      for (let f = 0; f < r.foreign; f++) {
        const serverId = hex32(0xfff000 + f);
        const orphan = f % 2 === 0;
        w.providers['prov-0'].instances.push(
          instance('retired pool', {
            serverId,
            tags: orphan ? { [TAG_OWNER]: OWNER, [TAG_ORPHAN_SINCE]: '1' } : {},
          }),
        );
        if (orphan) {
          w.servers.push(agent(serverId, sizes[0], { zone_name: 'zone-0' }));
          if (r.foreignSessions[f]) w.kasms.push(session(serverId));
        }
      }
      return w;
    });
}

const OWNER = 'k-property';
const kasmDate = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '000');
const launches = (p: Plan, pool?: string) =>
  p.pools
    .filter((x) => !pool || x.pool === pool)
    .flatMap((x) => x.actions.filter((a) => a.kind === 'launch'));
const terminations = (p: Plan) => p.pools.flatMap((x) => x.actions.filter((a) => a.kind === 'terminate'));

function sessionsOn(w: World, serverId: string): KasmSession[] {
  return w.kasms.filter((k) => k.server_id === serverId);
}

describe('plan() invariants (fast-check)', () => {
  it('never exceeds max_instances, counting every owned not-terminated instance of every pool on the provider', () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), (w) => {
        const p = plan(input(w), T0);
        for (const [name, prov] of Object.entries(w.providers)) {
          const existing = prov.instances.filter((i) => i.state !== 'terminated').length;
          const launched = launches(p).filter((a) => a.provider === name).length;
          expect(launched).toBeLessThanOrEqual(Math.max(0, prov.maxInstances - existing));
        }
        // ... also when providers answer capacity and launches fall through their chains.
        for (const full of [['prov-0'], ['prov-1']]) {
          const after = applyPlan(w, p, T0, { full: new Set(full) });
          for (const [name, prov] of Object.entries(after.providers)) {
            const before = w.providers[name].instances.length;
            expect(prov.instances.length, name).toBeLessThanOrEqual(Math.max(before, prov.maxInstances));
          }
        }
        for (const pp of p.pools) {
          const cfg = w.pools.find((x) => x.autoscale_config_name === pp.pool)!;
          expect(launches(p, pp.pool).length).toBeLessThanOrEqual(cfg.max_launch_per_pass);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never terminates an instance with a session, one we do not own, or one of another pool', () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), fc.boolean(), (w, kasmDown) => {
        const p = plan(
          kasmDown ? input(w, { demand: undefined, demandError: 'connect ECONNREFUSED' }) : input(w),
          T0,
        );
        if (kasmDown) expect(terminations(p)).toHaveLength(0);
        for (const pp of p.pools) {
          for (const a of pp.actions) {
            if (a.kind !== 'terminate') continue;
            expect(pp.providers).toContain(a.provider);
            const prov = w.providers[a.provider];
            const inst = prov.instances.find((i) => i.id === a.instance.id) as OwnedInstance;
            expect(inst).toBeDefined();
            expect(inst.autoscaleConfigName).toBe(pp.pool);
            expect(inst.tags['kasm-scale-managed']).toBe('true');
            expect(sessionsOn(w, inst.serverId)).toHaveLength(0);
            const row = w.servers.find((s: KasmServer) => s.server_id === inst.serverId);
            expect(row?.kasms?.length ?? 0).toBe(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never drains or terminates an agent with a session; a disabled agent is never counted as free capacity; no agent of ours stays disabled by a drain without a reason', () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), fc.boolean(), (w, reapNow) => {
        const p = plan(
          input(w, {
            ownershipId: OWNER,
            knownPools: w.pools.map((x) => x.autoscale_config_name),
            orphans: { graceSec: reapNow ? 0 : 3600 },
          }),
          T0,
        );
        const all = [...p.pools.flatMap((x) => x.actions), ...p.orphans.actions];
        for (const a of all) {
          const id =
            a.kind === 'terminate' || a.kind === 'enable'
              ? a.instance.serverId
              : a.kind === 'deregister'
                ? a.serverId
                : undefined;
          if (!id || a.kind === 'enable') continue;
          expect(sessionsOn(w, id), a.reason).toHaveLength(0);
          expect(w.servers.find((s) => s.server_id === id)?.kasms?.length ?? 0).toBe(0);
        }
        for (const pp of p.pools) {
          if (!pp.figures) continue;
          let free = zero();
          for (const s of w.servers.filter(
            (x) => x.zone_name === pp.zone && x.enabled && x.operational_status === 'running',
          )) {
            const used = sessionsOn(w, s.server_id)
              .filter((k) => ['running', 'starting'].includes(String(k.operational_status)))
              .reduce((u, k) => add(u, sessionSize(k)), zero());
            free = add(free, clampZero(sub(agentCapacity(s), used)));
          }
          expect(pp.figures.freeRegistered).toEqual(free);
          // Every agent of ours a drain left disabled ends this plan re-enabled or removed.
          for (const i of pp.providers
            .flatMap((pv) => w.providers[pv].instances)
            .filter((x) => x.autoscaleConfigName === pp.pool && x.tags[TAG_DRAIN] && x.state === 'running')) {
            const s = w.servers.find((x) => x.server_id === i.serverId);
            if (!s || s.enabled || s.operational_status !== 'running') continue;
            expect(
              pp.actions.some(
                (a) => (a.kind === 'enable' || a.kind === 'terminate') && a.instance.id === i.id,
              ),
              `disabled ${i.serverId} in ${pp.pool}`,
            ).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never launches and scales down the same pool in one pass', () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), (w) => {
        const p = plan(input(w), T0);
        for (const pp of p.pools) {
          const up = pp.actions.some((a) => a.kind === 'launch');
          const down = pp.actions.some((a) => a.kind === 'terminate' && a.cause === 'idle');
          expect(up && down).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same input and now give the same plan', () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), (w) => {
        expect(plan(input(w), T0)).toEqual(plan(input(w), T0));
      }),
      { numRuns: 100 },
    );
  });

  it("decides the same on the compact form a pass keeps of Kasm's answers (raw rows dropped)", () => {
    fc.assert(
      fc.property(arbWorld({ generous: false }), (w) => {
        // What Kasm adds that the planner never reads: images, users, per-agent session details.
        const noisy = {
          servers: w.servers.map((s) => ({
            ...s,
            core_calculations: { used: 1 },
            kasms: (s.kasms ?? []).map((k) => ({ ...k, user: { username: 'u' } })),
          })),
          kasms: w.kasms.map((k) => ({
            ...k,
            image: { name: 'chrome' },
            user: { username: 'u' },
            server: k.server_id ? { hostname: 'h', port: 443, zone_name: 'x' } : null,
          })),
        };
        const lenient = {
          servers: noisy.servers.map(parseServer),
          kasms: noisy.kasms.map(parseSession),
          zones: w.zones,
        };
        const compact = {
          servers: noisy.servers.map(compactServer),
          kasms: noisy.kasms.map(compactSession),
          zones: w.zones,
        };
        expect(plan({ ...input(w), demand: compact }, T0)).toEqual(
          plan({ ...input(w), demand: lenient }, T0),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('converges in one pass: after applying a plan to a constant demand the next plan is empty', () => {
    fc.assert(
      fc.property(arbWorld({ generous: true }), (w) => {
        const p1 = plan(input(w), T0);
        const w2 = applyPlan(w, p1, T0);
        const p2 = plan(input(w2), T0);
        for (const pp of p2.pools) {
          expect({
            pool: pp.pool,
            actions: pp.actions.map((a) => a.reason),
            tags: pp.tagUpdates.map((t) => t.reason),
          }).toEqual({ pool: pp.pool, actions: [], tags: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not flap: under constant demand a pool never scales up after scaling down, nor down after up', () => {
    fc.assert(
      fc.property(
        arbWorld({ generous: false }),
        fc.array(fc.integer({ min: 30, max: 1200 }), { minLength: 3, maxLength: 10 }),
        (w0, steps) => {
          // Chains whose providers give agents of different sizes are left out: a launch onto a
          // bigger agent of a later provider can leave enough surplus to trim a smaller idle
          // agent once (up, then down; it converges, but it is not flap-free). docs/provider-chains.md.
          fc.pre(w0.pools.every((p) => uniformChain(p.vm_provider_config_names ?? [], w0)));
          let w = w0;
          let now = T0;
          const seen: Record<string, Set<'up' | 'down'>> = {};
          for (const step of [0, ...steps]) {
            now = new Date(now.getTime() + step * 1000);
            const p = plan(input(w), now);
            for (const pp of p.pools) {
              seen[pp.pool] ??= new Set();
              if (pp.actions.some((a) => a.kind === 'launch')) seen[pp.pool].add('up');
              if (pp.actions.some((a) => a.kind === 'terminate' && a.cause === 'idle'))
                seen[pp.pool].add('down');
              expect(
                [...seen[pp.pool]].sort(),
                `pool ${pp.pool} at +${(now.getTime() - T0.getTime()) / 1000}s`,
              ).not.toEqual(['down', 'up']);
            }
            // Launched instances register as idle agents by the next pass; demand does not change.
            w = applyPlan(w, p, now, { register: true });
            // Agents still starting or pending at the start have finished by the next pass.
            w = settle(w);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Instances that were provisioning become running; their agents (if any) are running. */
/** Every provider of the chain gives agents of one size, and the agents already there have it. */
function uniformChain(chain: string[], w: World): boolean {
  if (chain.length < 2) return true;
  const key = (r: { cores: number; memoryMb: number; gpus: number } | undefined) =>
    r ? `${r.cores}/${r.memoryMb}/${r.gpus}` : '?';
  const sizes = new Set(chain.map((pn) => key(w.providers[pn]?.agentSize)));
  for (const pn of chain)
    for (const i of w.providers[pn]?.instances ?? []) {
      const a = w.servers.find((s) => s.server_id === i.serverId);
      if (a) sizes.add(key(agentCapacity(a)));
    }
  return sizes.size === 1;
}

function settle(w: World): World {
  const out = structuredClone(w);
  const live = new Set<string>();
  for (const prov of Object.values(out.providers))
    for (const i of prov.instances) {
      if (i.state === 'provisioning') i.state = 'running';
      if (i.state === 'running') live.add(i.serverId);
    }
  for (const s of out.servers)
    if (s.operational_status === 'starting' && live.has(s.server_id)) s.operational_status = 'running';
  return out;
}
