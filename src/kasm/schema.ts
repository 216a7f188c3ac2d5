import { z } from 'zod';
import { text } from '../core/fields/common.js';

/** `kasm:` — where the Kasm API is and the API key kasm-scale uses. */

export const KASM_AUTH_STYLES = ['body', 'basic'] as const;
export type KasmAuthStyle = (typeof KASM_AUTH_STYLES)[number];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Why `s` is not a usable Kasm base URL (https, or http on loopback only). */
export function kasmUrlError(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return 'expected the Kasm base URL, such as https://kasm.example.com';
  }
  if (u.protocol === 'https:')
    return u.search || u.hash ? 'expected a base URL without ?query or #fragment' : undefined;
  if (u.protocol === 'http:')
    return LOOPBACK.has(u.hostname)
      ? undefined
      : 'expected https:// (plain http is allowed only on 127.0.0.1/localhost, where nothing crosses a network)';
  return `expected an https:// URL, not ${u.protocol}`;
}

export const kasmFields = {
  url: z
    .string({ error: 'expected the Kasm base URL, such as https://kasm.example.com' })
    .superRefine((s, ctx) => {
      const why = kasmUrlError(s);
      if (why) ctx.addIssue({ code: 'custom', message: why, input: s });
    })
    .describe('Kasm base URL, such as https://kasm.example.com (plain http:// only on 127.0.0.1/localhost)'),
  api_key: text('the Kasm API key (Admin > Settings > Developers > API Keys)').describe(
    'Kasm API key (Admin > Settings > Developers > API Keys)',
  ),
  /** Secret: inline, `${ENV}`, or read from `api_key_secret_file`. */
  api_key_secret: text('the Kasm API key secret')
    .optional()
    .describe(
      'Kasm API key secret. Secret: inline, ${ENV}, or use api_key_secret_file (one of the two is required)',
    ),
  api_key_secret_file: text('the path of a file holding the API key secret')
    .optional()
    .describe(
      'Path of a file holding the Kasm API key secret (~ expands; relative to this file); instead of api_key_secret',
    ),
  /**
   * Secret: Kasm's manager token (Admin > Infrastructure > Zones... > "Manager Token"),
   * filled into `{manager_token}` of startup scripts so a new agent can join. Inline,
   * `${ENV}` (e.g. `${KASM_MANAGER_TOKEN}`), or read from `manager_token_file`: the file is
   * the only source, so `config validate` sees what a launch fills.
   */
  manager_token: text("Kasm's manager token for {manager_token} in startup scripts")
    .optional()
    .describe(
      "Kasm's manager token, filled into {manager_token} of startup scripts so a new agent can join. Secret: inline, ${ENV} such as ${KASM_MANAGER_TOKEN}, or manager_token_file; required when a script launched by kasm-scale uses {manager_token}",
    ),
  manager_token_file: text('the path of a file holding the manager token')
    .optional()
    .describe(
      'Path of a file holding the Kasm manager token (~ expands; relative to this file); instead of manager_token',
    ),
  /**
   * How the API key reaches Kasm. `body` (default): `api_key`/`api_key_secret` in the JSON
   * body under /api/public/, as Kasm's documentation up to 1.19 describes. `basic`:
   * `Authorization: Basic base64(key:secret)` under /api/, as its newest Developer API
   * reference does. `kasm-scale doctor` says which one the server accepts.
   */
  auth: z
    .enum(KASM_AUTH_STYLES, {
      error: 'expected body (api_key in the JSON body, /api/public/) or basic (Authorization: Basic, /api/)',
    })
    .optional()
    .describe(
      'How the API key is sent: body (default; api_key/api_key_secret in the JSON body under /api/public/, Kasm up to 1.19) or basic (Authorization: Basic base64(key:secret) under /api/, newer Developer API). doctor says which the server accepts',
    ),
  /** PEM file of a private CA to trust in addition to the system's (relative to the config file). */
  ca_file: text('the path of a PEM file with a private CA certificate')
    .optional()
    .describe(
      'Path of a PEM file with a private CA certificate to trust in addition to the system CAs (relative to this file)',
    ),
};

export const kasmInputSchema = z
  .strictObject(kasmFields)
  .describe('The Kasm API kasm-scale talks to (submit, reconcile)');

/** After loading, the secret is inline whichever way it was given; the `_file` key is gone. */
export const kasmSchema = kasmInputSchema.transform(
  ({ api_key_secret_file: _f, manager_token_file: _m, api_key_secret, ca_file, ...rest }) => ({
    ...rest,
    // The loader has read api_key_secret_file into api_key_secret; a missing secret is reported by checkKasm.
    api_key_secret: api_key_secret ?? '',
    ...(ca_file === undefined ? {} : { ca_file }),
  }),
);

export type KasmSection = z.output<typeof kasmSchema>;
