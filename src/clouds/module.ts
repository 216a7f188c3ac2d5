/**
 * What one cloud brings to kasm-scale. Each cloud's folder (oci/, gcp/) exports one
 * CloudModule from its index.ts and registry.ts lists them; config, render, submit,
 * reconcile, doctor, init, status and simulate ask the registry instead of naming a cloud.
 * The light parts (schema, checks, render, submit fields) are values; the heavy ones (SDK
 * adapter, doctor checks, wizard) are functions that import lazily, so
 * `--version` and `config validate` never load an SDK. Each cloud's emulator and its seeding
 * from a config sit with the emulators (src/emulators/registry.ts), a feature above the clouds.
 */
import type { z } from 'zod';
import type { CheckContext } from '../core/fields/check-context.js';
import type { PathSegments } from '../core/fields/path.js';
import type { LaunchContext } from './launch-context.js';
import type { SubmitField } from '../core/fields/submit-kinds.js';
import type { CheckGroup } from '../core/checks.js';
import type { AdapterOptions, CloudAdapter } from './types.js';
import type { CloudWizard } from './wizard-types.js';

/** The part of a provider every cloud has (the zod output of its schema has at least this). */
export interface ProviderBase {
  vm_provider_name: string;
  vm_provider_config_name: string;
  max_instances: number;
  startup_script: string;
}

export interface CloudModule<P extends ProviderBase> {
  /** `vm_provider_name` as Kasm spells it. */
  readonly name: P['vm_provider_name'];
  /** For people: 'Oracle Cloud (OCI)'. */
  readonly label: string;

  /** What a person writes (with `*_file` keys; `config schema` prints it). */
  readonly inputSchema: z.ZodType;
  /** Parses the written section into the resolved provider. */
  readonly schema: z.ZodType<P>;
  /** The section's keys and their schemas ("did you mean" names these). */
  readonly fields: Record<string, z.ZodType>;
  /** Keys whose values are secrets (never echoed in a problem, kept out of files inline). */
  readonly secretKeys: readonly string[];
  /** `*_file` keys the loader reads into their sibling key (`oci_private_key_file` → `oci_private_key`). */
  readonly fileKeys: Readonly<Record<string, string>>;
  /** `*_file` keys that are a path handed to the SDK as is (`oci_config_file`), never read by the loader. */
  readonly pathKeys?: readonly string[];
  /** Keys of the objects inside list/JSON fields, for "did you mean" (e.g. gcp_metadata → key, value). */
  readonly nestedKeys?: Record<string, string[]>;
  /** Rules across fields of one raw provider section; report through ctx. */
  check(p: Record<string, unknown>, at: PathSegments, ctx: CheckContext): void;

  /** Where launches may go, in order of preference (OCI ADs, the GCP zone). */
  zones(p: P): string[];
  /** The launch request body: what the adapter sends and `config render` prints. */
  readonly render: {
    /** The SDK type the body is passed as (`config render` labels it). */
    kind: string;
    body(p: P, ctx: LaunchContext): Record<string, unknown>;
    /** The body with the startup script hidden (it usually carries secrets). */
    redact(p: P, request: Record<string, unknown>, redacted: (what: string, value: string) => string): void;
  };

  /** Kasm's keys for this cloud, in the order of Kasm's form (`config submit`). */
  readonly submitFields: SubmitField[];
  /** What submit says about a provider beyond the payload (e.g. a key Kasm cannot take). */
  submitNotes?(p: P): string[];
  /**
   * The provider as `config submit` reads Kasm's keys from it: kasm-scale's own keys that
   * Kasm has no field for, said in Kasm's words (`spot: true` merged into the cloud's config
   * override, the one launches use), so a launch by Kasm launches alike.
   */
  submitProvider(p: P): P;

  /** Loads the SDK adapter (lazy). */
  adapter(): Promise<(p: P, opts: AdapterOptions) => CloudAdapter | Promise<CloudAdapter>>;
  /** Ends clients kept across adapters (`shareClients`), if the cloud keeps any. */
  closeSharedClients?(): Promise<void>;
  /** Loads `doctor`'s read-only checks (lazy). */
  doctor(): Promise<(p: P) => CheckGroup>;
  /** Loads this cloud's part of `kasm-scale init` (lazy): a fresh one per run. */
  wizard(): Promise<CloudWizard>;
}
