import { createHash } from 'node:crypto';
import { cloudOf } from '../../clouds/registry.js';
import type { LaunchContext } from '../../clouds/launch-context.js';
import type { Provider } from '../types.js';
import { SCRIPT_TOKENS } from '../../core/fields/startup-script.js';

export { tokensFor, type LaunchContext } from '../../clouds/launch-context.js';

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
  const zone = cloudOf(p).zones(p)[0] ?? '';
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
