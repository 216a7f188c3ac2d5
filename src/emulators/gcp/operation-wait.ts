/**
 * zoneOperations.wait as Google runs it: the call returns when the operation is DONE or
 * after about two minutes, whichever comes first (then the caller waits again). The two
 * minutes run on the emulator's clock, so a test with an injected clock moves it (on the
 * world's 'wait' event, say) instead of sleeping; a short real-time poll notices the move.
 */
import type { OperationRecord, World } from './world.js';

export const WAIT_TIMEOUT_MS = 120_000;
const POLL_MS = 5;

export interface WaitOptions {
  /** The emulator clock (ms). */
  now: () => number;
  timeoutMs?: number;
  /** True once the caller is gone (connection closed, emulator closing): stop early. */
  abandoned: () => boolean;
}

export async function waitForOperation(
  world: World,
  read: () => OperationRecord,
  o: WaitOptions,
): Promise<OperationRecord> {
  const deadline = o.now() + (o.timeoutMs ?? WAIT_TIMEOUT_MS);
  let op = read();
  if (world.operationStatus(op) === 'DONE') return op;
  // Lets a test (or a scenario) move its clock while a wait is blocked.
  world.events.emit('wait', { name: op.name, zone: op.zone, project: op.project, deadline });
  while (world.operationStatus(op) !== 'DONE' && o.now() < deadline && !o.abandoned()) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    op = read();
  }
  return op;
}
