import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from '../common/http.js';
import { loadStateFile, saveStateFile } from '../common/state-file.js';
import { AccessTokenBook } from './access-tokens.js';
import { toServiceAccountRecord, type ServiceAccountRecord } from './auth.js';
import { serveCompute, type ComputeDeps } from './compute-api.js';
import { serveControl } from './control-api.js';
import type { GcpEmulator, GcpEmulatorOptions, ReceivedRequest } from './emulator-api.js';
import { FaultBook } from './faults.js';
import { preemptSpot } from './preempt.js';
import { defaultSeed, mergeSeed } from './seed.js';
import { isStoragePath, type GcsState } from './storage.js';
import { serveStorage } from './storage-api.js';
import { tokenAnswer } from './token.js';
import { World, type WorldState } from './world.js';

export type { GcpEmulator, GcpEmulatorOptions, ReceivedRequest } from './emulator-api.js';
export type { GcpFault, GcpPreemption } from './faults.js';
export type { GcpSeed } from './seed.js';
export type { RunningEvent, SeedInstance } from './world.js';
export { machineTypeJson } from './routes/zonal-types.js';

/**
 * Starts the emulator: the world (instances, operations) on its clock, the registered keys,
 * and one server that hands each request to its API by path — the control API
 * (control-api.ts), Cloud Storage (storage-api.ts), gcloud's token endpoint (token.ts) or
 * Compute Engine (compute-api.ts, whose routes are in routes/).
 */

interface Persisted {
  world: WorldState;
  serviceAccounts: ServiceAccountRecord[];
  /** Projects added at run time (a registered key's project_id). */
  projects?: string[];
}

export async function startGcpEmulator(opts: GcpEmulatorOptions = {}): Promise<GcpEmulator> {
  const baseNow = opts.now ?? Date.now;
  let offset = 0;
  const now = (): number => baseNow() + offset;
  const authNow = opts.authNow ?? Date.now;
  const seed = mergeSeed(defaultSeed(), opts.seed);
  const faults = new FaultBook();
  for (const f of opts.faults ?? []) faults.add(f);
  let accounts: ServiceAccountRecord[] = [];
  const requests: ReceivedRequest[] = [];
  const accessTokens = opts.accessTokens ?? new AccessTokenBook();

  const persisted = loadStateFile<Persisted>(opts.stateFile);
  const save = (): void =>
    saveStateFile(opts.stateFile, {
      world: world.snapshot(),
      serviceAccounts: accounts,
      projects: seed.projects,
    } satisfies Persisted);
  const world: World = new World(
    seed,
    faults,
    {
      now,
      provisioningDelayMs: opts.provisioningDelayMs ?? 3000,
      operationDelayMs: opts.operationDelayMs ?? 0,
      deleteDelayMs: opts.deleteDelayMs ?? 1000,
      cpuQuota: opts.cpuQuota,
    },
    () => save(),
  );
  if (persisted) {
    world.restore(persisted.world);
    accounts = persisted.serviceAccounts ?? [];
    for (const pr of persisted.projects ?? []) if (!seed.projects.includes(pr)) seed.projects.push(pr);
  }

  const registerServiceAccount: GcpEmulator['registerServiceAccount'] = (emailOrKey, pub, extra) => {
    const rec = toServiceAccountRecord(emailOrKey, pub, extra);
    accounts = accounts.filter((a) => !(a.clientEmail === rec.clientEmail && a.keyId === rec.keyId));
    accounts.push(rec);
    // A key's own project exists in the emulated world: what a newcomer expects.
    const key =
      typeof emailOrKey === 'object'
        ? emailOrKey
        : pub?.trim().startsWith('{')
          ? (JSON.parse(pub) as Record<string, unknown>)
          : undefined;
    if (typeof key?.project_id === 'string' && !seed.projects.includes(key.project_id))
      seed.projects.push(key.project_id);
    save();
  };
  for (const sa of opts.serviceAccounts ?? []) {
    if ('publicKeyPem' in sa && typeof sa.publicKeyPem === 'string')
      registerServiceAccount(String(sa.clientEmail), sa.publicKeyPem, {
        keyId: sa.keyId as string | undefined,
        projects: sa.projects as string[] | undefined,
        readOnly: sa.readOnly as boolean | undefined,
      });
    else registerServiceAccount(sa as Record<string, unknown>);
  }

  const gcs: GcsState = {
    buckets: new Map((opts.buckets ?? []).map((b) => [b, new Map()])),
    nextGeneration: 1,
  };
  let closing = false;
  const compute: ComputeDeps = {
    env: { world, seed, now, pageSize: opts.pageSize ?? 500, closing: () => closing },
    faults,
    accessTokens,
    accounts: () => accounts,
    requests,
    authNow,
  };

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/__emulator/'))
      return serveControl(
        {
          emulator,
          accounts: () => accounts,
          requests,
          instanceCount: () => world.allInstances().length,
          now,
        },
        res,
        method,
        url.pathname.slice('/__emulator/'.length),
        raw,
      );
    if (isStoragePath(url.pathname))
      return serveStorage(
        { gcs, accounts: () => accounts, requests, now, authNow },
        req,
        res,
        url,
        method,
        raw,
      );
    if (url.pathname === '/token' && method === 'POST') {
      const t = tokenAnswer(new URLSearchParams(raw.toString('utf8')), accounts, authNow());
      return sendJson(res, t.status, t.body);
    }
    return serveCompute(compute, req, res, url, raw);
  }

  const server = await listen(handle, { port: opts.port, host: opts.host });
  const timer =
    (opts.autoTick ?? opts.now === undefined) ? setInterval(() => world.refresh(), 250) : undefined;
  timer?.unref();

  const emulator: GcpEmulator = {
    url: server.url,
    port: server.port,
    endpoint: server.url,
    close: async () => {
      closing = true;
      if (timer) clearInterval(timer);
      await server.close();
    },
    events: world.events,
    seed,
    registerServiceAccount,
    accessTokens,
    setFault: (f) => faults.add(f),
    preempt: (p) => preemptSpot(world, p),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    instances: () => world.allInstances().map((i) => ({ ...world.instanceJson(i), project: i.project })),
    requests,
    lastRequest: (api) => [...requests].reverse().find((r) => r.api === api),
    tick: () => world.refresh(),
    seedInstances: (items) => world.seedInstances(items).map((i) => world.instanceJson(i)),
    setInstanceLabels: (project, zone, name, labels) => world.replaceLabels(project, zone, name, labels),
    advance: (ms) => {
      offset += ms;
      world.refresh();
    },
    createBucket: (name) => void (gcs.buckets.has(name) || gcs.buckets.set(name, new Map())),
    object: (bucket, name) => gcs.buckets.get(bucket)?.get(name)?.data,
  };
  return emulator;
}
