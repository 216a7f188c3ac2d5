import type { Command } from 'commander';
import { action, common, examples, type CommonOptions } from '../action.js';

export interface DemoOptions extends CommonOptions {
  svg?: string;
  step?: string;
}

/** `kasm-scale demo`: a simulated day on local emulators, no account (issue 6). */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      'watch kasm-scale work for a simulated day: local OCI, GCP and Kasm emulators, real reconcile passes, a chart at the end; no account, no network, under a minute',
    )
    .option('--svg <file>', 'also write the chart as an SVG file')
    .option('--step <minutes>', 'simulated minutes between reconcile passes (default 10)');
  common(cmd);
  examples(cmd, [
    'kasm-scale demo',
    'kasm-scale demo --svg day.svg',
    'kasm-scale demo --json > demo.json',
    'kasm-scale demo --step 5',
  ]);
  cmd.action(
    action<DemoOptions>(async ({ options, out }) => {
      const { demoCommand } = await import('../../simulate/command.js');
      return demoCommand(options, out);
    }),
  );
}
