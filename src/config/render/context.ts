import { createHash } from 'node:crypto';
import type { Provider } from '../types.js';
import { SCRIPT_TOKENS } from './startup-script.js';

/**
 * What one launch needs beyond the provider config: the pool it is for, the Kasm
 * server_id the new agent will register with, where to put it (OCI availability domain /
 * GCP zone) and the values of the startup script's Kasm tokens. The launch path builds a
 * real one (a fresh 32-hex server_id per instance); `config render` uses a sample.
 */
export interface LaunchContext {
  autoscaleConfigName: string;
  /** 32 lowercase hex characters; also fills `{server_id}`. */
  serverId: string;
  /** OCI availability domain or GCP zone. */
  zone: string;
  /** Values for the script's `{tokens}` (server_id is taken from `serverId`). */
  scriptTokens: Record<string, string>;
  /** The installation's ownership id, tagged on the instance (reconcile launches only). */
  ownerId?: string;
}

export interface SampleOptions {
  /** The autoscale config that would launch on this provider (default "sample-pool"). */
  autoscaleConfigName?: string;
  /** kasm.url, to show a realistic upstream_auth_address. */
  kasmUrl?: string;
}

/**
 * A deterministic sample context for `config render`: the same input always renders the
 * same output (diffable in review), and every value is visibly a sample.
 */
export function sampleLaunchContext(p: Provider, opts: SampleOptions = {}): LaunchContext {
  const autoscaleConfigName = opts.autoscaleConfigName ?? 'sample-pool';
  const serverId = createHash('sha256')
    .update(`kasm-scale sample ${p.vm_provider_name} ${p.vm_provider_config_name} ${autoscaleConfigName}`)
    .digest('hex')
    .slice(0, 32);
  const zone = p.vm_provider_name === 'oci' ? (p.oci_availability_domains[0] ?? '') : p.gcp_zone;
  let host = 'kasm.example.com';
  if (opts.kasmUrl) {
    try {
      host = new URL(opts.kasmUrl).hostname;
    } catch {
      // An invalid URL is the validator's business; the sample keeps its placeholder.
    }
  }
  const sample: Record<string, string> = {
    provider_name: p.vm_provider_name,
    manager_token: 'SAMPLE-MANAGER-TOKEN',
    upstream_auth_address: host,
    server_hostname: `kasm-agent-${serverId.slice(0, 8)}`,
    server_external_fqdn: `kasm-agent-${serverId.slice(0, 8)}.${host}`,
    nginx_cert_in: 'SAMPLE-NGINX-CERT',
    nginx_key_in: 'SAMPLE-NGINX-KEY',
  };
  const scriptTokens = Object.fromEntries(
    SCRIPT_TOKENS.map((t) => [t, t === 'server_id' ? serverId : sample[t]]),
  );
  return { autoscaleConfigName, serverId, zone, scriptTokens };
}

/** The tokens a script is filled with: the context's, with server_id always = serverId. */
export function tokensFor(ctx: LaunchContext): Record<string, string> {
  return { ...ctx.scriptTokens, server_id: ctx.serverId };
}
