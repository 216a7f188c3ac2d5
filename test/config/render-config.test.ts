import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { AutoscaleConfig, KasmScaleConfig } from '../../src/config/types.js';
import { sampleLaunchContext } from '../../src/config/render/context.js';
import { renderConfig, renderProvider } from '../../src/config/render/run.js';
import { autoscalePool } from '../helpers/providers.js';
import { gcpProvider, ociProvider } from './render-fixtures.js';

const pool = (name: string, provider: string): AutoscaleConfig =>
  autoscalePool(name, provider, 'default', {
    standby_cores: 4,
    standby_memory_mb: 4096,
    max_launch_per_pass: 2,
  });

const config: KasmScaleConfig = {
  file: '/tmp/kasm-scale.yaml',
  kasm: { url: 'https://kasm.corp.example', api_key: 'k', api_key_secret: 'SECRET-API' },
  providers: [
    ociProvider({ startup_script: 'M={manager_token} ID={server_id}' }),
    gcpProvider({ startup_script: 'M={manager_token}' }),
  ],
  autoscale: [pool('GPU pool', 'GCP us-east4 agents')],
};

describe('renderConfig', () => {
  it('renders every provider with a sample context, redacting the startup script', () => {
    const out = renderConfig(config);
    expect(out.map((r) => [r.name, r.cloud, r.kind, r.sample.autoscale_config_name])).toEqual([
      ['OCI Ashburn agents', 'oci', 'LaunchInstanceDetails', 'sample-pool'],
      ['GCP us-east4 agents', 'gcp', 'Instance', 'GPU pool'],
    ]);
    const [oci, gcp] = out;
    expect((oci.request.metadata as Record<string, string>).user_data).toMatch(
      /^<redacted user_data \(base64 startup script\), \d+ bytes; --show-secrets shows it>$/,
    );
    expect((oci.request.metadata as Record<string, string>).ssh_authorized_keys).toMatch(/^ssh-ed25519 /);
    const items = (gcp.request.metadata as { items: { key: string; value: string }[] }).items;
    expect(items.find((i) => i.key === 'startup-script')?.value).toMatch(
      /^<redacted startup script, \d+ bytes/,
    );
    expect(items.find((i) => i.key === 'ssh-keys')?.value).toBe('user1:ssh-rsa AAAAB3Nza user1');
    const text = JSON.stringify(out);
    for (const secret of ['SAMPLE-MANAGER-TOKEN', 'SECRET', 'SECRET-API']) expect(text).not.toContain(secret);
  });

  it('with showSecrets gives exactly what the launch functions return', () => {
    const [oci, gcp] = renderConfig(config, { showSecrets: true });
    const ctx = sampleLaunchContext(config.providers[0], { kasmUrl: config.kasm?.url });
    expect(oci.request).toEqual(renderProvider(config.providers[0], ctx));
    expect(Buffer.from((oci.request.metadata as Record<string, string>).user_data, 'base64').toString()).toBe(
      `M=SAMPLE-MANAGER-TOKEN ID=${ctx.serverId}`,
    );
    const gctx = sampleLaunchContext(config.providers[1], {
      autoscaleConfigName: 'GPU pool',
      kasmUrl: config.kasm?.url,
    });
    expect(gcp.request).toEqual(renderProvider(config.providers[1], gctx));
  });

  it('selects one provider by name, and names the choices when it does not exist', () => {
    expect(renderConfig(config, { provider: 'GCP us-east4 agents' }).map((r) => r.cloud)).toEqual(['gcp']);
    expect(() => renderConfig(config, { provider: 'nope' })).toThrow(InputError);
    expect(() => renderConfig(config, { provider: 'nope' })).toThrow(
      'no provider named "nope" in /tmp/kasm-scale.yaml',
    );
  });
});
