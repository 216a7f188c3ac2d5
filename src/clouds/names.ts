/**
 * The names of the clouds (`vm_provider_name` as Kasm spells it), apart from their modules so
 * the clouds' own files (types, ownership) can name a cloud without importing the registry
 * that imports them. registry.ts holds one entry per name; the compiler checks both agree.
 */
export const CLOUD_NAMES = ['oci', 'gcp'] as const;

/** A cloud's `vm_provider_name`: the registry's keys. */
export type CloudName = (typeof CLOUD_NAMES)[number];
