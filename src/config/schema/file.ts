import { z } from 'zod';
import { CLOUD_LIST, CLOUDS } from '../../clouds/registry.js';
import { autoscaleSchema } from './autoscale.js';
import { int, pattern } from '../../core/fields/common.js';
import { kasmInputSchema, kasmSchema } from '../../kasm/schema.js';
import { lockSchema } from './lock.js';

/**
 * The whole kasm-scale file. Two views of one schema: `fileInputSchema` is what a person
 * writes (with `*_file` keys; `config schema` prints it), `fileSchema` parses it into the
 * resolved config the rest of kasm-scale uses.
 */

type Clouds = (typeof CLOUDS)[keyof typeof CLOUDS];
/** One provider of any registered cloud, told apart by vm_provider_name. */
const providerUnion = <T extends z.core.$ZodTypeDiscriminable>(schemas: readonly T[]) =>
  z.discriminatedUnion('vm_provider_name', schemas as unknown as [T, ...T[]], {
    error: `expected vm_provider_name: ${CLOUD_LIST.map((c) => c.name).join(' or ')}`,
  });

const providerList = <T extends z.ZodType>(provider: T) =>
  z
    .array(provider, { error: 'expected a list of VM provider configs' })
    .default([])
    .describe('VM provider configs (Kasm keys)');
const autoscaleList = z
  .array(autoscaleSchema, { error: 'expected a list of autoscale configs' })
  .default([])
  .describe('Autoscale configs');

/** `reconcile:` — settings of the pass itself (kasm-scale's own keys). */
const reconcileSection = z
  .strictObject({
    /** Cloud calls at once across all pools; `--concurrency` wins. Digit strings (from `${ENV}`) count, as in int(). */
    concurrency: z
      .preprocess(
        (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
        z
          .number({ error: 'expected a whole number from 1 to 256' })
          .int({ error: 'expected a whole number from 1 to 256' })
          .min(1, { error: 'expected a whole number from 1 to 256' })
          .max(256, { error: 'expected a whole number from 1 to 256' }),
      )
      .optional()
      .describe('Cloud calls at once in a pass, 1–256 (default 8); --concurrency wins'),
    orphan_grace: int({ min: 0, max: 30 * 24 * 3600, what: 'seconds' })
      .optional()
      .describe(
        'Seconds an instance of ours whose autoscale config left this file is kept before it is drained and terminated (default 3600); --keep-orphans turns reaping off',
      ),
    ownership_id: pattern(
      /^[a-z0-9][a-z0-9_-]{0,62}$/,
      'lowercase letters, digits, - and _ (at most 63), e.g. prod-eu',
    )
      .optional()
      .describe(
        "This installation's mark on every instance it launches (default: derived from kasm.url). Orphan reaping touches only instances with this mark: give two installations that share a compartment/project and a Kasm different ids",
      ),
  })
  .describe('Settings of reconcile passes (kasm-scale keys)');

const top = {
  /** Editors' schema pointer in JSON files; ignored. */
  $schema: z.string().optional(),
};

export const fileInputSchema = z
  .strictObject({
    ...top,
    kasm: kasmInputSchema.optional(),
    reconcile: reconcileSection.optional(),
    lock: lockSchema.optional(),
    providers: providerList(providerUnion(CLOUD_LIST.map((c) => c.inputSchema as Clouds['inputSchema']))),
    autoscale: autoscaleList,
  })
  .describe('kasm-scale config file');

export const fileSchema = z
  .strictObject({
    ...top,
    kasm: kasmSchema.optional(),
    reconcile: reconcileSection.optional(),
    lock: lockSchema.optional(),
    providers: providerList(providerUnion(CLOUD_LIST.map((c) => c.schema as Clouds['schema']))),
    autoscale: autoscaleList,
  })
  .transform(({ $schema: _s, ...rest }) => rest);

export type ParsedFile = z.output<typeof fileSchema>;
