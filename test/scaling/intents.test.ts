/** Launch intents as an input of the pure plan(), and the pure rules that open and close them. */
import { describe, expect, it } from 'vitest';
import { afterApply, INTENT_TTL_MS, openIntents, type LaunchIntent } from '../../src/scaling/intents.js';
import { plan } from '../../src/scaling/plan.js';
import { T0, hex32, input, pool, provider, world } from './world.js';

const intent = (n: number, at = T0, over: Partial<LaunchIntent> = {}): LaunchIntent => ({
  pool: 'p',
  provider: 'oci-main',
  serverId: hex32(n),
  idempotencyKey: `ks-key-${n}`,
  zones: ['AD-1'],
  at: at.toISOString(),
  ...over,
});

describe('launch intents in plan()', () => {
  it('unconfirmed launches are pending supply, sent again under their own keys; no fresh launches for them', () => {
    const w = world({ pools: [pool('p', { standby_cores: 8 })], providers: { 'oci-main': provider() } });
    const p = plan({ ...input(w), intents: [intent(1), intent(2)] }, T0).pools[0];
    expect(
      p.actions.map((a) => [a.kind, a.cause, (a as { idempotencyKey?: string }).idempotencyKey]),
    ).toEqual([
      ['launch', 'unconfirmed', 'ks-key-1'],
      ['launch', 'unconfirmed', 'ks-key-2'],
    ]);
    expect(p.figures?.pending.cores).toBe(8);
  });

  it('fresh launches cover only what the unconfirmed ones do not; max_instances counts the intents', () => {
    const w = world({
      pools: [pool('p', { standby_cores: 12 })],
      providers: { 'oci-main': provider('oci-main', { maxInstances: 2 }) },
    });
    const p = plan({ ...input(w), intents: [intent(1)] }, T0).pools[0];
    // 12 cores needed, 4 pending in the intent: two more agents, but only one fits under max_instances 2.
    expect(p.actions.map((a) => a.cause)).toEqual(['unconfirmed', 'standby']);
    expect(p.notes).toContain('launching 1 of 2: provider oci-main has 1 of max_instances 2');
  });
});

describe('opening and closing intents', () => {
  it('an intent ends when the cloud lists its instance, when it expires, or when a send came back definite', () => {
    const listed = () => new Set([hex32(2)]);
    const open = openIntents(
      [intent(1), intent(2), intent(3, new Date(T0.getTime() - INTENT_TTL_MS))],
      T0,
      listed,
    );
    expect(open.map((i) => i.serverId)).toEqual([hex32(1)]);
    // A provider that could not be listed keeps its intents.
    expect(openIntents([intent(1)], T0, () => undefined)).toHaveLength(1);
    const launch = (n: number) => ({ kind: 'launch', serverId: hex32(n) }) as never;
    const left = afterApply(
      [intent(1), intent(2), intent(3), intent(4)],
      [
        { action: launch(1), status: 'done' },
        { action: launch(2), status: 'failed', error: { class: 'capacity', message: '' } },
        { action: launch(3), status: 'failed', error: { class: 'transient', message: 'socket hang up' } },
      ],
    );
    expect(left.map((i) => i.serverId)).toEqual([hex32(3), hex32(4)]);
  });
});

describe('intents of a chained launch', () => {
  it('remember the chain: confirmed when listed on a fallback provider, resent down the same chain', () => {
    const chained = intent(7, T0, { fallbacks: [{ provider: 'oci-od', zones: ['AD-1'] }] });
    // Listed on the fallback provider: it landed there, nothing to send again.
    const listed = (pv: string) => new Set(pv === 'oci-od' ? [hex32(7)] : []);
    expect(openIntents([chained], T0, listed)).toEqual([]);
    expect(openIntents([chained], T0, () => new Set())).toHaveLength(1);
    const w = world({
      pools: [pool('p', { standby_cores: 4, vm_provider_config_names: ['oci-main', 'oci-od'] })],
      providers: { 'oci-main': provider(), 'oci-od': provider('oci-od') },
    });
    const [resent] = plan({ ...input(w), intents: [chained] }, T0).pools[0].actions;
    expect(resent).toMatchObject({
      cause: 'unconfirmed',
      provider: 'oci-main',
      idempotencyKey: 'ks-key-7',
      fallbacks: [{ provider: 'oci-od', zones: ['AD-1'] }],
    });
  });
});
