/**
 * plan()'s invariants hold with schedule windows (fast-check, modest runs): never above
 * max_instances, never an agent with a session terminated, one pass converges inside a
 * window, and a boundary changes each target once (no flapping).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../src/config/schema/schedule.js';
import { plan } from '../../src/scaling/plan.js';
import { occurrences, scheduledTargets, type ScheduledValues } from '../../src/scaling/schedule.js';
import { TAG_IDLE_SINCE, TAG_REGISTERED } from '../../src/clouds/ownership.js';
import {
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

const SIZE = { cores: 4, memoryMb: 16384, gpus: 0 };
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** 2025 around both DST changes of both zones, and a plain week. */
const BASES = [
  '2025-03-07T12:00:00Z',
  '2025-03-28T12:00:00Z',
  '2025-10-24T12:00:00Z',
  '2025-10-31T12:00:00Z',
  '2025-06-02T12:00:00Z',
];

/** One or two windows on disjoint days (so never overlapping), in one zone, each < 24 h. */
const arbWindows = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    split: fc.integer({ min: 1, max: 6 }),
    two: fc.boolean(),
    w: fc.array(
      fc.record({
        start: fc.integer({ min: 0, max: 95 }).map((q) => q * 15),
        length: fc.integer({ min: 1, max: 40 }).map((q) => q * 15),
        cores: fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }),
        memory: fc.option(fc.constantFrom(0, 16384, 65536), { nil: undefined }),
        minimum: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      }),
      { minLength: 2, maxLength: 2 },
    ),
  })
  .map(({ zone, split, two, w }) => {
    // Days every other one, so a window past midnight never reaches the next window's day.
    const groups = [DAYS.filter((_, i) => i % 2 === 0 && i < split * 2), DAYS.filter((_, i) => i % 2 === 1)];
    return w.slice(0, two ? 2 : 1).flatMap((x, i): ScheduleWindow[] =>
      groups[i].length === 0
        ? []
        : [
            {
              days: [...groups[i]],
              start: hhmm(x.start),
              end:
                x.length >= 1440 - 15
                  ? hhmm(x.start) === '00:00'
                    ? '24:00'
                    : hhmm((x.start + 1425) % 1440)
                  : hhmm((x.start + x.length) % 1440),
              time_zone: zone,
              ...(x.cores === undefined ? {} : { standby_cores: x.cores }),
              ...(x.memory === undefined ? {} : { standby_memory_mb: x.memory }),
              ...(x.minimum === undefined ? {} : { minimum_instances: x.minimum }),
            },
          ],
    );
  })
  .filter((ws) => ws.length > 0 && ws.every((w) => w.start !== w.end));

const arbCase = fc.record({
  windows: arbWindows,
  base: fc.constantFrom(...BASES),
  offsetMin: fc.integer({ min: 0, max: 7 * 1440 }),
  ownCores: fc.integer({ min: 0, max: 12 }),
  ownMin: fc.integer({ min: 0, max: 2 }),
  maxInstances: fc.integer({ min: 0, max: 12 }),
  agents: fc.array(fc.record({ busy: fc.boolean(), idleMin: fc.integer({ min: 0, max: 120 }) }), {
    maxLength: 6,
  }),
  timeout: fc.constantFrom(300, 900),
  delay: fc.constantFrom(0, 600),
});
type Case = typeof arbCase extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case, now: Date, generous = false): World {
  const w = world({
    pools: [
      pool('p', {
        standby_cores: c.ownCores,
        minimum_instances: c.ownMin,
        provision_timeout: c.timeout,
        scale_down_delay_after_launch: c.delay,
        downscale_backoff: 600,
        max_launch_per_pass: generous ? 1000 : 10,
        schedules: c.windows,
      }),
    ],
    providers: { 'oci-main': provider('oci-main', { maxInstances: generous ? 1000 : c.maxInstances }) },
  });
  c.agents.forEach((a, i) => {
    const idle = new Date(now.getTime() - a.idleMin * 60_000);
    const inst = instance('p', {
      serverId: hex32(7000 + i),
      createdAt: new Date(now.getTime() - 6 * 3600_000),
      tags: a.busy
        ? { [TAG_REGISTERED]: '1' }
        : { [TAG_IDLE_SINCE]: String(Math.floor(idle.getTime() / 1000)), [TAG_REGISTERED]: '1' },
    });
    w.providers['oci-main'].instances.push(inst);
    w.servers.push(agent(inst.serverId, SIZE));
    if (a.busy) w.kasms.push(session(inst.serverId, { cores: 1, memoryMb: 1024 }));
  });
  return w;
}

