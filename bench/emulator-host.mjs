// The emulators of the out-of-process bench, in their own process (forked with an IPC
// channel), so that their CPU and memory never mix with the client's. Messages:
//   {type: 'start', dir, scale, latencyMs} → {type: 'ready', config, instances, sessions}
//   {type: 'calls'}                        → {type: 'calls', calls, cpuMs}   (cpuMs: this process, since ready)
//   {type: 'stop'}                         → exits when the emulators are closed
import { startWorld } from './world.mjs';

let world;
let cpuAtReady;
process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      world = await startWorld({ dir: m.dir, scale: m.scale });
      world.setLatency(m.latencyMs);
      global.gc?.();
      cpuAtReady = process.cpuUsage();
      process.send({
        type: 'ready',
        config: world.config,
        instances: world.instances,
        sessions: world.sessions,
      });
    } else if (m.type === 'calls') {
      const cpu = process.cpuUsage(cpuAtReady);
      process.send({ type: 'calls', calls: world.calls(), cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (m.type === 'stop') {
      await world?.close();
      process.disconnect();
    }
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});
