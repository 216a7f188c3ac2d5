/**
 * A local OCI Compute API (plus the few Identity/Network reads `doctor` needs, and the
 * Object Storage slice a lease uses) that the real oci-core SDK can talk to:
 * `client.endpoint = emulator.url`. It verifies every request's HTTP signature against
 * registered API keys, keeps instances with a lazily computed lifecycle, pages with
 * `opc-next-page`, honours `opc-retry-token`, and injects faults (latency, 429, out of
 * capacity per AD, quota, 500, never-finishing provisioning, dropped connections) so
 * adapters and scenarios meet every failure without a cloud account.
 *
 * Layout: world.ts holds the state, serve.ts the front doors (signature, route, handler,
 * OCI's error JSON), routes/table.ts lists every route, routes/<resource>.ts the handlers.
 */
import { listen } from '../common/http.js';
import type { OciEmulator, OciEmulatorOptions } from './emulator-types.js';
import { preempt } from './preemption.js';
import { ociRequestHandler } from './serve.js';
import { OciWorld } from './world.js';

export type { OciEmulator, OciEmulatorOptions, ReceivedRequest, RunningEvent } from './emulator-types.js';
export type { OciFault, OciOperation, OciPreemption } from './faults.js';
export type { OciSeed, SeedShape } from './store.js';

export async function startOciEmulator(opts: OciEmulatorOptions = {}): Promise<OciEmulator> {
  const w = new OciWorld(opts);
  const server = await listen(ociRequestHandler(w), { port: opts.port, host: opts.host });
  // Only for `demo`: 'running' events fire on their own, without a request to trigger them.
  const timer = opts.tickMs ? setInterval(() => w.refresh(), opts.tickMs) : undefined;
  timer?.unref();

  return {
    url: server.url,
    port: server.port,
    close: async () => {
      if (timer) clearInterval(timer);
      await server.close();
    },
    events: w.events,
    registerApiKey: (key, publicKeyPem) => w.registerApiKey(key, publicKeyPem),
    issueSecurityToken: (c) => w.tokens.issue(c),
    setFault: (f) => w.setFault(f),
    preempt: (p) => preempt(w, p),
    clearFaults: () => w.faults.clear(),
    faults: () => w.faults.list(),
    seed: (s) => {
      w.applySeed(s);
      w.save();
    },
    get instances() {
      w.refresh();
      return w.state.instances.map((i) => w.view(i));
    },
    get stored() {
      return w.state.instances;
    },
    get requests() {
      return w.requests;
    },
    refresh: () => w.refresh(),
    createBucket: (name) => {
      w.objectStore.buckets[name] ??= {};
      w.save();
    },
    objects: (bucket) => w.objectStore.buckets[bucket] ?? {},
    get namespace() {
      return w.objectStore.namespace;
    },
  };
}
