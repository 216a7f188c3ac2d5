/**
 * Checks of an agent's end of life (docs/lifecycle.md): the Kasm API key may drain agents
 * (Agents Modify for update_server, Servers Delete for delete_server), and which of our
 * instances are orphans (their autoscale config left the file). Read-only: the permission
 * probes address a server id that cannot exist, so Kasm answers "does not exist" when the
 * key may make the call and 401 when it may not; nothing changes either way.
 */
import { CliError, oneLine } from '../core/errors.js';
import { TAG_OWNER, TAG_POOL, ownershipIdOf, poolLabel } from '../clouds/ownership.js';
import type { CloudAdapter } from '../clouds/types.js';
import type { KasmScaleConfig, Provider } from '../config/types.js';
import { DRAIN_PERMISSIONS, PERMISSION_FOR } from '../kasm/errors.js';
import { DEFAULT_ORPHAN_GRACE_SEC } from '../scaling/orphans.js';
import { fail, ok, warn, type Check } from '../core/checks.js';

/** A server id no agent has: the probes change nothing. */
const PROBE_ID = '0'.repeat(32);

/** Joins the Kasm group: the key may drain agents (needs the key check to pass). */
export function drainPermissionCheck(config: KasmScaleConfig): Check | undefined {
  const kasm = config.kasm;
  if (!kasm || config.autoscale.length === 0) return undefined;
  return {
    id: 'drain-permissions',
    title: `API key may drain agents (${DRAIN_PERMISSIONS.join(', ')})`,
    needs: ['key'],
    async run() {
      const { createKasmClient } = await import('../kasm/client.js');
      const client = createKasmClient(kasm, { timeoutMs: 15_000 });
      const missing: string[] = [];
      for (const [call, probe] of [
        ['update_server', () => client.updateAgent(PROBE_ID, { enabled: true })],
        ['delete_server', () => client.deleteAgent(PROBE_ID)],
      ] as const) {
        try {
          await probe();
        } catch (err) {
          const line = oneLine(err);
          if (/401 Unauthorized/.test(line)) missing.push(PERMISSION_FOR[call]);
          else if (!/Does not Exist/i.test(line))
            return warn(
              `cannot tell: ${call} answered ${line}`,
              err instanceof CliError ? err.hint : undefined,
            );
        }
      }
      if (missing.length === 0) return ok('update_server and delete_server allowed');
      return fail(
        `the key lacks ${missing.join(' and ')}: reconcile cannot drain agents, so it removes none (scale-down, clean-up and orphans fail)`,
        `give the API key ${DRAIN_PERMISSIONS.join(' and ')} (Kasm Admin → Settings → Developers → API keys → edit permissions)`,
      );
    },
  };
}

/**
 * Joins a provider's group, after its credentials check passed: our instances on it whose
 * autoscale config is no longer in the file (a warning listing them).
 */
export function orphansCheck(
  config: KasmScaleConfig,
  p: Provider,
): { check: Check; close(): Promise<void> } | undefined {
  const owner = ownershipIdOf(config);
  if (!owner) return undefined;
  // Closed with the provider's group, not mid-way: its sibling checks may still be talking to the cloud.
  let opened: CloudAdapter | undefined;
  const close = async () => {
    await opened?.close?.().catch(() => {});
  };
  const check: Check = {
    id: 'orphans',
    title: 'no orphan instances (ours, autoscale config no longer in the file)',
    needs: ['credentials'],
    async run() {
      const known = new Set(config.autoscale.map((a) => poolLabel(a.autoscale_config_name)));
      const { createAdapter } = await import('../clouds/index.js');
      const adapter = (opened = await createAdapter(p));
      try {
        const found = (await adapter.listOwned())
          .filter(
            (i) =>
              i.state !== 'terminated' &&
              i.tags?.[TAG_OWNER] === owner &&
              i.tags?.[TAG_POOL] &&
              !known.has(i.tags[TAG_POOL]),
          )
          .map((i) => `${i.name} (pool ${i.tags[TAG_POOL]})`);
        if (found.length === 0) return ok(`none (ownership id ${owner})`);
        const grace = config.reconcile?.orphan_grace ?? DEFAULT_ORPHAN_GRACE_SEC;
        return warn(
          `${found.length} orphan instance(s): ${found.join(', ')}`,
          `reconcile drains and terminates them after orphan_grace (${grace} s) unless run with --keep-orphans; put their autoscale config back in the file to keep them`,
        );
      } catch (err) {
        return warn(`cannot list instances: ${oneLine(err)}`);
      }
    },
  };
  return { check, close };
}
