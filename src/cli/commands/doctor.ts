import type { Command } from 'commander';
import { action, common, type CommonOptions, configFile, configFileOf, examples } from '../action.js';

interface DoctorFlags extends CommonOptions {
  config?: string;
  provider?: string;
}

/** `kasm-scale doctor [FILE]`: check every reference of the config against the clouds and Kasm (issue 4). Reads only. */
export function registerDoctor(program: Command): void {
  const cmd = program
    .command('doctor')
    .summary('check credentials and every referenced cloud and Kasm object (reads only)')
    .description(
      'check that credentials authenticate and every referenced object exists (OCI compartment, image, subnet, NSGs, shape per AD; GCP project, zone, image, network, subnetwork, machine type, accelerators; Kasm URL, key, zones); reads only, never launches; exit 0 all pass, 1 a check failed, 2 config invalid',
    )
    .option(
      '--provider <name>',
      'only the provider with this vm_provider_config_name (and the autoscale configs that use it)',
    );
  configFile(cmd);
  common(cmd);
  examples(cmd, [
    'kasm-scale doctor',
    'kasm-scale doctor prod.yaml --provider "OCI Ashburn agents"',
    'kasm-scale doctor --json | jq \'.groups[].checks[] | select(.status == "fail") | {title, detail, hint}\'',
  ]);
  cmd.action(
    action<DoctorFlags>(async ({ options, args, out }) => {
      const { doctorCommand } = await import('../../doctor/command.js');
      return doctorCommand({ file: configFileOf(args, options), provider: options.provider }, out);
    }),
  );
}
