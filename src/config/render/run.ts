import { InputError } from '../../core/errors.js';
import type { KasmScaleConfig, Provider } from '../types.js';
import { sampleLaunchContext, type LaunchContext } from './context.js';
import { cloudOf, type CloudName } from '../../clouds/registry.js';

/** One provider's launch request, as `config render` reports it. */
export interface RenderedProvider {
  name: string;
  cloud: CloudName;
  /** What the request is: the SDK type it is passed as (the cloud's registry entry names it). */
  kind: string;
  /** The sample launch it was rendered for. */
  sample: { autoscale_config_name: string; server_id: string; zone: string };
  request: Record<string, unknown>;
}

/** The launch request body for one provider: the exact function the adapters call. */
export function renderProvider(p: Provider, ctx: LaunchContext): Record<string, unknown> {
  return cloudOf(p).render.body(p, ctx);
}

/**
 * Renders every provider of a loaded config (or the one named), each for a sample launch
 * by the first autoscale config that uses it. Secrets are redacted unless `showSecrets`.
 */
export function renderConfig(
  config: KasmScaleConfig,
  opts: { provider?: string; showSecrets?: boolean } = {},
): RenderedProvider[] {
  const providers =
    opts.provider === undefined
      ? config.providers
      : config.providers.filter((p) => p.vm_provider_config_name === opts.provider);
  if (opts.provider !== undefined && providers.length === 0) {
    const names = config.providers.map((p) => JSON.stringify(p.vm_provider_config_name)).join(', ');
    throw new InputError(`no provider named ${JSON.stringify(opts.provider)} in ${config.file}`, {
      hint: names ? `providers are: ${names}` : 'the file has no providers',
    });
  }
  return providers.map((p) => {
    const pool = config.autoscale.find((a) => a.vm_provider_config_names.includes(p.vm_provider_config_name));
    const ctx = sampleLaunchContext(p, {
      autoscaleConfigName: pool?.autoscale_config_name,
      kasmUrl: config.kasm?.url,
    });
    const request = renderProvider(p, ctx);
    return {
      name: p.vm_provider_config_name,
      cloud: p.vm_provider_name,
      kind: cloudOf(p).render.kind,
      sample: { autoscale_config_name: ctx.autoscaleConfigName, server_id: ctx.serverId, zone: ctx.zone },
      request: opts.showSecrets ? request : redactRequest(p, request),
    };
  });
}

/** The placeholder that replaces a redacted value. */
export function redacted(what: string, value: string): string {
  return `<redacted ${what}, ${Buffer.byteLength(value, 'utf8')} bytes; --show-secrets shows it>`;
}

/**
 * Hides the startup script body: it usually carries Kasm's manager token and other
 * credentials. No other part of a launch request holds secrets (keys and credentials
 * authenticate the call, they are not in the body); SSH public keys are public.
 */
export function redactRequest(p: Provider, request: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(request);
  cloudOf(p).render.redact(p, out, redacted);
  return out;
}
