/**
 * Scenario harness: the simulated world (src/simulate/world.ts: OCI, GCP and Kasm
 * emulators on one controlled clock, the agent-registration bridge, a config file
 * pointing at them) and `pass()` that runs the BUILT CLI once with KASM_SCALE_NOW set to
 * the clock. Instances that reach RUNNING "run their startup script" and register their
 * agent in Kasm (unless their server id is in `broken`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CLI, runCli, type CliRun } from '../../helpers/cli.js';
import { writeSecretFileAtomic } from '../../../src/core/files.js';
import {
  emulatedGcpProvider,
  emulatedOciProvider,
  GCP_PROJECT,
  OCI_IDS,
  gcpDemoServiceAccount,
  ociDemoKey,
} from '../../../src/simulate/builtin.js';
import { startWorld } from '../../../src/simulate/world.js';
import type { GcpEmulator } from '../../../src/emulators/gcp/index.js';
import type { KasmEmulator } from '../../../src/emulators/kasm/index.js';
import type { OciEmulator } from '../../../src/emulators/oci/index.js';

export const TENANCY = OCI_IDS.tenancy;
export const USER = OCI_IDS.user;
export const COMPARTMENT = OCI_IDS.compartment;
export const IMAGE = OCI_IDS.image;
export const SUBNET = OCI_IDS.subnet;
export const AD1 = OCI_IDS.ad1;
export const AD2 = OCI_IDS.ad2;
export const MB = 1024 * 1024;

export interface PoolSpec {
  name: string;
  zone?: string;
  provider?: 'oci' | 'gcp';
  [k: string]: unknown;
}

export interface Scenario {
  dir: string;
  oci: OciEmulator;
  kasm: KasmEmulator;
  gcp?: GcpEmulator;
  config: string;
  stateDir: string;
  now(): number;
  tick(sec: number): void;
  /** Runs one pass of the built CLI at the current clock; JSON document parsed when --json. */
  pass(extra?: string[], env?: NodeJS.ProcessEnv): Promise<CliRun & { doc?: any }>;
  /** A pass as a child process the test can kill (crash tests); `done` resolves when it ends. */
  spawnPass(extra?: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliRun> };
  /** Edits the config file (the document with endpoints and kasm filled in). */
  editConfig(edit: (doc: any) => void): Promise<void>;
  /** Server ids whose startup script "fails": never registered. */
  broken: Set<string>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  pools: PoolSpec[];
  maxInstances?: number;
  /** OCI agent: E4.Flex 2 OCPUs → 4 vCPUs, 16 GB. */
  ociFlexCpus?: number;
  /** Other keys of the OCI provider (e.g. a fixed oci_shape with the flex keys set to undefined). */
  oci?: Record<string, unknown>;
  gcp?: {
    machineType?: string;
    accelerators?: Array<{ acceleratorType: string; acceleratorCount: number }>;
  } & Record<string, unknown>;
  zones?: string[];
  provisioningDelaySec?: number;
}

export async function scenario(o: ScenarioOptions): Promise<Scenario> {
  const providers = [
    emulatedOciProvider(ociDemoKey(), {
      max_instances: o.maxInstances ?? 10,
      oci_flex_cpus: o.ociFlexCpus ?? 2,
      ...o.oci,
    }),
  ];
  if (o.gcp) providers.push(emulatedGcpProvider(gcpDemoServiceAccount(GCP_PROJECT), o.gcp));
  const world = await startWorld({
    start: Date.UTC(2025, 0, 6, 7, 0, 0),
    provisioningDelaySec: o.provisioningDelaySec ?? 60,
    terminatingDelaySec: 30,
    zones: o.zones ?? [...new Set(o.pools.map((p) => p.zone ?? 'default'))],
    document: {
      providers,
      autoscale: o.pools.map(({ name, zone, provider, ...rest }) => ({
        autoscale_config_name: name,
        // A pool naming its own chain (vm_provider_config_names) keeps it.
        ...(rest.vm_provider_config_names
          ? {}
          : { vm_provider_config_name: provider === 'gcp' ? 'gcp-main' : 'oci-main' }),
        zone_name: zone ?? 'default',
        ...rest,
      })),
    },
  });
  const config = world.configFile!;
  return {
    dir: world.dir,
    oci: world.oci!,
    kasm: world.kasm,
    ...(world.gcp ? { gcp: world.gcp } : {}),
    config,
    stateDir: world.stateDir,
    now: world.now,
    broken: world.broken,
    tick: (sec) => world.advance(sec * 1000),
    pass: async (extra = [], env = {}) => {
      world.refresh();
      const run = await runCli(['reconcile', config, '--state-dir', world.stateDir, '--json', ...extra], {
        env: { KASM_SCALE_NOW: new Date(world.now()).toISOString(), ...env },
      });
      let doc: any;
      try {
        doc = JSON.parse(run.stdout);
      } catch {
        doc = undefined;
      }
      world.refresh();
      return { ...run, doc };
    },
    spawnPass: (extra = [], env = {}) => {
      world.refresh();
      const child = spawn(
        process.execPath,
        [CLI, 'reconcile', config, '--state-dir', world.stateDir, '--json', ...extra],
        {
          env: {
            ...process.env,
            FORCE_COLOR: undefined,
            NO_COLOR: undefined,
            KASM_SCALE_NOW: new Date(world.now()).toISOString(),
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      const done = new Promise<CliRun>((resolve) =>
        child.on('close', (code) => resolve({ code, stdout, stderr })),
      );
      return { child, done };
    },
    editConfig: async (edit) => {
      const doc = JSON.parse(await readFile(config, 'utf8'));
      edit(doc);
      await writeSecretFileAtomic(config, `${JSON.stringify(doc, null, 2)}\n`);
    },
    close: () => world.close(),
  };
}

/** Polls (real time, short) until `cond` holds: for landing a kill between two steps of a pass. */
export async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
