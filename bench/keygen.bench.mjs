// `keys generate` (RSA 2048) against `openssl genrsa 2048`, in the same run.
// In-process: our generateRsaKeyPair (node-forge → native OpenSSL) vs openssl as a process
// minus the cost of starting that process; and the whole CLI vs the openssl command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, report, runsFromEnv, timeAsync, timeCommand } from './lib.mjs';

const cli = fileURLToPath(new URL('../bin/kasm-scale.js', import.meta.url));
const { generateRsaKeyPair } = await import(
  new URL('../dist/clouds/oci/key-generate.js', import.meta.url).href
);
const runs = runsFromEnv(10);
const dir = mkdtempSync(join(tmpdir(), 'kasm-scale-bench-'));
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

try {
  let n = 0;
  const cases = [
    { name: 'generateRsaKeyPair() in-process', run: () => timeAsync(() => generateRsaKeyPair()) },
    {
      name: 'kasm-scale keys generate (CLI)',
      run: () =>
        timeCommand(process.execPath, [cli, 'keys', 'generate', '--dir', dir, '--name', `k${n++}`, '--json']),
    },
  ];
  if (haveOpenssl)
    cases.push({
      name: 'openssl genrsa 2048',
      run: () => timeCommand('openssl', ['genrsa', '-out', join(dir, `o${n++}.pem`), '2048']),
    });
  const results = await compare(cases, runs);
  report('key generation: RSA 2048 (RSA key search time varies a lot from key to key)', results);
  if (haveOpenssl) {
    const [inproc, whole, ossl] = results;
    process.stdout.write(
      `  ratio in-process / openssl genrsa: ${(inproc.median / ossl.median).toFixed(2)}\n`,
    );
    process.stdout.write(`  ratio CLI / openssl genrsa:        ${(whole.median / ossl.median).toFixed(2)}\n`);
  } else {
    process.stdout.write('  openssl not found: no baseline\n');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
