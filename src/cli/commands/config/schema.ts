import type { Command } from 'commander';
import { action, common, examples, type CommonOptions } from '../../action.js';

/** `kasm-scale config schema`: the JSON Schema of the config file, for editors (issue 3). */
export function registerConfigSchema(config: Command): void {
  const cmd = config
    .command('schema')
    .description(
      "print the JSON Schema (draft 2020-12) of the config file, generated from the validator's own schema",
    );
  common(cmd, { json: false });
  examples(cmd, [
    'kasm-scale config schema > kasm-scale.schema.json',
    'head -1 kasm-scale.yaml   # yaml-language-server: $schema=./kasm-scale.schema.json',
  ]);
  cmd.action(
    action<CommonOptions>(async ({ out }) => {
      const { schemaCommand } = await import('../../../config/command.js');
      return schemaCommand(out);
    }),
  );
}
