/**
 * Drives a trace's faults (trace-faults.ts) into the emulators, minute by minute:
 * capacity outages become the emulators' own out-of-capacity faults on the provider's ADs
 * or zone, preemptions take running instances away the way the cloud does (the
 * emulator's preemption, so the next pass sees a terminated instance and a missing agent).
 * Which instances go is decided by a seeded generator, so two runs of one trace and config
 * lose the same instances.
 */
import type { Provider } from '../config/types.js';
import type { TraceFault } from './trace-faults.js';
import type { OwnedInstance, World } from './world.js';

/** Arms "no capacity" for every launch of this provider, in its cloud's own words (SimulatedCloud.outage). */
function armOutage(world: World, p: Provider): void {
  world.clouds.get(p.vm_provider_name)?.outage(p);
}

/** mulberry32: a small seeded generator; reproducible runs matter more than quality here. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Preempted {
  instance: OwnedInstance;
  provider: string;
}

export interface FaultDriver {
  /** Called every simulated minute with the day's second; returns the instances it preempted. */
  tick(t: number, minutes: number): Preempted[];
  /** Lines for the pass log when a window opens or closes ("oci-spot: no capacity"). */
  changes(t: number): string[];
}

export function faultDriver(world: World, faults: TraceFault[]): FaultDriver {
  const byName = new Map(world.config.providers.map((p) => [p.vm_provider_config_name, p]));
  const random = seeded(0x5eed);
  /** Preemptions owed per fault: fractions carry over minute to minute. */
  const owed = new Map<number, number>();
  let armed = '';
  const active = (t: number) => faults.map((f, i) => ({ f, i })).filter(({ f }) => f.from <= t && t < f.to);
  const opened = new Set<number>();

  return {
    changes(t) {
      const lines: string[] = [];
      for (const { f, i } of active(t))
        if (!opened.has(i)) {
          opened.add(i);
          lines.push(
            f.kind === 'outage'
              ? `${f.provider}: no capacity until ${hhmm(f.to)}`
              : `${f.provider}: preemptions at ${f.ratePerHour}/h until ${hhmm(f.to)}`,
          );
        }
      return lines;
    },
    tick(t, minutes) {
      const now = active(t);
      // Outages: re-arm the whole set when it changes (the emulators clear all faults at once).
      const outages = now.filter(({ f }) => f.kind === 'outage');
      const key = outages.map(({ i }) => i).join(',');
      if (key !== armed) {
        if (armed !== '' || key !== '') {
          for (const sim of world.clouds.values()) sim.clearFaults();
        }
        for (const { f } of outages) {
          const p = byName.get(f.provider);
          if (p) armOutage(world, p);
        }
        armed = key;
      }
      const gone: Preempted[] = [];
      for (const { f, i } of now) {
        if (f.kind !== 'preemption') continue;
        const running = world
          .owned()
          .filter((o) => o.provider === f.provider && o.running && !gone.some((g) => g.instance.id === o.id));
        const due = (owed.get(i) ?? 0) + (running.length * f.ratePerHour * minutes) / 60;
        let n = Math.min(Math.floor(due), running.length);
        owed.set(i, running.length ? due - n : 0);
        while (n-- > 0) {
          const [victim] = running.splice(Math.floor(random() * running.length), 1);
          world.preempt(victim);
          gone.push({ instance: victim, provider: f.provider });
        }
      }
      return gone;
    },
  };
}

const hhmm = (sec: number) =>
  `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`;
