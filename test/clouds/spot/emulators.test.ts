import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcpAdapter } from '../../../src/clouds/gcp/adapter.js';
import { gcpClientOptions } from '../../../src/clouds/gcp/client.js';
import { createOciAdapter } from '../../../src/clouds/oci/adapter.js';
import type { LaunchRequest } from '../../../src/clouds/types.js';
import * as gcp from '../gcp/fixture.js';
import { AD1, AD2, caught, setup as ociSetup, silenceSdkWarnings } from '../oci/fixture.js';

/**
 * The emulators' spot behaviour, driven through the real SDKs (our adapters) and the
 * control surface an operator's trial uses (POST /__emulator/preempt, /__emulator/faults).
 */
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
silenceSdkWarnings();

const serverId = () => randomBytes(16).toString('hex');
const req = (zone: string, pool = 'Pool A'): LaunchRequest => {
  const id = serverId();
  return {
    autoscaleConfigName: pool,
    serverId: id,
    zone,
    idempotencyKey: `launch-${id}`,
    scriptTokens: { manager_token: 'm', upstream_auth_address: 'kasm.example.com', provider_name: 'p' },
  };
};
const noSleep = { sleep: async () => {}, random: () => 0.5 };
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('OCI emulator: preemptible capacity', () => {
  it('preempts only preemptible instances: TERMINATING, then TERMINATED and no longer listed', async () => {
    const s = await ociSetup();
    closers.push(() => s.emu.close());
    const spot = createOciAdapter({ ...s.p, spot: true }, { ...noSleep, poolNames: ['Pool A'] });
    const onDemand = createOciAdapter(s.p, { ...noSleep, poolNames: ['Pool A'] });
    const a = (await spot.launch(req(AD1))).instance;
    const b = (await spot.launch(req(AD2))).instance;
    const c = (await onDemand.launch(req(AD1))).instance;
    expect(s.emu.stored.find((i) => i.id === a.id)?.details.preemptibleInstanceConfig).toEqual({
      preemptionAction: { type: 'TERMINATE', preserveBootVolume: false },
    });
    s.tick(120_000);
    // On-demand capacity is never reclaimed.
    const refused = await post(`${s.emu.url}/__emulator/preempt`, { ids: [c.id] });
    expect(refused.status).toBe(400);
    const r = await post(`${s.emu.url}/__emulator/preempt`, { count: 5 });
    expect(((await r.json()) as { preempted: string[] }).preempted.sort()).toEqual([a.id, b.id].sort());
    expect((await spot.listOwned()).map((i) => [i.id, i.cloudState]).sort()).toEqual(
      [
        [a.id, 'TERMINATING'],
        [b.id, 'TERMINATING'],
        [c.id, 'RUNNING'],
      ].sort(),
    );
    s.tick(60_000);
    expect((await spot.listOwned()).map((i) => i.id)).toEqual([c.id]);
    const view = s.emu.instances.find((i) => i.id === a.id)!;
    expect(view.lifecycleState).toBe('TERMINATED');
    expect(view.preemptibleInstanceConfig).toBeDefined();
  });

  it('a preemptible-only capacity fault refuses spot launches and lets on-demand ones through', async () => {
    const s = await ociSetup();
    closers.push(() => s.emu.close());
    await post(`${s.emu.url}/__emulator/faults`, { kind: 'capacity', preemptibleOnly: true });
    const spot = createOciAdapter({ ...s.p, spot: true }, { ...noSleep, poolNames: ['Pool A'] });
    const onDemand = createOciAdapter(s.p, { ...noSleep, poolNames: ['Pool A'] });
    const err = await caught(spot.launch(req(AD1)));
    expect(err.kind).toBe('capacity');
    await onDemand.launch(req(AD1));
  });

  it('refuses a preemptible launch on a bare metal shape, as the service does', async () => {
    const s = await ociSetup();
    closers.push(() => s.emu.close());
    s.emu.seed({ shapes: [{ shape: 'BM.Standard2.52', ocpus: 52, memoryInGBs: 768 }] });
    const spot = createOciAdapter(
      {
        ...s.p,
        spot: true,
        oci_shape: 'BM.Standard2.52',
        oci_flex_cpus: undefined,
        oci_flex_memory_gb: undefined,
      },
      { ...noSleep, poolNames: ['Pool A'] },
    );
    const err = await caught(spot.launch(req(AD1)));
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/bare metal/);
  });
});

describe('GCP emulator: Spot VMs', () => {
  async function env() {
    const s = await gcp.setup();
    closers.push(() => s.emu.close());
    const adapter = await createGcpAdapter(
      { ...s.p, spot: true },
      { ...noSleep, random: () => 0, poolNames: ['Pool A'] },
    );
    closers.push(() => adapter.close!());
    const onDemand = await createGcpAdapter(s.p, { ...noSleep, random: () => 0, poolNames: ['Pool A'] });
    closers.push(() => onDemand.close!());
    return { ...s, adapter, onDemand };
  }

  it('preemption deletes the Spot VM (DELETE action) and leaves a compute.instances.preempted operation', async () => {
    const { emu, adapter, onDemand, tick, p } = await env();
    const a = (await adapter.launch(req(gcp.ZONE))).instance;
    const c = (await onDemand.launch(req(gcp.ZONE))).instance;
    tick(120_000);
    const r = await post(`${emu.url}/__emulator/preempt`, { count: 3 });
    expect(((await r.json()) as { preempted: string[] }).preempted).toEqual([a.name]);
    tick(60_000);
    expect((await adapter.listOwned()).map((i) => i.name)).toEqual([c.name]);
    // What Google's API shows, read with the library's own ZoneOperationsClient.
    const { ZoneOperationsClient } = await import('@google-cloud/compute');
    const ops = new ZoneOperationsClient(gcpClientOptions(p));
    closers.push(() => ops.close());
    const [list] = await ops.list({
      project: gcp.PROJECT,
      zone: gcp.ZONE,
      filter: 'operationType="compute.instances.preempted"',
    });
    expect(list.map((o) => [o.operationType, o.statusMessage, o.targetLink?.split('/').pop()])).toEqual([
      ['compute.instances.preempted', 'Instance was preempted.', a.name],
    ]);
  });

  it('a Spot-only stockout refuses Spot launches with ZONE_RESOURCE_POOL_EXHAUSTED; standard ones go through', async () => {
    const { emu, adapter, onDemand } = await env();
    await post(`${emu.url}/__emulator/faults`, { kind: 'stockout', spotOnly: true });
    const err = await adapter.launch(req(gcp.ZONE)).then(
      () => undefined,
      (e: { kind?: string; code?: string }) => e,
    );
    expect(err?.kind).toBe('capacity');
    expect(err?.code).toMatch(/ZONE_RESOURCE_POOL_EXHAUSTED/);
    await onDemand.launch(req(gcp.ZONE));
  });
});
