// `kasm-scale --version` against `node -e 0`, in the same run: how much start-up costs on top
// of bare Node. Run after `npm run build` (npm run bench does both).
import { fileURLToPath } from 'node:url';
import { compare, report, runsFromEnv, timeCommand } from './lib.mjs';

const cli = fileURLToPath(new URL('../bin/kasm-scale.js', import.meta.url));
const node = process.execPath;
const runs = runsFromEnv(15);

const results = await compare(
  [
    { name: 'kasm-scale --version', run: () => timeCommand(node, [cli, '--version']) },
    { name: 'kasm-scale --help', run: () => timeCommand(node, [cli, '--help']) },
    { name: 'node -e 0', run: () => timeCommand(node, ['-e', '0']) },
  ],
  runs,
);
report('start-up: kasm-scale vs bare node (wall time per process)', results);
const ratio = results[0].median / results[2].median;
process.stdout.write(`  ratio --version / node -e 0: ${ratio.toFixed(2)}\n`);
