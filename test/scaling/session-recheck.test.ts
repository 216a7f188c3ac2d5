import { describe, expect, it } from 'vitest';
import type { KasmSession } from '../../src/kasm/types.js';
import { sessionRecheck } from '../../src/scaling/session-recheck.js';

/** A get_kasms whose answers the test releases one at a time, recording when each read was sent. */
function controlledKasm() {
  const reads: { resolve: (rows: KasmSession[]) => void }[] = [];
  return {
    reads,
    api: {
      getKasms: () => new Promise<KasmSession[]>((resolve) => reads.push({ resolve })),
    },
  };
}
const session = (server_id: string) => ({ kasm_id: `k-${server_id}-${Math.random()}`, server_id }) as unknown as KasmSession;
const tick = () => new Promise((r) => setImmediate(r));

describe('drain step 2: one session re-read shared by the drains of a pass', () => {
  it('answers every agent that asked before the read was sent from that read', async () => {
    const k = controlledKasm();
    const on = sessionRecheck(k.api);
    const a = on('a');
    await tick();
    expect(k.reads).toHaveLength(1);
    k.reads[0]!.resolve([session('a'), session('a'), session('b')]);
    expect(await a).toBe(2);
  });

  it('an agent disabled while a read is in flight waits for the next read (the first may predate its disable)', async () => {
    const k = controlledKasm();
    const on = sessionRecheck(k.api);
    const first = on('a');
    await tick();
    const late1 = on('b');
    const late2 = on('c');
    await tick();
    expect(k.reads).toHaveLength(1); // b and c do not start reads of their own while one is in flight
    k.reads[0]!.resolve([session('b')]); // b's session shows in the early read only
    expect(await first).toBe(0);
    await tick();
    expect(k.reads).toHaveLength(2); // one follow-up read for both
    k.reads[1]!.resolve([session('c')]);
    expect(await late1).toBe(0);
    expect(await late2).toBe(1);
  });

  it('a failed read fails the drains that waited for it, and the next one reads again', async () => {
    const k = { n: 0, api: { getKasms: async () => { k.n++; if (k.n === 1) throw new Error('Kasm answered 500'); return [session('a')]; } } };
    const on = sessionRecheck(k.api);
    await expect(on('a')).rejects.toThrow('500');
    expect(await on('a')).toBe(1);
  });
});
