/**
 * How the Kasm emulator checks an API key, in either of Kasm's two styles:
 * - `body`: `api_key` / `api_key_secret` in the JSON body, under /api/public/ (and
 *   /api/admin/), as Kasm's documentation describes up to 1.19;
 * - `basic`: `Authorization: Basic base64(api_key:api_key_secret)`, under /api/, as its
 *   newest Developer API reference describes.
 * A server takes one style or both (`accepts`); a path of a style it does not take is a
 * 404, as an older or newer Kasm answers for a route it does not have. The answers for a
 * bad key follow Kasm's: no credentials 400, wrong key or secret 403 "Access Denied"
 * (docs/emulators.md); a key lacking the call's permission gets 401 "Unauthorized".
 */
import { own } from '../../core/own.js';

export type KasmAuthAccepts = 'body' | 'basic' | 'both';
export type KasmAuthStyle = 'body' | 'basic';

export interface KeyPair {
  apiKey: string;
  apiKeySecret: string;
}

/** Which style a path belongs to: /api/public/x and /api/admin/x are body, /api/x is basic. */
export function styleOfPrefix(prefix: string | undefined): KasmAuthStyle {
  return prefix === 'public' || prefix === 'admin' ? 'body' : 'basic';
}

export function acceptsStyle(accepts: KasmAuthAccepts, style: KasmAuthStyle): boolean {
  return accepts === 'both' || accepts === style;
}

export type AuthVerdict<K> = { ok: true; key: K } | { ok: false; status: 400 | 403; message: string };

/** Finds the key a request authenticates with, in the style of its path. */
export function authenticate<K extends KeyPair>(
  style: KasmAuthStyle,
  authorization: string | undefined,
  body: Record<string, unknown>,
  keys: readonly K[],
): AuthVerdict<K> {
  let apiKey: unknown;
  let secret: unknown;
  if (style === 'body') {
    apiKey = body.api_key;
    secret = body.api_key_secret;
    if (typeof apiKey !== 'string' || typeof secret !== 'string' || !apiKey || !secret)
      return { ok: false, status: 400, message: 'Missing api_key or api_key_secret' };
  } else {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1)
      return { ok: false, status: 400, message: 'Missing Authorization: Basic api_key:api_key_secret' };
    apiKey = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  }
  const key = keys.find((k) => k.apiKey === apiKey && k.apiKeySecret === secret);
  return key ? { ok: true, key } : { ok: false, status: 403, message: 'Access Denied' };
}

/** 'all', 'read-only' (every get_* call), or a list of call names / permission names. */
export type KasmKeyPermissions = 'all' | 'read-only' | string[];

/** Kasm's permission name for each call (a key may be given either). */
const PERMISSION_OF: Record<string, string> = {
  get_servers: 'servers_view',
  get_agents: 'servers_view',
  get_kasms: 'sessions_view',
  get_zones: 'zones_view',
  get_vm_provider_configs: 'vm_providers_view',
  create_vm_provider_config: 'vm_providers_create',
  update_vm_provider_config: 'vm_providers_modify',
  get_autoscale_configs: 'autoscale_view',
  update_server: 'agents_modify',
  delete_server: 'servers_delete',
};

/** Whether a key with these permissions may make the call (Kasm answers 401 "Unauthorized" if not). */
export function allowed(perms: KasmKeyPermissions | undefined, call: string): boolean {
  if (perms === undefined || perms === 'all') return true;
  if (perms === 'read-only') return call.startsWith('get_');
  return perms.includes(call) || perms.includes(own(PERMISSION_OF, call) ?? '');
}
