import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../action.js';

export interface SimulateCliOptions extends CommonOptions {
  config?: string;
  trace?: string;
  compare?: string;
  svg?: string;
  step?: string;
}

/** `kasm-scale simulate`: your config against a demand trace, on local emulators (issue 6). */
export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description(
      'replay a day of demand (a trace) through real reconcile passes with your config, on local emulators: instance-hours, longest wait, launches/terminations; tune standby and backoff before production',
    )
    .requiredOption(
      '--trace <file>',
      'demand trace: CSV or JSON rows of time,sessions,cores,memory_mb,gpus[,zone] ("-" = stdin; builtin:demand-trace = the sample day shipped with kasm-scale)',
    )
    .option('--compare <file>', 'a second config to run on the same trace; prints both side by side')
    .option('--svg <file>', 'also write the chart as an SVG file')
    .option('--step <minutes>', 'simulated minutes between reconcile passes (default 5)');
  configFile(cmd);
  common(cmd);
  cmd.addHelpText(
    'after',
    '\nNothing reaches your clouds or Kasm: the providers are pointed at local emulators, which accept your keys and references.\n',
  );
  examples(cmd, [
    'kasm-scale simulate --trace builtin:demand-trace kasm-scale.yaml',
    'kasm-scale simulate --trace day.csv standby-8.yaml --compare standby-16.yaml',
    'kasm-scale simulate --trace day.csv --svg day.svg --step 10',
  ]);
  cmd.action(
    action<SimulateCliOptions>(async ({ options, args, out }) => {
      const { simulateCommand } = await import('../../simulate/command.js');
      return simulateCommand({ ...options, file: configFileOf(args, options) }, out);
    }),
  );
}
