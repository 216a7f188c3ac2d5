import type { z } from 'zod';
import { autoscaleFields } from '../config/schema/autoscale.js';
import { gcpFields } from '../clouds/gcp/schema.js';
import { kasmFields } from '../kasm/schema.js';
import { ociFields } from '../clouds/oci/schema.js';

/**
 * The bridge to the config's own per-field schemas: a wizard answer is checked by the
 * exact schema `config validate` uses for that key, so the message under the prompt is
 * the message `config validate` would print for the same value.
 */
export type FieldCheck = (value: unknown) => string | undefined;

export function fieldCheck(schema: z.ZodType): FieldCheck {
  return (value) => {
    const r = schema.safeParse(value);
    if (r.success) return undefined;
    const issue = r.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return `${where}${issue.message}`;
  };
}

export const oci = ociFields;
export const gcp = gcpFields;
export const kasm = kasmFields;
export const autoscale = autoscaleFields;
