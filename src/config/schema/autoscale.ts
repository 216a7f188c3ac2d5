import { z } from 'zod';
import { bool, int, name, text } from '../../core/fields/common.js';
import { schedulesField } from './schedule.js';

/**
 * One autoscale config ("pool"): Kasm's keys, the two references kasm-scale needs
 * (`vm_provider_config_name`, `zone_name`), and kasm-scale's own scaling keys.
 *
 * To add a key: add one line to `autoscaleFields` (with `.default()` when it may be
 * omitted, and `.describe()` for editors' hover text; test/config/json-schema.test.ts
 * checks every key has one). The type, the validator, `config schema` and the docs table follow from it.
 * Cross-config rules (references, unique names, one pool per zone) are in ../checks/autoscale.ts.
 */
export const autoscaleFields = {
  // Kasm's keys
  autoscale_config_name: name('a name for this autoscale config').describe(
    'Name of this autoscale config, unique in this file',
  ),
  enabled: bool().default(true).describe('Enabled: whether this autoscale config scales (default true)'),
  vm_provider_config_name: name('the vm_provider_config_name of a provider in this file')
    .optional()
    .describe(
      'The vm_provider_config_name of the provider (in this file) it launches on; or give vm_provider_config_names (a chain), not both',
    ),
  vm_provider_config_names: z
    .array(name('the vm_provider_config_name of a provider in this file'), {
      error: 'expected a list of vm_provider_config_names, e.g. [oci-spot, oci-ondemand]',
    })
    .min(1, {
      error:
        'expected at least one vm_provider_config_name in the chain, e.g. [oci-spot, oci-ondemand] (or use vm_provider_config_name: one)',
    })
    .meta({ uniqueItems: true })
    .optional()
    .describe(
      'kasm-scale: a provider chain, first preferred: launches go to the first provider not in backoff and under its max_instances, scale-down empties the last first (docs/provider-chains.md); instead of vm_provider_config_name',
    ),
  zone_name: text('the name of the Kasm zone whose agents this config counts').describe(
    'The Kasm zone whose agents this config counts; at most one enabled config per zone',
  ),
  standby_cores: int({ what: 'standby cores' })
    .default(0)
    .describe(
      'Standby Cores: keep at least this many cores available; fewer launches agents, more removes idle ones (default 0)',
    ),
  standby_memory_mb: int({ what: 'standby memory in MB' })
    .default(0)
    .describe('Standby Memory (MB): keep at least this much memory available (default 0)'),
  standby_gpus: int({ what: 'standby GPUs' })
    .default(0)
    .describe('Standby GPUs: keep at least this many GPUs available (default 0)'),
  downscale_backoff: int({ what: 'seconds' })
    .default(900)
    .describe(
      'Downscale Backoff: seconds an agent must be idle before it is removed, against thrashing (default 900)',
    ),
  agent_cores_override: int({ what: 'cores (0 = no override)' })
    .default(0)
    .describe('Agent Cores Override: cores Kasm counts per agent (0 = no override)'),
  agent_memory_override_gb: int({ what: 'GB (0 = no override)' })
    .default(0)
    .describe('Agent Memory Override (GB): memory Kasm counts per agent (0 = no override)'),
  agent_gpus_override: int({ what: 'GPUs (0 = no override)' })
    .default(0)
    .describe('Agent GPUs Override: GPUs Kasm counts per agent (0 = no override)'),
  // kasm-scale's own keys (never sent to Kasm)
  /** Agents kept running even with no demand. */
  minimum_instances: int({ what: 'instances' })
    .default(0)
    .describe(
      "kasm-scale: agents kept running even without demand; at most the provider's max_instances (default 0)",
    ),
  /** At most this many launches per pass (guards against overshoot). */
  max_launch_per_pass: int({ min: 1, what: 'launches per pass' })
    .default(10)
    .describe('kasm-scale: at most this many launches per pass, ≥ 1 (default 10)'),
  /** Seconds after a launch during which this pool does not scale down (anti-flapping). */
  scale_down_delay_after_launch: int({ what: 'seconds' })
    .default(600)
    .describe('kasm-scale: seconds after a launch during which this pool does not scale down (default 600)'),
  /** Seconds a new instance has to register as a Kasm agent before it is terminated. */
  provision_timeout: int({ min: 60, what: 'seconds' })
    .default(900)
    .describe(
      'kasm-scale: seconds (≥ 60) a new instance has to register as a Kasm agent before it is terminated (default 900)',
    ),
  /** Time-of-day windows with their own standby and minimum (schedule.ts). */
  schedules: schedulesField,
};

/**
 * The one normalisation of the two ways to name providers: every loaded pool carries its
 * chain as an ordered, non-empty list (`vm_provider_config_names`), whichever key the file
 * used, and `vm_provider_config_name` is its first, preferred provider (the one Kasm's own
 * records, render and doctor speak of). Scaling reads only the list. The rules (exactly one
 * of the keys, no empty list, no provider twice, names that resolve) are in
 * ../checks/autoscale.ts; a file breaking them never gets this far.
 */
function normaliseChain(a: z.output<z.ZodObject<typeof autoscaleFields>>) {
  const { vm_provider_config_name: one, vm_provider_config_names: many, ...rest } = a;
  const chain = many ?? (one === undefined ? [] : [one]);
  return { ...rest, vm_provider_config_name: chain[0] ?? '', vm_provider_config_names: chain };
}

export const autoscaleSchema = z
  .strictObject(autoscaleFields)
  .transform(normaliseChain)
  // Exactly one of the two keys (the branches name the property, as strict JSON Schema tools want).
  .meta({
    oneOf: ['vm_provider_config_name', 'vm_provider_config_names'].map((k) => ({
      type: 'object',
      properties: { [k]: true },
      required: [k],
    })),
  })
  .describe('An autoscale config: which provider (or chain of providers) scales which Kasm zone, and how');

export type AutoscaleConfig = z.output<typeof autoscaleSchema>;
