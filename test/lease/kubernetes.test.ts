import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KasmScaleConfig } from '../../src/config/types.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { startKubernetesEmulator, type KubernetesEmulator } from '../../src/emulators/kubernetes/index.js';
import { acquireLease } from '../../src/lease/registry.js';
import { selfSignedCert, serviceAccountFiles } from '../helpers/kubernetes.js';
import { leaseContract } from './contract.js';

let emu: KubernetesEmulator;
let dir: string;
let prefix: string;
let readOnlyPrefix: string;
const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
const config: KasmScaleConfig = {
  file: '/etc/kasm-scale.yaml',
  providers: [],
  autoscale: [],
  lock: { type: 'kubernetes', ttl_seconds: 30 },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8s-lease-'));
  const tls = selfSignedCert(dir);
  emu = await startKubernetesEmulator({
    tls,
    tokens: {
      'sa-token': { user: 'system:serviceaccount:ops:kasm-scale', namespaces: ['ops'] },
      'viewer-token': { user: 'system:serviceaccount:ops:viewer', verbs: ['get'] },
    },
  });
  // The in-cluster config reads these from the environment (the pod's).
  process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
  process.env.KUBERNETES_SERVICE_PORT = String(emu.port);
  prefix = serviceAccountFiles(join(dir, 'pod'), 'sa-token', tls.cert, 'ops');
  readOnlyPrefix = serviceAccountFiles(join(dir, 'viewer'), 'viewer-token', tls.cert, 'ops');
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [
    ['KUBERNETES_SERVICE_HOST', saved.host],
    ['KUBERNETES_SERVICE_PORT', saved.port],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

describe('Kubernetes Lease (@kubernetes/client-node, in-cluster service account, against the emulator)', () => {
  leaseContract(() => ({
    config,
    extra: { serviceAccountPrefix: prefix },
    holderInStore: () => emu.lease('ops', 'kasm-scale')?.spec?.holderIdentity as string | undefined,
  }));

  it('keeps the Lease fields Kubernetes defines (holderIdentity, leaseDurationSeconds, renewTime, leaseTransitions)', async () => {
    const l = await acquireLease(config, {
      stateDir: '/x',
      warn: () => {},
      holder: 'h1',
      serviceAccountPrefix: prefix,
    });
    const spec = emu.lease('ops', 'kasm-scale')?.spec as Record<string, unknown>;
    expect(spec).toMatchObject({ holderIdentity: 'h1', leaseDurationSeconds: 30 });
    expect(String(spec.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(typeof spec.leaseTransitions).toBe('number');
    await l.release();
    expect(emu.lease('ops', 'kasm-scale')?.spec?.holderIdentity).toBeUndefined();
  });

  it('a token without permission on the Lease is one operational line (exit 1) naming what to grant', async () => {
    const err = await acquireLease(config, {
      stateDir: '/x',
      warn: () => {},
      serviceAccountPrefix: readOnlyPrefix,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Failed });
    expect((err as Error).message).toMatch(
      /Lease ops\/kasm-scale: .* is forbidden: User "system:serviceaccount:ops:viewer" cannot (create|update)/,
    );
    expect((err as { hint: string }).hint).toMatch(/get, create and update on leases.coordination.k8s.io/);
  });

  it('outside a cluster, with no kubeconfig, is a config error (exit 2)', async () => {
    const host = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      await expect(acquireLease(config, { stateDir: '/x', warn: () => {} })).rejects.toMatchObject({
        exitCode: ExitCode.Invalid,
        message: expect.stringMatching(/not running in a cluster/),
      });
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = host;
    }
  });
});
