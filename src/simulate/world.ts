/**
 * A whole Kasm + clouds world in this process, for `demo`, `simulate` and the scenario
 * tests: the Kasm emulator and one emulator per cloud the config uses (from the emulator
 * registry, src/emulators/registry.ts), on 127.0.0.1 (port 0) sharing ONE simulated
 * clock, seeded so the config's launches are accepted, and the bridge that plays the
 * agent's startup script: an instance reaching RUNNING registers its Kasm agent (server_id
 * from our ownership tag, zone of its pool, size of its shape/machine type) and checks in
 * while it runs; a terminated one stops checking in, and Kasm keeps its record (missing)
 * until it is deleted, as a real Kasm does. Nothing leaves the machine; nothing waits on
 * the real clock.
 */
import { closeSharedClients } from '../clouds/index.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poolLabel, TAG_POOL, TAG_SERVER_ID } from '../clouds/ownership.js';
import { ownedInstances, type OwnedInstance } from './instances.js';
import { cloudNamed, type CloudName } from '../clouds/registry.js';
import type { SimulatedCloud } from '../emulators/simulation.js';
import { cloudEmulator, type EmulatorOf } from '../emulators/registry.js';
import type { KasmScaleConfig, Provider } from '../config/types.js';
import type { KasmEmulator } from '../emulators/kasm/index.js';
import { writeSecretFileAtomic } from '../core/files.js';
import type { AgentShape } from '../clouds/agent-shapes.js';

