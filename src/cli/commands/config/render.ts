import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../../action.js';

interface RenderOptions extends CommonOptions {
  config?: string;
  provider?: string;
  showSecrets?: boolean;
}

/** `kasm-scale config render [FILE]`: the exact launch request each provider sends (issue 3). */
export function registerConfigRender(config: Command): void {
  const cmd = config
    .command('render')
    .description(
      'print the exact cloud launch request of each provider: OCI LaunchInstanceDetails (REST camelCase, override merged) or the GCP Instance resource',
    )
    .option('--provider <name>', 'only the provider with this vm_provider_config_name')
    .option('--show-secrets', 'show the startup script instead of redacting it');
  configFile(cmd);
  common(cmd);
  examples(cmd, [
    'kasm-scale config render',
    'kasm-scale config render prod.yaml --provider "OCI Ashburn agents" > launch.json',
    'kasm-scale config render --json | jq ".providers[].request"',
    'kasm-scale config render --provider gcp-gpu --show-secrets',
  ]);
  cmd.action(
    action<RenderOptions>(async ({ options, args, out }) => {
      const { renderCommand } = await import('../../../config/command.js');
      return renderCommand(
        {
          file: configFileOf(args, options),
          provider: options.provider,
          showSecrets: Boolean(options.showSecrets),
        },
        out,
      );
    }),
  );
}
