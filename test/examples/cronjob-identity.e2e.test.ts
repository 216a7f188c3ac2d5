/**
 * The Kubernetes CronJob example as a pod would run it on GKE: its ConfigMap config, only
 * the Kasm API secret file mounted, no cloud key anywhere, and Google's library getting the
 * token from the (emulated) GKE metadata server. Only the addresses change: Kasm's URL and
 * the provider's `endpoint` point at the local emulators, and the pod's service-account
 * files (for the pass Lease) live under a test directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { defaultSeed } from '../../src/emulators/gcp/seed.js';
import { startGcpEmulator } from '../../src/emulators/gcp/index.js';
import { startGcpIdentityEmulator } from '../../src/emulators/gcp-identity/index.js';
import { startKasmEmulator } from '../../src/emulators/kasm/index.js';
import { startKubernetesEmulator } from '../../src/emulators/kubernetes/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { selfSignedCert, serviceAccountFiles } from '../helpers/kubernetes.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function podWorld() {
  const docs = parseAllDocuments(readFileSync(resolve('examples/kubernetes/cronjob.yaml'), 'utf8')).map(
    (d) => d.toJS() as Record<string, any>,
  );
  const config = parseAllDocuments(docs.find((d) => d.kind === 'ConfigMap')!.data['kasm-scale.yaml'])[0].toJS();
  const gsa: string = docs.find((d) => d.kind === 'ServiceAccount')!.metadata.annotations[
    'iam.gke.io/gcp-service-account'
  ];
  const provider = config.providers[0];
  const project: string = provider.gcp_project;

  const region: string = provider.gcp_region;
  const gcp = await startGcpEmulator({
    autoTick: false,
    seed: {
      projects: [project],
      regions: { ...defaultSeed().regions, [region]: [provider.gcp_zone] },
      subnetworks: [...defaultSeed().subnetworks, { region, name: 'default', network: 'default' }],
    },
  });
  closers.push(() => gcp.close());
  const md = await startGcpIdentityEmulator({ tokens: gcp.accessTokens, project, defaultAccount: { email: gsa } });
  closers.push(() => md.close());
  const kasm = await startKasmEmulator({
    apiKey: config.kasm.api_key,
    apiKeySecret: 'kasm-secret-from-the-mounted-file',
    zones: config.autoscale.map((a: { zone_name: string }) => a.zone_name),
  });
  closers.push(() => kasm.close());
  const { dir, cleanup } = await tempDir('kasm-scale-gke-');
  closers.push(cleanup);

  // The Secret volume holds the Kasm API secret and nothing else.
  writeFileSync(join(dir, 'kasm_api_key_secret'), 'kasm-secret-from-the-mounted-file', { mode: 0o600 });
  config.kasm.url = kasm.url;
  config.kasm.api_key_secret_file = join(dir, 'kasm_api_key_secret');
  provider.endpoint = gcp.url;
  writeFileSync(join(dir, 'kasm-scale.yaml'), stringify(config), { mode: 0o600 });

  // The pod's service-account token, CA and namespace files, for the pass Lease.
  const cert = selfSignedCert(dir);
  const k8s = await startKubernetesEmulator({
    tls: cert,
    tokens: { 'pod-token': { user: 'system:serviceaccount:kasm-scale:kasm-scale', namespaces: ['kasm-scale'] } },
  });
  closers.push(() => k8s.close());
  const saPrefix = serviceAccountFiles(join(dir, 'pod'), 'pod-token', cert.cert, 'kasm-scale');
  const env = {
    HOME: dir,
    GCE_METADATA_HOST: md.metadataHost,
    GOOGLE_APPLICATION_CREDENTIALS: undefined,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(k8s.port),
    KASM_SCALE_SERVICEACCOUNT_PREFIX: saPrefix,
    NO_COLOR: '1',
  };
  return { dir, config, provider, gcp, k8s, env };
}

it('the CronJob example runs a pass with no cloud key file, on the GKE metadata server identity and its Lease', async () => {
  const { dir, gcp, k8s, env } = await podWorld();
  const r = await runCli(['reconcile', join(dir, 'kasm-scale.yaml'), '--state-dir', join(dir, 'state'), '--json'], {
    env,
  });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.pools[0].actions.length).toBeGreaterThan(0);
  expect(doc.pools[0].actions.every((a: { status: string }) => a.status === 'done')).toBe(true);
  expect(gcp.instances().length).toBe(doc.pools[0].actions.length);
  expect(r.stdout + r.stderr).not.toMatch(/ya29\./);
  // The pass held the example's Lease and gave it back.
  expect(k8s.lease('kasm-scale', 'kasm-scale')).toBeDefined();
  expect(k8s.lease('kasm-scale', 'kasm-scale')?.spec?.holderIdentity ?? undefined).toBeUndefined();
});

it('two pods of the example, each with its own state dir, started together: one acts, and the fleet never passes what one pass needs', async () => {
  const { dir, config, provider, gcp, env } = await podWorld();
  const pass = (state: string) =>
    runCli(['reconcile', join(dir, 'kasm-scale.yaml'), '--state-dir', join(dir, state), '--json'], { env });
  const [a, b] = await Promise.all([pass('pod-a'), pass('pod-b')]);
  // Each pod either ran the pass or found the Lease held (exit 4, one line).
  for (const r of [a, b]) expect([0, 4], r.stderr).toContain(r.code);
  expect([a.code, b.code]).toContain(0);
  const launched = [a, b]
    .filter((r) => r.code === 0)
    .map((r) => JSON.parse(r.stdout).pools[0].actions.filter((x: { kind: string }) => x.kind === 'launch').length);
  // standby_cores 8 on 4-core machines: one pass needs 2; two acting at once would launch 4.
  const need = Math.ceil(config.autoscale[0].standby_cores / 4);
  expect(gcp.instances().length).toBe(need);
  expect(gcp.instances().length).toBeLessThanOrEqual(provider.max_instances);
  expect(launched.reduce((x, y) => x + y, 0)).toBe(need);
});