/** A config file as data (what `kasm-scale.json` would hold), without `endpoint`s or `kasm:`. */
export interface ConfigDocument {
  providers: Array<Record<string, unknown>>;
  autoscale: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export type { OwnedInstance } from './instances.js';

export interface WorldOptions {
  /** Simulated time at start (ms since the epoch). */
  start: number;
  /** Written (0600, temp dir) with endpoints and kasm pointing at the emulators, then loaded as any config. */
  document?: ConfigDocument;
  /** An already loaded config (the user's): a copy is pointed at the emulators instead. */
  config?: KasmScaleConfig;
  /** Kasm zones at start (default: the autoscale configs' zones). */
  zones?: string[];
  /** PROVISIONING → RUNNING, simulated seconds (default 60). */
  provisioningDelaySec?: number;
  /** Terminate → gone, simulated seconds (default 30). */
  terminatingDelaySec?: number;
}

/** Each cloud's emulator also under its cloud's name (world.oci, world.gcp), for scenarios and tests. */
export type World = WorldParts & { [K in CloudName]?: EmulatorOf<K> };

interface WorldParts {
  /** Temp dir (0700): config file, state dir; removed by close(). */
  dir: string;
  /** The written config (document worlds only). */
  configFile?: string;
  stateDir: string;
  /** The config as loaded, pointed at the emulators. */
  config: KasmScaleConfig;
  kasm: KasmEmulator;
  /** Every cloud emulator of this world, by cloud. */
  clouds: Map<CloudName, SimulatedCloud<Provider>>;
  /** Agent size per vm_provider_config_name. */
  shapes: Map<string, AgentShape>;
  /** Server ids whose startup script "fails": their agent never registers. */
  broken: Set<string>;
  /** What the world assumed (e.g. an unknown machine type's size). */
  notes: string[];
  /** Our instances in every cloud, terminated ones included (alive: false). */
  owned(): OwnedInstance[];
  /** Whether this cloud's emulator can preempt an instance (fault injection). */
  canPreempt(cloud: OwnedInstance['cloud']): boolean;
  /** The cloud takes the instance away, as a spot/preemptible instance is taken. */
  preempt(instance: OwnedInstance): void;
  now(): number;
  /** Moves the clock and lets lifecycles (and the bridge) catch up. */
  advance(ms: number): void;
  refresh(): void;
  close(): Promise<void>;
}

const kindsOf = (providers: Array<{ vm_provider_name?: unknown }>) =>
  new Set(providers.map((p) => p.vm_provider_name));

export async function startWorld(o: WorldOptions): Promise<World> {
  if (!o.document === !o.config) throw new Error('startWorld needs a document or a config');
  let clock = o.start;
  const now = () => clock;
  const dir = await mkdtemp(join(tmpdir(), 'kasm-scale-sim-'));
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const kinds = kindsOf(o.document?.providers ?? o.config!.providers);
    const provisioningDelayMs = (o.provisioningDelaySec ?? 60) * 1000;
    const deleteDelayMs = (o.terminatingDelaySec ?? 30) * 1000;
    // A cloud's emulator is imported only when a provider of that cloud exists.
    const clouds = new Map<CloudName, SimulatedCloud<Provider>>();
    for (const kind of kinds) {
      const cloud = cloudNamed(kind);
      if (!cloud) continue; // the loader reports an unknown cloud
      const sim = await (await cloudEmulator(cloud.name)).start({ now, provisioningDelayMs, deleteDelayMs });
      started.push(sim);
      clouds.set(cloud.name, sim);
    }
    const zones = o.zones ?? [
      ...new Set((o.document?.autoscale ?? o.config!.autoscale).map((a) => String(a.zone_name ?? 'default'))),
    ];
    const { startKasmEmulator } = await import('../emulators/kasm/index.js');
    const kasm = await startKasmEmulator({
      now,
      apiKey: randomBytes(8).toString('hex'),
      apiKeySecret: randomBytes(16).toString('hex'),
      zones: zones.length ? zones : ['default'],
    });
    started.push(kasm);
    const kasmSection = { url: kasm.url, api_key: kasm.apiKey, api_key_secret: kasm.apiKeySecret };
    const endpointOf = (kind: unknown) =>
      cloudNamed(kind) ? clouds.get(cloudNamed(kind)!.name)?.url : undefined;

    let config: KasmScaleConfig;
    let configFile: string | undefined;
    if (o.document) {
      configFile = join(dir, 'kasm-scale.json');
      const doc = {
        ...o.document,
        kasm: kasmSection,
        providers: o.document.providers.map((p) => ({ ...p, endpoint: endpointOf(p.vm_provider_name) })),
      };
      await writeSecretFileAtomic(configFile, `${JSON.stringify(doc, null, 2)}\n`);
      const { loadConfig } = await import('../config/load.js');
      config = await loadConfig(configFile);
    } else {
      const c = o.config!;
      // A fresh kasm section: the user's URL, key and CA file have no business with the emulator.
      config = {
        ...c,
        kasm: kasmSection as KasmScaleConfig['kasm'],
        providers: c.providers.map((p) => ({ ...p, endpoint: endpointOf(p.vm_provider_name) })),
      };
    }

    const notes: string[] = [];
    for (const [name, sim] of clouds)
      notes.push(...sim.seed(config.providers.filter((p) => p.vm_provider_name === name)));
    const shapes = new Map<string, AgentShape>();
    for (const p of config.providers)
      shapes.set(p.vm_provider_config_name, clouds.get(p.vm_provider_name)!.agentShape(p));
    const broken = new Set<string>();
    /** Agents whose instance runs: they check in at every refresh. */
    const checkingIn = new Set<string>();

    // The bridge: what the agent's startup script would do on a real instance.
    const poolByLabel = new Map(config.autoscale.map((a) => [poolLabel(a.autoscale_config_name), a]));
    const onRunning = (ev: { id: string; tags?: Record<string, string> }) => {
      const serverId = ev.tags?.[TAG_SERVER_ID];
      const pool = poolByLabel.get(ev.tags?.[TAG_POOL] ?? '');
      if (!serverId || !pool || broken.has(serverId)) return;
      const provider = config.providers.find(
        (p) => p.vm_provider_config_name === pool.vm_provider_config_name,
      );
      const size = shapes.get(pool.vm_provider_config_name) ?? { cores: 0, memoryMb: 0, gpus: 0 };
      kasm.registerAgent({
        server_id: serverId,
        zone_name: pool.zone_name,
        cores: size.cores,
        memory: size.memoryMb * 1024 * 1024,
        gpus: size.gpus,
        instance_id: ev.id,
        provider: provider?.vm_provider_name ?? null,
        is_autoscaled: true,
        autoscale_config_name: pool.autoscale_config_name,
      });
      checkingIn.add(serverId);
    };
    const onTerminated = (ev: { tags?: Record<string, string> }) => {
      const serverId = ev.tags?.[TAG_SERVER_ID];
      if (!serverId) return;
      checkingIn.delete(serverId);
      kasm.stopCheckingIn(serverId);
    };
    for (const sim of clouds.values()) {
      sim.onEvent('running', onRunning);
      sim.onEvent('terminated', onTerminated);
    }
    const refresh = () => {
      for (const sim of clouds.values()) sim.refresh();
      for (const id of checkingIn) kasm.checkIn(id);
    };

    const owned = () => ownedInstances(config, clouds);

    return {
      dir,
      owned,
      // The emulators' preemption (fault injection): the cloud reclaims one spot instance now.
      canPreempt: (cloud) => Boolean(clouds.get(cloud)?.preempt),
      preempt: (i) => {
        const sim = clouds.get(i.cloud);
        if (!sim?.preempt) throw new Error(`the ${i.cloud} emulator cannot preempt instances`);
        sim.preempt(i);
      },
      ...(configFile ? { configFile } : {}),
      stateDir: join(dir, 'state'),
      config,
      kasm,
      ...(Object.fromEntries([...clouds].map(([name, sim]) => [name, sim.emulator])) as Partial<World>),
      clouds,
      shapes,
      broken,
      notes,
      now,
      advance: (ms) => {
        clock += ms;
        refresh();
      },
      refresh,
      close: async () => {
        // The engine's passes share SDK clients (shareClients); they end with the world.
        await closeSharedClients();
        await Promise.allSettled(started.map((s) => s.close()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
