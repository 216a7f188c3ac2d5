import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../../action.js';

interface ValidateOptions extends CommonOptions {
  config?: string;
}

/** `kasm-scale config validate [FILE]`: every problem in one run; exit 0 valid, 2 invalid (issue 3). */
export function registerConfigValidate(config: Command): void {
  const cmd = config
    .command('validate')
    .description(
      'check every field of the config file (keys, fingerprints, OCIDs, paths, labels, scripts, references); exit 0 when valid, 2 when not',
    );
  configFile(cmd);
  common(cmd);
  examples(cmd, [
    'kasm-scale config validate',
    'kasm-scale config validate prod.yaml',
    'KASM_SCALE_CONFIG=prod.yaml kasm-scale config validate --json | jq ".problems[]"',
  ]);
  cmd.action(
    action<ValidateOptions>(async ({ options, args, out }) => {
      const { validateCommand } = await import('../../../config/command.js');
      return validateCommand({ file: configFileOf(args, options) }, out);
    }),
  );
}
