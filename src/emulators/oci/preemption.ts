/**
 * OCI reclaiming preemptible capacity (not an armed fault but an event: `emu.preempt()` or
 * POST /__emulator/preempt): the chosen instances go TERMINATING → TERMINATED as their
 * TERMINATE preemption action says, and on-demand instances are never touched.
 */
import type { OciPreemption } from './faults.js';
import { notFound } from './routes/call.js';
import type { StoredInstance } from './store.js';
import type { OciWorld } from './world.js';

/** Preempts `p.ids`, or the `p.count` oldest running preemptible instances; returns the ids. */
export function preempt(w: OciWorld, p: OciPreemption): string[] {
  const t = w.now();
  const running = w.state.instances.filter(
    (i) =>
      i.details.preemptibleInstanceConfig &&
      i.terminateRequestedAt === undefined &&
      (!p.availabilityDomain || i.details.availabilityDomain === p.availabilityDomain),
  );
  let chosen: StoredInstance[];
  if (p.ids) {
    chosen = p.ids.map((id) => {
      const i = w.findInstance(id);
      if (!i) throw notFound();
      if (!i.details.preemptibleInstanceConfig)
        throw new Error(`instance ${id} is on-demand capacity: only preemptible instances are preempted`);
      return i;
    });
  } else {
    const n = p.count ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error('count must be a positive integer');
    chosen = running.sort((a, b) => a.seq - b.seq).slice(0, n);
  }
  for (const i of chosen) {
    if (i.terminateRequestedAt !== undefined) continue;
    if (i.runningAt !== null && i.runningAt > t) i.runningAt = null;
    i.terminateRequestedAt = t;
    i.preemptedAt = t;
    i.version++;
  }
  w.save();
  w.refresh();
  return chosen.map((i) => i.id);
}
