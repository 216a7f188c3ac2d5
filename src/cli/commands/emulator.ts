import type { Command } from 'commander';
import { action, common, examples, type CommonOptions } from '../action.js';

interface EmulatorOptions extends CommonOptions {
  port?: string;
  host?: string;
  state?: string;
  apiKey?: string;
  apiKeySecret?: string;
  auth?: string;
  for?: string;
}

/** `kasm-scale emulator <oci|gcp|kasm>`: a local API server for trials, demos and tests (issue 4). */
export function registerEmulator(program: Command): void {
  const cmd = program
    .command('emulator')
    .argument('<name>', 'oci, gcp or kasm')
    .description('run a local OCI Compute, GCP Compute or Kasm API emulator on 127.0.0.1 until Ctrl-C')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option(
      '--state <file>',
      'keep the emulator state in this JSON file (loaded at start, saved on every change)',
    )
    .option('--api-key <key>', 'kasm: the API key to accept (default: kasm-scale-emulator)')
    .option(
      '--api-key-secret <secret>',
      'kasm: the API key secret to accept (default: a random one, printed)',
    )
    .option(
      '--auth <style>',
      'kasm: the API key style it accepts: body (api_key in the JSON body, /api/public/), basic (Authorization: Basic, /api/) or both (default body)',
    )
    .option(
      '--for <config>',
      "oci/gcp: accept this config's providers (register their keys' public halves, seed every image, subnet, shape, zone... they name)",
    );
  common(cmd);
  examples(cmd, [
    'kasm-scale emulator kasm --port 8125 --api-key demo --api-key-secret demo-secret',
    'kasm-scale emulator oci --port 8123 --state /tmp/oci-emulator.json',
    'kasm-scale emulator gcp --port 8124 --for kasm-scale.yaml',
    `curl -s -XPOST localhost:8125/__emulator/registerAgent -d '{"server_id":"${'0'.repeat(32)}","cores":4,"memory":8589934592}'`,
  ]);
  cmd.action(
    action<EmulatorOptions>(async ({ options, args, out }) => {
      const { emulatorCommand } = await import('../../emulators/command.js');
      return emulatorCommand(
        {
          name: args[0],
          port: options.port,
          host: options.host,
          stateFile: options.state,
          apiKey: options.apiKey,
          apiKeySecret: options.apiKeySecret,
          auth: options.auth,
          forConfig: options.for,
        },
        out,
      );
    }),
  );
}