const at = (c: Case) => new Date(Date.parse(c.base) + c.offsetMin * 60_000);

describe('plan() invariants with schedule windows (fast-check)', () => {
  it('never launches above max_instances and never terminates an agent with a session', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const now = at(c);
        const w = build(c, now);
        const pp = plan(input(w), now).pools[0];
        const launches = pp.actions.filter((a) => a.kind === 'launch').length;
        expect(launches).toBeLessThanOrEqual(Math.max(0, c.maxInstances - c.agents.length));
        for (const a of pp.actions)
          if (a.kind === 'terminate')
            expect(
              w.kasms.filter((k) => k.server_id === a.instance.serverId),
              a.reason,
            ).toHaveLength(0);
      }),
      { numRuns: 150 },
    );
  });

  it('converges in one pass inside a window', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const [occ] = occurrences(c.windows, at(c), 0, 7);
        if (!occ) return;
        const now = new Date((occ.start.getTime() + occ.end.getTime()) / 2);
        const w = build(c, now, true);
        const p1 = plan(input(w), now);
        const p2 = plan(input(applyPlan(w, p1, now)), now);
        expect(p2.pools[0].schedule?.active).toBeDefined();
        expect(p2.pools[0].actions.map((a) => a.reason)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('a boundary changes each target once: stepping across it, every value moves at most once and one way', () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 30, maxLength: 30 }),
        (c, atEnd, steps) => {
          const occ = occurrences(c.windows, at(c), 0, 7)[0];
          if (!occ) return;
          const boundary = atEnd ? occ.end.getTime() : occ.start.getTime();
          const p = pool('p', {
            standby_cores: c.ownCores,
            minimum_instances: c.ownMin,
            provision_timeout: c.timeout,
            schedules: c.windows,
          });
          // From 40 min before to after the boundary; nothing else may change within (the next window).
          const others = occurrences(c.windows, new Date(boundary), 1, 2).flatMap((o) => [
            o.start.getTime(),
            o.end.getTime(),
          ]);
          const from = boundary - 40 * 60_000;
          let t = from;
          const seq: Array<{ launch: ScheduledValues; keep: ScheduledValues }> = [];
          for (const s of steps) {
            t += s * 60_000;
            seq.push(scheduledTargets(p, new Date(t)));
          }
          if (others.some((x) => x !== boundary && x > from - 3600_000 && x <= t + 3600_000)) return;
          for (const which of ['launch', 'keep'] as const)
            for (const key of Object.keys(seq[0][which]) as (keyof ScheduledValues)[]) {
              const values = seq.map((x) => x[which][key]);
              const changes = values.slice(1).filter((v, i) => v !== values[i]);
              expect(changes.length, `${which}.${key}: ${values.join(',')}`).toBeLessThanOrEqual(1);
            }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('does not flap across a boundary: under constant demand a pool never scales up after down, nor down after up', () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 8, maxLength: 12 }),
        (c, atEnd, steps) => {
          const occ = occurrences(c.windows, at(c), 0, 7)[0];
          if (!occ) return;
          const boundary = atEnd ? occ.end.getTime() : occ.start.getTime();
          // From the moment scale-down already keeps for the window (provision_timeout before it).
          let now = new Date(boundary - Math.max(600, c.timeout) * 1000);
          const others = occurrences(c.windows, new Date(boundary), 1, 2).flatMap((o) => [
            o.start.getTime(),
            o.end.getTime(),
          ]);
          if (others.some((x) => x !== boundary && Math.abs(x - boundary) < 4 * 3600_000)) return;
          let w = build({ ...c, maxInstances: 1000 }, now, true);
          // Settled first: launches for a deficit the world starts with are not the boundary's.
          for (let i = 0; i < 3; i++) w = applyPlan(w, plan(input(w), now), now, { register: true });
          const seen = new Set<string>();
          for (const s of [0, ...steps]) {
            now = new Date(now.getTime() + s * 60_000);
            const pp = plan(input(w), now).pools[0];
            if (pp.actions.some((a) => a.kind === 'launch')) seen.add('up');
            if (pp.actions.some((a) => a.kind === 'terminate' && a.cause === 'idle')) seen.add('down');
            expect([...seen].sort(), `at ${now.toISOString()}`).not.toEqual(['down', 'up']);
            w = applyPlan(w, plan(input(w), now), now, { register: true });
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
