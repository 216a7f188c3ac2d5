// Where a .cpuprofile (node --cpu-prof) spent its time: self time by package (or our dist/
// folder, or node's internals) and the top functions. Usage: node bench/summarize-cpuprofile.mjs FILE [TOP]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg) || 25;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i] ?? 0;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
}
const groupOf = (url, fn) => {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  const d = url.match(/\/dist\/([^/]+)/);
  if (d) return `dist/${d[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
};
const groups = new Map();
const fns = new Map();
let total = 0;
for (const [id, us] of self) {
  const n = byId.get(id);
  const { url, functionName, lineNumber } = n.callFrame;
  const g = groupOf(url, functionName);
  groups.set(g, (groups.get(g) ?? 0) + us);
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  total += us;
}
const show = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`,
    )
    .join('\n');
process.stdout.write(
  `${file}: ${(total / 1000).toFixed(0)} ms sampled\nby group:\n${show(groups, 20)}\ntop functions (self):\n${show(fns, top)}\n`,
);
