import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../../action.js';

interface SubmitOptions extends CommonOptions {
  config?: string;
  provider?: string;
  dryRun?: boolean;
  resendSecrets?: boolean;
}

/** `kasm-scale config submit [FILE]`: upsert each provider into Kasm (issue 3). */
export function registerConfigSubmit(config: Command): void {
  const cmd = config
    .command('submit')
    .description(
      'create or update each VM provider config in Kasm through its API (matched on type and name); reports created / updated / unchanged',
    )
    .option('--provider <name>', 'only the provider with this vm_provider_config_name')
    .option('--dry-run', 'show what would be created or updated; send nothing')
    .option(
      '--resend-secrets',
      'update providers whose other fields are unchanged too, so a rotated key or service account reaches Kasm (Kasm masks secrets, so they cannot be compared)',
    );
  configFile(cmd);
  common(cmd);
  examples(cmd, [
    'kasm-scale config submit --dry-run',
    'kasm-scale config submit prod.yaml',
    'kasm-scale config submit --provider "OCI Ashburn agents"',
    'kasm-scale config submit --provider gcp-east --resend-secrets   # after rotating the service account key',
    'kasm-scale config submit --dry-run --json | jq ".providers[] | {name, action, changes}"',
  ]);
  cmd.action(
    action<SubmitOptions>(async ({ options, args, out }) => {
      const { submitCommand } = await import('../../../config/command.js');
      return submitCommand(
        {
          file: configFileOf(args, options),
          provider: options.provider,
          dryRun: Boolean(options.dryRun),
          resendSecrets: Boolean(options.resendSecrets),
        },
        out,
      );
    }),
  );
}
