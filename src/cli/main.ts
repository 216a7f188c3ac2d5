import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  // Answered before anything else loads: `--version` is what scripts and package managers run.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const [{ buildProgram }, { quietSdkNoise }] = await Promise.all([
    import('./program.js'),
    import('./quiet.js'),
  ]);
  quietSdkNoise();
  await (await buildProgram(commandOf(args))).parseAsync(argv);
}

/** The command word (the first argument that is not an option), if any. */
function commandOf(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}
