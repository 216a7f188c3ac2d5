/** Agent size per resource (override → registered agents → shape) and which waiting sessions can ever fit. */
import { describe, expect, it } from 'vitest';
import { needsCloudSize, resolveAgentSize, splitWaiting } from '../../src/scaling/sizing.js';
import { pool, session } from './world.js';

const shape = { cores: 4, memoryMb: 16384, gpus: 0 };

describe('resolveAgentSize', () => {
  it('resolves each resource on its own: override, else registered agents, else the shape', () => {
    const p = pool('p', { agent_cores_override: 8, agent_memory_override_gb: 0, agent_gpus_override: 0 });
    expect(resolveAgentSize(p, [], shape)).toEqual({ cores: 8, memoryMb: 16384, gpus: 0 });
    expect(resolveAgentSize(p, [{ cores: 2, memoryMb: 15360, gpus: 1 }], shape)).toEqual({
      cores: 8,
      memoryMb: 15360,
      gpus: 1,
    });
    expect(resolveAgentSize(pool('p', { agent_gpus_override: 2 }), [], shape)).toEqual({
      cores: 4,
      memoryMb: 16384,
      gpus: 2,
    });
  });

  it('two overrides and GPU override 0 still need the shape (0 means no override); unknown without it', () => {
    const p = pool('p', { agent_cores_override: 4, agent_memory_override_gb: 16, agent_gpus_override: 0 });
    expect(needsCloudSize(p)).toBe(true);
    expect(resolveAgentSize(p, [], undefined)).toBeUndefined();
    expect(resolveAgentSize(p, [], shape)).toEqual({ cores: 4, memoryMb: 16384, gpus: 0 });
    expect(
      needsCloudSize(
        pool('p', { agent_cores_override: 4, agent_memory_override_gb: 16, agent_gpus_override: 1 }),
      ),
    ).toBe(false);
  });
});

describe('splitWaiting', () => {
  it('keeps sessions bigger than an agent in any resource out of the demand, with one note for all of them', () => {
    const size = { cores: 2, memoryMb: 15360, gpus: 0 };
    const w = [
      session(null, { cores: 1, memoryMb: 2048 }),
      session(null, { cores: 1, memoryMb: 16384 }),
      session(null, { cores: 4, memoryMb: 1024 }),
      session(null, { cores: 1, memoryMb: 1024, gpus: 1 }),
    ];
    const split = splitWaiting(w, size);
    expect(split.fits).toEqual({ cores: 1, memoryMb: 2048, gpus: 0 });
    expect(split.fitCount).toBe(1);
    expect(split.oversized.count).toBe(3);
    expect(split.oversized.note).toMatch(
      /^3 waiting session\(s\) need more than one agent of this pool has \(e\.g\. memory MB 16384 > 15360\)/,
    );
  });

  it('with the size unknown every session counts (plan says the size is unknown instead)', () => {
    const split = splitWaiting([session(null, { cores: 64 })], undefined);
    expect(split.oversized).toEqual({ count: 0 });
    expect(split.fits.cores).toBe(64);
  });
});
