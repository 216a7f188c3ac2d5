/**
 * Agent sizing, sessions that fit no agent, and Kasm's own autoscaler next to ours
 * (built CLI × emulators; needs `npm run build`).
 */
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { MB, scenario, type Scenario } from './harness.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const actions = (doc: any, pool = 0) => doc.pools[pool].actions as any[];

/** Stores a VM provider config in the Kasm emulator through its API, as `config submit` would. */
async function kasmProviderConfig(
  sc: Scenario,
  vm_provider_name: string,
  vm_provider_config_name: string,
): Promise<string> {
  const res = await fetch(`${sc.kasm.url}/api/public/create_vm_provider_config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      api_key: sc.kasm.apiKey,
      api_key_secret: sc.kasm.apiKeySecret,
      target_vm_provider_config: {
        vm_provider_name,
        vm_provider_config_name,
        max_instances: 5,
        startup_script: '#!/bin/bash',
      },
    }),
  });
  return ((await res.json()) as any).vm_provider_config.vm_provider_config_id;
}

it('cores and memory overridden, GPU override 0: the GPUs come from the shape (none) and the pool launches', async () => {
  s = await scenario({
    pools: [
      {
        name: 'seeded form',
        standby_cores: 8,
        agent_cores_override: 4,
        agent_memory_override_gb: 16,
        agent_gpus_override: 0,
      },
    ],
  });
  const r = await s.pass();
  expect(r.code, r.stderr).toBe(0);
  expect(r.doc.pools[0].observed.agent_size).toEqual({ cores: 4, memory_mb: 16384, gpus: 0 });
  expect(actions(r.doc).map((a) => [a.kind, a.status, a.reason])).toEqual([
    ['launch', 'done', 'launch: free cores 0 < standby 8 (1 of 2)'],
    ['launch', 'done', 'launch: free cores 0 < standby 8 (2 of 2)'],
  ]);
});

it('16 GB sessions on 15 GB agents: reported once per pass, no launch/terminate loop', async () => {
  // VM.Standard2.1: 1 OCPU (2 vCPUs), 15 GB, no GPU: its size comes from ListShapes.
  s = await scenario({
    pools: [{ name: 'small', standby_cores: 2, downscale_backoff: 0, scale_down_delay_after_launch: 0 }],
    oci: { oci_shape: 'VM.Standard2.1', oci_flex_cpus: undefined, oci_flex_memory_gb: undefined },
  });
  const first = await s.pass();
  expect(first.code, first.stderr).toBe(0);
  expect(first.doc.pools[0].observed.agent_size).toEqual({ cores: 2, memory_mb: 15360, gpus: 0 });
  expect(actions(first.doc)).toHaveLength(1); // standby: one agent
  s.tick(90);
  await s.pass(); // registers, marks idle
  for (let i = 0; i < 3; i++)
    s.kasm.addSession({
      cores: 1,
      memory: 16384 * MB,
      operational_status: 'requested',
      zone_name: 'default',
    });
  for (let pass = 0; pass < 3; pass++) {
    s.tick(120);
    s.kasm.assignWaitingSessions();
    const r = await s.pass();
    expect(r.code, r.stderr).toBe(0);
    expect(actions(r.doc)).toEqual([]);
    const p = r.doc.pools[0];
    expect(p.observed.oversized_sessions).toBe(3);
    expect(p.observed.waiting).toEqual({ cores: 0, memory_mb: 0, gpus: 0 });
    const notes = p.notes.filter((n: string) => n.includes('need more than one agent'));
    expect(notes).toEqual([
      '3 waiting session(s) need more than one agent of this pool has (e.g. memory MB 16384 > 15360): no agent this pool launches can hold them, so they drive no launches; use a bigger shape / machine type or agent_*_override, or smaller workspace sizes',
    ]);
  }
  // status says the same without acting
  const st = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], {
    env: { KASM_SCALE_NOW: new Date(s.now()).toISOString() },
  });
  expect(st.code, st.stderr).toBe(0);
  expect(
    JSON.parse(st.stdout).pools[0].notes.some((n: string) =>
      n.startsWith('3 waiting session(s) need more than one agent'),
    ),
  ).toBe(true);
});

it('an enabled Kasm autoscale config on the same zone and provider config: the pool is left alone (exit 3) unless --allow-kasm-autoscaler', async () => {
  s = await scenario({
    pools: [
      { name: 'office', standby_cores: 4 },
      { name: 'lab', zone: 'lab', standby_cores: 4 },
    ],
    zones: ['default', 'lab'],
  });
  const id = await kasmProviderConfig(s, 'oci', 'oci-main');
  await kasmProviderConfig(s, 'gcp', 'oci-main'); // same name, other cloud: not ours
  s.kasm.addAutoscaleConfig({
    autoscale_config_name: 'Kasm office agents',
    zone_name: 'default',
    vm_provider_config_id: id,
    enabled: true,
  });
  s.kasm.addAutoscaleConfig({
    autoscale_config_name: 'Kasm lab (off)',
    zone_name: 'lab',
    vm_provider_config_id: id,
    enabled: false,
  });

  const r = await s.pass();
  expect(r.code, r.stderr).toBe(3);
  const [office, lab] = r.doc.pools;
  expect(office.error.class).toBe('kasm_autoscaler');
  expect(office.error.message).toMatch(
    /^Kasm's own autoscale config "Kasm office agents" is enabled for zone "default" with provider config oci-main: .*disable it in Kasm/,
  );
  expect(office.actions).toEqual([]);
  expect(lab.error).toBeNull();
  expect(actions(r.doc, 1)).toHaveLength(1);
  expect(s.oci.instances).toHaveLength(1); // lab's only
  const st = await runCli(['status', s.config, '--state-dir', s.stateDir, '--json'], {
    env: { KASM_SCALE_NOW: new Date(s.now()).toISOString() },
  });
  const stOffice = JSON.parse(st.stdout).pools[0];
  expect(stOffice.next_pass).toEqual({ launch: 0, terminate: 0 });
  expect(stOffice.notes[0]).toMatch(
    /^reconcile leaves this pool alone: Kasm's own autoscale config "Kasm office agents"/,
  );

  const allowed = await s.pass(['--allow-kasm-autoscaler']);
  expect(allowed.code, allowed.stderr).toBe(0);
  expect(actions(allowed.doc, 0)).toHaveLength(1);
  expect(allowed.doc.pools[0].notes[0]).toContain('acting anyway: --allow-kasm-autoscaler');
});

it('a key without Autoscale View: a warning, the pass still scales', async () => {
  s = await scenario({ pools: [{ name: 'office', standby_cores: 4 }] });
  s.kasm.setFault({ route: 'get_autoscale_configs', kind: 'status', status: 401 });
  const r = await s.pass();
  expect(r.code, r.stderr).toBe(0);
  expect(actions(r.doc)).toHaveLength(1);
  expect(r.doc.warnings).toEqual([
    expect.stringMatching(
      /^cannot check for Kasm's own autoscaler: Kasm answered 401 Unauthorized to get_autoscale_configs.*Autoscale View/,
    ),
  ]);
});

it('an unknown flag: one line, exit 2', async () => {
  const r = await runCli(['reconcile', '--allow-kasm-autoscalers']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain('--allow-kasm-autoscalers');
});
