/**
 * The whole autoscale-config space an operator can write, through the real path:
 * observe() (Kasm, OCI and GCP SDKs on the wire against the in-process emulators) and then
 * plan(). fast-check picks the configs (every override combination, zero and non-zero;
 * standby on each resource; minimum_instances; max_instances; GPU and non-GPU shapes and
 * machine types) and the demand (agents that are not ours, running and waiting sessions,
 * some too big for any agent). Asserted per pool:
 * - the agent size is known and is, per resource, the override when non-zero, else the
 *   shape / machine type (public facts, typed below);
 * - liveness: a pool short of standby (in a resource its agents have) or of
 *   minimum_instances, with room under max_instances, launches in this very pass;
 * - safety: never more launches than max_instances leaves room for (all pools of the
 *   provider together), max_launch_per_pass or the need; nothing to terminate; every
 *   action has a reason; waiting sessions bigger than an agent drive nothing.
 * The emulators and SDK clients are shared by every run (shareClients), so a run costs a
 * few local HTTP calls.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { AutoscaleConfig, KasmScaleConfig } from '../../src/config/types.js';
import { MB } from '../../src/scaling/capacity.js';
import { emptyState } from '../../src/scaling/memory.js';
import { observe } from '../../src/scaling/observe.js';
import { plan } from '../../src/scaling/plan.js';
import type { Resources } from '../../src/scaling/types.js';
import {
  emulatedGcpProvider,
  emulatedOciProvider,
  GCP_PROJECT,
  gcpDemoServiceAccount,
  ociDemoKey,
} from '../../src/simulate/builtin.js';
import { startWorld, type World } from '../../src/simulate/world.js';
import { autoscalePool } from '../helpers/providers.js';

/**
 * One provider per kind of agent, with the size the cloud's own catalogue gives it:
 * E4.Flex as configured (2 OCPUs = 4 vCPUs, 16 GB); VM.Standard2.1 (1 OCPU, 15 GB);
 * VM.GPU3.1 (6 OCPUs, 90 GB, one V100); e2-standard-4 (4 vCPUs, 16 GB); g2-standard-4
 * (4 vCPUs, 16 GB, one built-in L4); n1-standard-8 (8 vCPUs, 30 GB) with one T4 attached.
 */
const KINDS: Array<{ name: string; cloud: 'oci' | 'gcp'; over: Record<string, unknown>; size: Resources }> = [
  { name: 'oci-flex', cloud: 'oci', over: {}, size: { cores: 4, memoryMb: 16384, gpus: 0 } },
  {
    name: 'oci-fixed',
    cloud: 'oci',
    over: { oci_shape: 'VM.Standard2.1', oci_flex_cpus: undefined, oci_flex_memory_gb: undefined },
    size: { cores: 2, memoryMb: 15360, gpus: 0 },
  },
  {
    name: 'oci-gpu',
    cloud: 'oci',
    over: { oci_shape: 'VM.GPU3.1', oci_flex_cpus: undefined, oci_flex_memory_gb: undefined },
    size: { cores: 12, memoryMb: 92160, gpus: 1 },
  },
  {
    name: 'gcp-plain',
    cloud: 'gcp',
    over: { machineType: 'e2-standard-4' },
    size: { cores: 4, memoryMb: 16384, gpus: 0 },
  },
  {
    name: 'gcp-g2',
    cloud: 'gcp',
    over: {
      machineType: 'g2-standard-4',
      gcp_config_override: { scheduling: { onHostMaintenance: 'TERMINATE' } },
    },
    size: { cores: 4, memoryMb: 16384, gpus: 1 },
  },
  {
    name: 'gcp-t4',
    cloud: 'gcp',
    over: {
      machineType: 'n1-standard-8',
      accelerators: [{ acceleratorType: 'nvidia-tesla-t4', acceleratorCount: 1 }],
    },
    size: { cores: 8, memoryMb: 30720, gpus: 1 },
  },
];
const ZONES = ['z0', 'z1', 'z2'];
const T = Date.UTC(2025, 0, 6, 8, 0, 0);

let world: World;
beforeAll(async () => {
  // The OCI SDK console.warn()s on failed requests; none are expected, but keep output clean.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const key = ociDemoKey();
  const sa = gcpDemoServiceAccount(GCP_PROJECT);
  world = await startWorld({
    start: T,
    zones: ZONES,
    document: {
      providers: KINDS.map((k) =>
        k.cloud === 'oci'
          ? emulatedOciProvider(key, { vm_provider_config_name: k.name, ...k.over })
          : emulatedGcpProvider(sa, { vm_provider_config_name: k.name, ...k.over }),
      ),
      autoscale: [],
    },
  });
}, 60_000);
afterAll(async () => world?.close());

const arbPool = fc.record({
  kind: fc.integer({ min: 0, max: KINDS.length - 1 }),
  standby_cores: fc.constantFrom(0, 0, 1, 4, 12),
  standby_memory_mb: fc.constantFrom(0, 0, 4096, 40000),
  standby_gpus: fc.constantFrom(0, 0, 1, 2),
  agent_cores_override: fc.constantFrom(0, 0, 2, 8),
  agent_memory_override_gb: fc.constantFrom(0, 0, 8, 15, 32),
  agent_gpus_override: fc.constantFrom(0, 0, 1, 2),
  minimum_instances: fc.constantFrom(0, 0, 1, 3),
  max_launch_per_pass: fc.integer({ min: 1, max: 4 }),
  statics: fc.array(
    fc.record({
      cores: fc.constantFrom(2, 4, 8),
      memGb: fc.constantFrom(8, 16, 32),
      gpus: fc.constantFrom(0, 0, 1),
      busyCores: fc.constantFrom(0, 1, 2),
    }),
    { maxLength: 2 },
  ),
  waiting: fc.array(
    fc.record({
      cores: fc.constantFrom(1, 2, 4, 16),
      memGb: fc.constantFrom(2, 4, 16, 64),
      gpus: fc.constantFrom(0, 0, 1),
    }),
    { maxLength: 3 },
  ),
});
const arbCase = fc.record({
  pools: fc.array(arbPool, { minLength: 1, maxLength: ZONES.length }),
  maxInstances: fc.array(fc.integer({ min: 0, max: 5 }), {
    minLength: KINDS.length,
    maxLength: KINDS.length,
  }),
});
type Case = fc.RecordValue<typeof arbCase>;

