import { autoscaleFields } from '../config/schema/autoscale.js';
import { kasmFields } from '../kasm/schema.js';

/**
 * The config's own per-field schemas for the questions every cloud shares: a wizard
 * answer is checked by the exact schema `config validate` uses for that key (each cloud's
 * wizard checks its own keys with its own schema).
 */
export const kasm = kasmFields;
export const autoscale = autoscaleFields;
