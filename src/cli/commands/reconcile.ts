import type { Command } from 'commander';
import type { ReconcileCommandOptions } from '../../reconcile/command.js';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../action.js';

/** The pass's own options as flags: FILE/--config instead of `file`, the environment read here. */
export interface ReconcileOptions
  extends CommonOptions, Omit<ReconcileCommandOptions, 'file' | 'nowText' | 'serviceAccountPrefix'> {
  config?: string;
}

/** `kasm-scale reconcile`: one scale-up / scale-down pass (issue 5). */
export function registerReconcile(program: Command): void {
  const cmd = program
    .command('reconcile')
    .description(
      'one pass: read demand (Kasm) and supply (our cloud instances), launch and terminate agents, report, exit; safe to run every minute',
    )
    .option('--dry-run', 'plan only: change nothing, take no lock, write no state')
    .option('--autoscale <name...>', 'only these autoscale configs (default: every enabled one)')
    .option(
      '--demand <file>',
      'read demand from a JSON snapshot {"servers","kasms","zones"} shaped like Kasm\'s answers ("-" = stdin) instead of the Kasm API',
    )
    .option(
      '--detailed-exitcode',
      'with --dry-run: exit 2 when there are changes to make (as terraform plan)',
    )
    .option(
      '--metrics-file <file>',
      'write Prometheus metrics (node_exporter textfile collector), atomically',
    )
    .option(
      '--state-dir <dir>',
      'state file and lock folder (default: $XDG_STATE_HOME/kasm-scale or ~/.local/state/kasm-scale)',
    )
    .option('--concurrency <n>', 'cloud calls at once (default 8)')
    .option(
      '--allow-kasm-autoscaler',
      'act on pools that an enabled Kasm autoscale config also scales (same zone and provider config); without it they are skipped (exit 3)',
    )
    .option(
      '--keep-orphans',
      'list our instances whose autoscale config left the file, never drain or terminate them',
    );
  configFile(cmd);
  common(cmd);
  cmd.addHelpText(
    'after',
    `\nExit codes: 0 done (also nothing to do), 1 failed, 2 invalid input (or, with --detailed-exitcode --dry-run, changes to make),\n3 partly failed (some actions failed, the rest done; or a pool skipped because Kasm's own autoscaler scales it),\n4 another pass holds the lock or lease (or took it over while this pass ran).\nKASM_SCALE_NOW=<ISO time> sets the pass's clock (testing and simulation only). kasm.manager_token fills {manager_token} in startup scripts.\n`,
  );
  examples(cmd, [
    'kasm-scale reconcile --dry-run',
    'kasm-scale reconcile prod.yaml --metrics-file /var/lib/node_exporter/textfile/kasm-scale.prom',
    'kasm-scale reconcile --dry-run --detailed-exitcode --json > plan.json; echo $?',
    'curl -s ... | kasm-scale reconcile --dry-run --demand -',
    'kasm-scale reconcile --autoscale "GPU pool" --state-dir /var/lib/kasm-scale',
  ]);
  cmd.action(
    action<ReconcileOptions>(async ({ options, args, out }) => {
      const { reconcileCommand } = await import('../../reconcile/command.js');
      return reconcileCommand(
        {
          ...options,
          file: configFileOf(args, options),
          nowText: process.env.KASM_SCALE_NOW,
          serviceAccountPrefix: process.env.KASM_SCALE_SERVICEACCOUNT_PREFIX,
        },
        out,
      );
    }),
  );
}
