/**
 * Two "machines": reconcile passes of the BUILT CLI as separate processes with separate
 * state dirs (so the file lock cannot keep them apart), sharing one emulated cloud and one
 * lease backend. For each backend: while one pass holds the lease the other exits with the
 * lock code and does nothing; a holder killed with SIGKILL keeps the lease until its TTL
 * runs out, then the next pass takes it over with a warning and acts. And a holder whose
 * lease is taken from it mid-pass starts no action and exits with the lock code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startKubernetesEmulator, type KubernetesEmulator } from '../../src/emulators/kubernetes/index.js';
import { acquireLease } from '../../src/lease/registry.js';
import { scenario, until, type Scenario } from '../scaling/scenarios/harness.js';
import { selfSignedCert, serviceAccountFiles } from '../helpers/kubernetes.js';

const TTL = 20;
const LEASE_OBJECT = 'kasm-scale/reconcile.lease';
let dir: string;
let k8s: KubernetesEmulator;
let saPrefix: string;
let s: Scenario | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'two-machines-'));
  const tls = selfSignedCert(dir);
  k8s = await startKubernetesEmulator({
    tls,
    tokens: { 'sa-token': { user: 'system:serviceaccount:ops:kasm-scale', namespaces: ['ops'] } },
  });
  saPrefix = serviceAccountFiles(join(dir, 'pod'), 'sa-token', tls.cert, 'ops');
  // This process plays a third machine in the takeover test (in-cluster config reads the env).
  process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
  process.env.KUBERNETES_SERVICE_PORT = String(k8s.port);
});
afterAll(async () => {
  await k8s.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await s?.close();
  s = undefined;
});

interface Backend {
  type: string;
  lock: Record<string, unknown>;
  gcp?: boolean;
  prepare(sc: Scenario): void;
  holder(sc: Scenario): string | undefined;
}

const fromJson = (b: Buffer | undefined) =>
  b ? (JSON.parse(b.toString('utf8')) as { holder: string }).holder : undefined;

const BACKENDS: Backend[] = [
  {
    type: 'oci-object-storage',
    lock: { type: 'oci-object-storage', provider: 'oci-main', bucket: 'ops' },
    prepare: (sc) => sc.oci.createBucket('ops'),
    holder: (sc) => {
      const o = sc.oci.objects('ops')[LEASE_OBJECT];
      return fromJson(o ? Buffer.from(o.body, 'base64') : undefined);
    },
  },
  {
    type: 'gcs',
    lock: { type: 'gcs', provider: 'gcp-main', bucket: 'ops' },
    gcp: true,
    prepare: (sc) => sc.gcp!.createBucket('ops'),
    holder: (sc) => fromJson(sc.gcp!.object('ops', LEASE_OBJECT)),
  },
  {
    type: 'kubernetes',
    lock: { type: 'kubernetes' },
    prepare: () => {},
    holder: () => k8s.lease('ops', 'kasm-scale')?.spec?.holderIdentity as string | undefined,
  },
];

const podEnv = () => ({
  KUBERNETES_SERVICE_HOST: '127.0.0.1',
  KUBERNETES_SERVICE_PORT: String(k8s.port),
  KASM_SCALE_SERVICEACCOUNT_PREFIX: saPrefix,
});
const live = (sc: Scenario) =>
  sc.oci.instances.filter((i) => !['TERMINATED', 'TERMINATING'].includes(i.lifecycleState));

async function world(b: Backend): Promise<{ sc: Scenario; stateB: string }> {
  const sc = await scenario({
    pools: [{ name: 'office', minimum_instances: 2, standby_cores: 0 }],
    ...(b.gcp ? { gcp: {} } : {}),
  });
  b.prepare(sc);
  await sc.editConfig((doc) => (doc.lock = { ...b.lock, ttl_seconds: TTL }));
  return { sc, stateB: mkdtempSync(join(sc.dir, 'machine-b-')) };
}

describe.each(BACKENDS)('two machines, lease $type', (b) => {
  it('never both act: the second exits 4 while the first holds it; after kill -9 the lease is taken over only once its TTL ran out', async () => {
    const w = await world(b);
    s = w.sc;
    // Machine A holds the lease while it waits on its first cloud read.
    s.oci.setFault({ kind: 'latency', operation: 'ListInstances', ms: 20_000, times: 1 });
    const startedA = Date.now();
    const a = s.spawnPass([], podEnv());
    await until(() => b.holder(s!) !== undefined, 'machine A to hold the lease');
    const holderA = b.holder(s);

    const busy = await s.pass(['--state-dir', w.stateB], podEnv());
    expect(busy.code).toBe(4);
    expect(busy.stderr).toMatch(/another reconcile pass holds the lease .*holder .*\/\d+\//);
    expect(busy.stderr.trim().split('\n')).toHaveLength(1);

    a.child.kill('SIGKILL');
    await a.done;
    s.oci.clearFaults();
    expect(b.holder(s)).toBe(holderA); // a dead holder's lease stays until its TTL runs out
    expect(live(s)).toHaveLength(0);

    // The lease clock starts at KASM_SCALE_NOW and runs in real time: machine A renewed until
    // it was killed, so its lease ends a TTL after that (however slow this machine is today).
    s.tick(TTL + Math.ceil((Date.now() - startedA) / 1000) + 1);
    const takeover = await s.pass(['--state-dir', w.stateB], podEnv());
    expect(takeover.code).toBe(0);
    expect(takeover.doc.warnings.join('\n')).toMatch(/took over the expired lease/);
    expect(live(s)).toHaveLength(2);
    expect(b.holder(s)).toBeUndefined(); // released at the end of the pass
  });
});

// One backend is enough here: the per-backend contract tests (test/lease/*.test.ts) show each
// one reports a taken-over lease on the next renewal; this shows the pass stops on it.
describe('two machines, lease taken over mid-pass', () => {
  const b = BACKENDS[0];
  it('a holder whose lease is taken over mid-pass starts no action and exits 4', async () => {
    const w = await world(b);
    s = w.sc;
    const config = await loadConfig(s.config);
    s.oci.setFault({ kind: 'latency', operation: 'ListInstances', ms: 4_000, times: 1 });
    const startedA = Date.now();
    const a = s.spawnPass(['--state-dir', w.stateB], podEnv());
    await until(() => b.holder(s!) !== undefined, 'machine A to hold the lease');
    // Machine C, whose clock is past A's TTL (A looks frozen to it), takes the lease over.
    const c = await acquireLease(config, {
      stateDir: dir,
      warn: () => {},
      holder: 'machine-c',
      clock: () => s!.now() + (TTL + 5) * 1000 + (Date.now() - startedA),
      serviceAccountPrefix: saPrefix,
    });
    const run = await a.done;
    await c.release();
    expect(run.code).toBe(4);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary.launched).toBe(0);
    expect(doc.warnings.join('\n')).toMatch(/taken over by machine-c.*stopped acting/);
    expect(doc.pools[0].actions.map((x: { error: { class: string } }) => x.error.class)).toEqual([
      'lease_lost',
      'lease_lost',
    ]);
    expect(s.oci.requests.filter((r) => r.operation === 'LaunchInstance')).toHaveLength(0);
  });
});
