/**
 * Scenario harness: the OCI, GCP and Kasm emulators on one controlled clock, a config file
 * pointing kasm-scale at them, and `pass()` that runs the BUILT CLI once with
 * KASM_SCALE_NOW set to the clock. Instances that reach RUNNING "run their startup script":
 * the harness registers their agent in the Kasm emulator (unless told not to), as
 * Kasm's installer would.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startGcpEmulator, type GcpEmulator } from '../../../src/emulators/gcp/index.js';
import { startKasmEmulator, type KasmEmulator } from '../../../src/emulators/kasm/index.js';
import { startOciEmulator, type OciEmulator } from '../../../src/emulators/oci/index.js';
import { inspectKey } from '../../../src/keys/inspect.js';
import { runCli, tempDir, type CliRun } from '../../helpers/cli.js';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
export const USER = 'ocid1.user.oc1..aaaaaaaauser';
export const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaacomp';
export const IMAGE = 'ocid1.image.oc1.iad.aaaaaaaaimage';
export const SUBNET = 'ocid1.subnet.oc1.iad.aaaaaaaasubnet';
export const AD1 = 'Uocm:US-ASHBURN-AD-1';
export const AD2 = 'Uocm:US-ASHBURN-AD-2';
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
  /** Server ids whose startup script "fails": never registered. */
  broken: Set<string>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  pools: PoolSpec[];
  maxInstances?: number;
  /** OCI agent: E4.Flex 2 OCPUs → 4 vCPUs, 16 GB. */
  ociFlexCpus?: number;
  gcp?: { machineType?: string; accelerators?: Array<{ acceleratorType: string; acceleratorCount: number }> };
  zones?: string[];
  provisioningDelaySec?: number;
}

export async function scenario(o: ScenarioOptions): Promise<Scenario> {
  const { dir, cleanup } = await tempDir('kasm-scale-scn-');
  let clock = Date.UTC(2025, 0, 6, 7, 0, 0);
  const now = () => clock;
  const oci = await startOciEmulator({
    now,
    provisioningDelayMs: (o.provisioningDelaySec ?? 60) * 1000,
    terminatingDelayMs: 30_000,
    seed: {
      availabilityDomains: [AD1, AD2],
      compartments: [{ id: COMPARTMENT, name: 'kasm' }],
      images: [{ id: IMAGE }],
      subnets: [{ id: SUBNET }],
      shapes: [{ shape: 'VM.Standard.E4.Flex', ocpus: 1, memoryInGBs: 16, isFlexible: true, ocpuOptions: { min: 1, max: 64 }, memoryOptions: { minInGBs: 1, maxInGBs: 1024 } }],
    },
  });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  oci.registerApiKey({ tenancy: TENANCY, user: USER }, publicPem);
  const kasm = await startKasmEmulator({ now, apiKey: 'scenario-key', apiKeySecret: 'scenario-secret-0123456789', zones: o.zones ?? [...new Set(o.pools.map((p) => p.zone ?? 'default'))] });
  const broken = new Set<string>();
  const register = (ev: { tags: Record<string, string>; id: string }, size: { cores: number; memory: number; gpus: number }, zone: string) => {
    const serverId = ev.tags['kasm-scale-server-id'];
    if (!serverId || broken.has(serverId)) return;
    kasm.registerAgent({ server_id: serverId, zone_name: zone, cores: size.cores, memory: size.memory, gpus: size.gpus, instance_id: ev.id, provider: 'kasm-scale' });
  };
  const zoneOfPool = (label: string) => o.pools.find((p) => ev_label(p.name) === label)?.zone ?? 'default';
  const flex = o.ociFlexCpus ?? 2;
  oci.events.on('running', (ev) => register(ev, { cores: flex * 2, memory: 16384 * MB, gpus: 0 }, zoneOfPool(ev.tags['kasm-scale-pool'])));
  oci.events.on('terminated', (ev) => {
    const sid = ev.tags?.['kasm-scale-server-id'];
    if (sid) kasm.removeAgent(sid);
  });

  const providers: Record<string, unknown>[] = [
    {
      vm_provider_name: 'oci',
      vm_provider_config_name: 'oci-main',
      max_instances: o.maxInstances ?? 10,
      startup_script: '#!/bin/bash\necho "agent {server_id} -> {upstream_auth_address}"\n',
      oci_user_ocid: USER,
      oci_fingerprint: inspectKey(publicPem).fingerprint,
      oci_private_key: privatePem,
      oci_region: 'us-ashburn-1',
      oci_tenancy_ocid: TENANCY,
      oci_compartment_ocid: COMPARTMENT,
      oci_nsg_ocids: [],
      oci_availability_domains: [AD1, AD2],
      oci_image_ocid: IMAGE,
      oci_shape: 'VM.Standard.E4.Flex',
      oci_flex_cpus: flex,
      oci_flex_memory_gb: 16,
      oci_boot_volume_gb: 60,
      oci_custom_tags: {},
      oci_subnet_ocid: SUBNET,
      endpoint: oci.url,
    },
  ];
  let gcp: GcpEmulator | undefined;
  if (o.gcp) {
    const { gcpProviderFor } = await import('./gcp.js');
    const g = await gcpProviderFor({ now, machineType: o.gcp.machineType, accelerators: o.gcp.accelerators });
    gcp = g.emu;
    providers.push(g.provider);
    gcp.events.on('running', (ev: { tags: Record<string, string>; id: string }) => register(ev, g.size, zoneOfPool(ev.tags['kasm-scale-pool'])));
    gcp.events.on('terminated', (ev: { tags?: Record<string, string> }) => {
      const sid = ev.tags?.['kasm-scale-server-id'];
      if (sid) kasm.removeAgent(sid);
    });
  }
  const config = join(dir, 'kasm-scale.json');
  await writeFile(
    config,
    JSON.stringify({
      kasm: { url: kasm.url, api_key: kasm.apiKey, api_key_secret: kasm.apiKeySecret },
      providers,
      autoscale: o.pools.map(({ name, zone, provider, ...rest }) => ({
        autoscale_config_name: name,
        vm_provider_config_name: provider === 'gcp' ? 'gcp-main' : 'oci-main',
        zone_name: zone ?? 'default',
        ...rest,
      })),
    }),
    { mode: 0o600 },
  );
  const stateDir = join(dir, 'state');
  return {
    dir,
    oci,
    kasm,
    gcp,
    config,
    stateDir,
    now,
    broken,
    tick: (sec) => {
      clock += sec * 1000;
      oci.refresh();
      (gcp as unknown as { refresh?: () => void })?.refresh?.();
    },
    pass: async (extra = [], env = {}) => {
      oci.refresh();
      const run = await runCli(['reconcile', config, '--state-dir', stateDir, '--json', ...extra], { env: { KASM_SCALE_NOW: new Date(clock).toISOString(), ...env } });
      let doc: any;
      try {
        doc = JSON.parse(run.stdout);
      } catch {
        doc = undefined;
      }
      oci.refresh();
      return { ...run, doc };
    },
    close: async () => {
      await Promise.all([oci.close(), kasm.close(), gcp?.close()]);
      await cleanup();
    },
  };
}

import { poolLabel } from '../../../src/clouds/ownership.js';
const ev_label = poolLabel;