/** Kasm as this case describes it: agents that are not ours (with running sessions) and waiting sessions. */
function seedKasm(c: Case): void {
  const st = world.kasm.state();
  for (const s of st.sessions) world.kasm.removeSession(s.kasm_id);
  for (const a of st.agents) world.kasm.removeAgent(a.server_id);
  c.pools.forEach((p, ix) => {
    p.statics.forEach((a, j) => {
      const server_id = `${ix}${j}`.padStart(32, 'a');
      world.kasm.registerAgent({
        server_id,
        zone_name: ZONES[ix],
        cores: a.cores,
        memory: a.memGb * 1024 * MB,
        gpus: a.gpus,
      });
      if (a.busyCores)
        world.kasm.addSession({
          server_id,
          cores: a.busyCores,
          memory: 1024 * MB,
          operational_status: 'running',
        });
    });
    for (const w of p.waiting)
      world.kasm.addSession({
        zone_name: ZONES[ix],
        cores: w.cores,
        memory: w.memGb * 1024 * MB,
        gpus: w.gpus,
        operational_status: 'requested',
      });
  });
}

const RES = ['cores', 'memoryMb', 'gpus'] as const;

it('over the config space: agent size per resource, liveness, and the safety invariants hold through observe → plan', async () => {
  await fc.assert(
    fc.asyncProperty(arbCase, async (c) => {
      seedKasm(c);
      const pools: AutoscaleConfig[] = c.pools.map((p, ix) => {
        const { kind, statics: _s, waiting: _w, ...keys } = p;
        return autoscalePool(`pool ${ix}`, KINDS[kind].name, ZONES[ix], keys);
      });
      const config: KasmScaleConfig = {
        ...world.config,
        providers: world.config.providers.map((p, i) => ({ ...p, max_instances: c.maxInstances[i] })),
        autoscale: pools,
      };
      const obs = await observe({ config, pools, concurrency: 4, adapterOptions: { shareClients: true } });
      expect(obs.demandError).toBeUndefined();
      const decided = plan(
        {
          pools,
          providers: obs.providers,
          ...(obs.demand ? { demand: obs.demand } : {}),
          memory: emptyState(),
        },
        new Date(T),
      );

      const launchedOn: Record<string, number> = {};
      decided.pools.forEach((pp, ix) => {
        const p = c.pools[ix];
        const kind = KINDS[p.kind];
        const ctx = `${pp.pool} on ${kind.name}: ${JSON.stringify(pp.notes)}`;
        expect(pp.error, ctx).toBeUndefined();
        const f = pp.figures!;

        // Size: override when non-zero, else the shape / machine type, each resource on its own.
        const override: Resources = {
          cores: p.agent_cores_override,
          memoryMb: p.agent_memory_override_gb * 1024,
          gpus: p.agent_gpus_override,
        };
        const size = f.agentSize!;
        expect(size, ctx).toEqual({
          cores: override.cores || kind.size.cores,
          memoryMb: override.memoryMb || kind.size.memoryMb,
          gpus: override.gpus || kind.size.gpus,
        });

        // Waiting sessions: those bigger than an agent are counted apart and drive nothing.
        const fits = p.waiting.filter(
          (w) => w.cores <= size.cores && w.memGb * 1024 <= size.memoryMb && w.gpus <= size.gpus,
        );
        expect(f.oversizedSessions ?? 0, ctx).toBe(p.waiting.length - fits.length);
        expect(f.waiting, ctx).toEqual({
          cores: fits.reduce((n, w) => n + w.cores, 0),
          memoryMb: fits.reduce((n, w) => n + w.memGb * 1024, 0),
          gpus: fits.reduce((n, w) => n + w.gpus, 0),
        });

        // Safety: launches only, each with a reason, within every bound.
        const launches = pp.actions.filter((a) => a.kind === 'launch');
        expect(pp.actions.length, ctx).toBe(launches.length);
        for (const a of pp.actions) expect(a.reason, ctx).toMatch(/^launch: /);
        const headroom = Math.max(0, c.maxInstances[p.kind] - (launchedOn[kind.name] ?? 0));
        const need = Math.max(
          p.minimum_instances,
          ...RES.map((r) => {
            const deficit = f.standby[r] + f.waiting[r] - f.free[r];
            return deficit > 1e-9 && size[r] > 0 ? Math.ceil(deficit / size[r] - 1e-9) : 0;
          }),
        );
        expect(launches.length, ctx).toBeLessThanOrEqual(Math.min(headroom, p.max_launch_per_pass, need));
        // Liveness: short of standby (in a resource its agents have) or of minimum, with room: it launches now.
        if (need > 0 && headroom > 0)
          expect(launches.length, ctx).toBe(Math.min(headroom, p.max_launch_per_pass, need));
        launchedOn[kind.name] = (launchedOn[kind.name] ?? 0) + launches.length;
      });
      for (const [i, k] of KINDS.entries())
        expect(launchedOn[k.name] ?? 0).toBeLessThanOrEqual(c.maxInstances[i]);
    }),
    { numRuns: 25 },
  );
}, 60_000);
