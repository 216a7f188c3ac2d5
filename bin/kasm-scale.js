#!/usr/bin/env node
// Tiny launcher: everything lives in dist/ (built from src/ by `npm run build`).
import('../dist/cli/main.js')
  .then((m) => m.main(process.argv))
  .catch((err) => {
    process.stderr.write(
      `kasm-scale: cannot start (${err && err.message ? err.message : err}); run \`npm run build\` first\n`,
    );
    process.exitCode = 1;
  });
