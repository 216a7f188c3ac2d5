/**
 * The Kasm API the emulator answers: one route per call, each pointing at the handler in
 * the file of its resource. Every call is a POST to /api/public/<call>, as Kasm documents;
 * parseApiPath maps Kasm's other spellings of the same call (/api/admin/<call>, and
 * /api/<call> of the Basic-auth style) onto that path, so the table names each call once.
 * To add a call: write its handler beside its resource, add its line here and its
 * permission in auth.ts (docs/emulators.md).
 */
import { deleteServer, getAgents, getServers, updateServer } from './agents.js';
import { styleOfPrefix, type KasmAuthStyle } from './auth.js';
import { getAutoscaleConfigs } from './autoscale-configs.js';
import type { KasmCall } from './context.js';
import { createVmProviderConfig, getVmProviderConfigs, updateVmProviderConfig } from './provider-configs.js';
import type { Route } from './router.js';
import { getKasms } from './sessions.js';
import { getZones } from './zones.js';

export const KASM_API_ROUTES: readonly Route<KasmCall>[] = [
  { method: 'POST', path: '/api/public/get_servers', handler: getServers },
  { method: 'POST', path: '/api/public/get_agents', handler: getAgents },
  { method: 'POST', path: '/api/public/update_server', handler: updateServer },
  { method: 'POST', path: '/api/public/delete_server', handler: deleteServer },
  { method: 'POST', path: '/api/public/get_kasms', handler: getKasms },
  { method: 'POST', path: '/api/public/get_zones', handler: getZones },
  { method: 'POST', path: '/api/public/get_vm_provider_configs', handler: getVmProviderConfigs },
  { method: 'POST', path: '/api/public/create_vm_provider_config', handler: createVmProviderConfig },
  { method: 'POST', path: '/api/public/update_vm_provider_config', handler: updateVmProviderConfig },
  { method: 'POST', path: '/api/public/get_autoscale_configs', handler: getAutoscaleConfigs },
];

export interface ApiPath {
  /** The call's name (what faults, permissions and call counts go by). */
  call: string;
  /** How the request must carry its key, by the path it came on (auth.ts). */
  style: KasmAuthStyle;
  /** The path the route table lists the call under. */
  path: string;
}

/** The call a request path names, or undefined when it is no Kasm API path at all. */
export function parseApiPath(path: string): ApiPath | undefined {
  const m = /^\/api\/(?:(public|admin)\/)?([a-z_]+)\/?$/.exec(path);
  if (!m) return undefined;
  return { call: m[2], style: styleOfPrefix(m[1]), path: `/api/public/${m[2]}` };
}
