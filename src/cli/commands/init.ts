import type { Command } from 'commander';
import { action, common, examples } from '../action.js';
import { COMMAND_NAMES } from './names.js';

interface InitFlags {
  answers?: string;
  yes?: boolean;
  config?: string;
  ociConfig?: string;
  force?: boolean;
  ociEndpoint?: string;
  gcpEndpoint?: string;
  verbose?: boolean;
}

/** `kasm-scale init` (issue 6): the wizard from nothing to a checked config. */
export function registerInit(program: Command): void {
  const cmd = program
    .command('init')
    .description(
      'interactive wizard: OCI key or GCP service account, provider, Kasm API and autoscale settings → a checked config file',
    )
    .option('--answers <file>', 'YAML/JSON of answers keyed by question id (docs/init.md); - reads stdin')
    .option('-y, --yes', 'run unattended: take answers from --answers, else defaults; never prompt')
    .option('--config <path>', 'config file to write (default $KASM_SCALE_CONFIG, else ./kasm-scale.yaml)')
    .option('--oci-config <path>', 'oci-cli config file for the OCI profile', '~/.oci/config')
    .option(
      '--force',
      'replace an existing config file, key pair, Kasm secret file or OCI profile without asking',
    )
    .option(
      '--oci-endpoint <url>',
      "OCI API base URL instead of the region's (staging, kasm-scale emulator oci); written as the provider's endpoint",
    )
    .option(
      '--gcp-endpoint <url>',
      "GCP Compute API base URL instead of Google's (kasm-scale emulator gcp); written as the provider's endpoint",
    );
  common(cmd, { json: false });
  examples(cmd, [
    'kasm-scale init',
    'kasm-scale init --config /etc/kasm-scale/kasm-scale.yaml',
    'kasm-scale init --answers answers.yaml --yes',
    'kasm-scale init --oci-endpoint http://127.0.0.1:8123   # against kasm-scale emulator oci',
  ]);
  cmd.action(
    action<InitFlags>(async ({ options, out }) => {
      const { initCommand } = await import('../../init/command.js');
      return initCommand({ ...options, available: availableCommands() }, out);
    }),
  );
}

/**
 * Command paths this CLI has (`doctor`, `config submit`), so init offers only real ones.
 * Read from the command list, not from `program`: only the command that runs is built.
 */
function availableCommands(): string[] {
  return COMMAND_NAMES.flatMap((c) =>
    c === 'config' ? ['config', 'config validate', 'config render', 'config schema', 'config submit'] : [c],
  );
}
