/**
 * The resolved kasm-scale config: what `loadConfig()` returns after parsing YAML/JSON,
 * expanding `${ENV}` and `~`, reading `*_file` secrets and parsing JSON-in-string fields.
 *
 * CONTRACT for every module: import these names from here. They are the zod schemas'
 * output types (src/config/schema/), the single source of truth for the types, the
 * validator, `config schema` and the init wizard's per-question checks.
 */
import type { AutoscaleConfig } from './schema/autoscale.js';
import type { CloudName, ProviderOf } from '../clouds/registry.js';
import type { KasmSection } from '../kasm/schema.js';
import type { LockSection } from './schema/lock.js';

export type { AutoscaleConfig } from './schema/autoscale.js';
export type {
  GcpGuestAccelerator,
  GcpMetadataItem,
  GcpProvider,
  GcpServiceAccountKey,
} from '../clouds/gcp/schema.js';
export type { KasmSection } from '../kasm/schema.js';
export type { LockSection, LockType } from './schema/lock.js';
export type { BaselineOcpuUtilization, OciProvider } from '../clouds/oci/schema.js';

/** A provider of any cloud in the registry (src/clouds/registry.ts). */
export type Provider = ProviderOf<CloudName>;

export interface KasmScaleConfig {
  /** Absolute path of the file it was loaded from. */
  file: string;
  kasm?: KasmSection;
  providers: Provider[];
  autoscale: AutoscaleConfig[];
  /** Settings of reconcile passes. */
  reconcile?: { concurrency?: number; orphan_grace?: number; ownership_id?: string };
  /** What keeps passes apart (default: the lock file in the state dir). */
  lock?: LockSection;
}
