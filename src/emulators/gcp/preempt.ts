/** Preemption as Compute Engine does it to Spot VMs: the named ones, or the `count` oldest running. */
import type { GcpPreemption } from './faults.js';
import type { World } from './world.js';

/** Preempts now; returns the names preempted. Throws on a name that does not exist or a bad count. */
export function preemptSpot(world: World, p: GcpPreemption): string[] {
  const running = world
    .allInstances()
    .filter(
      (i) =>
        (!p.zone || i.zone === p.zone) &&
        (!p.project || i.project === p.project) &&
        i.deleteAt === undefined &&
        i.stoppedAt === undefined &&
        (i.body.scheduling?.provisioningModel === 'SPOT' || i.body.scheduling?.preemptible === true),
    )
    .sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  let chosen = running;
  if (p.names)
    chosen = p.names.map((n) => {
      const hit = world.allInstances().find((i) => i.name === n && (!p.zone || i.zone === p.zone));
      if (!hit) throw new Error(`no instance ${n}`);
      return hit;
    });
  else {
    const n = p.count ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error('count must be a positive integer');
    chosen = running.slice(0, n);
  }
  return chosen.map((i) => {
    world.preempt(i.project, i.zone, i.name);
    return i.name;
  });
}
