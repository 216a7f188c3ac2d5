/**
 * Step 2 of the drain protocol re-reads the sessions after an agent was disabled. Kasm has
 * no per-agent session call, so each re-read is a whole `get_kasms` (tens of MB at 20,000
 * sessions). Drains in one pass share reads: a read serves every agent whose disable had
 * finished before the read was sent, and an agent disabled while a read is in flight waits
 * for the next one (that read may predate the disable, so it proves nothing). A pass that
 * drains N agents at once makes about two reads instead of N.
 */
import type { KasmAgentsApi } from '../kasm/types.js';

export type SessionsOn = (serverId: string) => Promise<number>;

export function sessionRecheck(kasm: Pick<KasmAgentsApi, 'getKasms'>): SessionsOn {
  let inFlight: Promise<Map<string, number>> | undefined;
  let next: Promise<Map<string, number>> | undefined;

  const read = async (): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const k of await kasm.getKasms()) if (k.server_id) counts.set(k.server_id, (counts.get(k.server_id) ?? 0) + 1);
    return counts;
  };
  const start = (): Promise<Map<string, number>> => {
    const p = read().finally(() => {
      if (inFlight === p) inFlight = undefined;
    });
    inFlight = p;
    return p;
  };

  return async (serverId) => {
    let reading: Promise<Map<string, number>>;
    if (!inFlight) reading = start();
    else {
      // Queue behind the read in flight: one follow-up read for everyone who arrives now.
      next ??= inFlight.catch(() => undefined).then(() => {
        next = undefined;
        return start();
      });
      reading = next;
    }
    return (await reading).get(serverId) ?? 0;
  };
}
