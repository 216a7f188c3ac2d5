/**
 * The OCI SDK calls console.warn/console.info on every failed request ("Request cannot be
 * retried", ...) and a wrong key passphrase makes it throw a second, uncaught error. A CLI
 * owns its terminal: route console noise to --verbose only (KASM_SCALE_DEBUG=1 shows it),
 * and turn a stray rejection into one line instead of a stack trace.
 */
export function quietSdkNoise(env: NodeJS.ProcessEnv = process.env): void {
  const verbose = process.argv.includes('--verbose') || env.KASM_SCALE_DEBUG === '1';
  if (!verbose) {
    const silent = () => {};
    console.warn = silent;
    console.info = silent;
    console.debug = silent;
    console.log = silent;
    console.trace = silent;
  }
  process.on('unhandledRejection', (reason) => {
    if (verbose)
      process.stderr.write(`kasm-scale: ignored late error: ${(reason as Error)?.stack ?? String(reason)}\n`);
  });
}
