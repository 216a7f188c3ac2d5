/**
 * The shape of the house, checked by `npm run lint:check` (dependency-cruiser):
 *
 *   cli  →  features  →  clouds, kasm  →  core
 *
 * - no import circle, anywhere in src/ (type-only imports count: a circle of types is still
 *   two modules that cannot be read one without the other);
 * - core imports nothing of ours; clouds and kasm import only core (and each other's types
 *   never); features never import cli;
 * - a feature imports another feature only where FEATURE_IMPORTS below says so, each arrow
 *   with the reason it exists. The arrows form no circle, so no folder depends on itself.
 */

const FEATURES = [
  'config',
  'scaling',
  'reconcile',
  'status',
  'doctor',
  'init',
  'keys',
  'simulate',
  'report',
  'emulators',
];

/** Which features each feature may import (beyond clouds, kasm and core), and why. */
const FEATURE_IMPORTS = {
  config: [],
  // A pass reads the config's types; scaling owns nothing else of another feature.
  scaling: ['config'],
  // The reconcile command: loads the config, runs one scaling pass, renders the report.
  reconcile: ['config', 'scaling', 'report'],
  // The report renders a pass's result (its types and the Kasm-autoscaler name).
  report: ['scaling'],
  // status is a dry pass: config in, scaling's observe/plan, the report's renderers.
  status: ['config', 'scaling', 'report'],
  // doctor loads the config and finds orphans with the same rule a pass uses
  // (scaling/orphans.ts) so the two never disagree.
  doctor: ['config', 'scaling'],
  // The wizard writes a config (its fields and checks) and generates keys.
  init: ['config', 'keys'],
  // `emulator --for` loads a config to seed from it.
  emulators: ['config'],
  // simulate runs real passes (scaling) against the emulators, seeded from a config.
  simulate: ['config', 'scaling', 'emulators'],
  keys: [],
};

const featureRules = FEATURES.map((feature) => {
  const allowed = new Set([feature, ...FEATURE_IMPORTS[feature]]);
  const others = FEATURES.filter((f) => !allowed.has(f));
  return {
    name: `feature-${feature}`,
    comment: `${feature} may import only ${[...allowed].join(', ')} among the features (see FEATURE_IMPORTS)`,
    severity: 'error',
    from: { path: `^src/${feature}/` },
    to: { path: others.length ? `^src/(${others.join('|')})/` : '^$' },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: break it by moving the shared part down a layer',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-the-ground-floor',
      comment: 'src/core imports nothing of ours',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'clouds-and-kasm-import-only-core',
      comment: 'clouds and kasm sit under the features: they import core (and their own folder) only',
      severity: 'error',
      from: { path: '^src/(clouds|kasm)/' },
      to: {
        path: '^src/(cli|kasm|clouds|' + FEATURES.join('|') + ')/',
        pathNot: '^src/$1/',
      },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is wiring: it imports the features, never the other way round',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    ...featureRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.generated-protos|node_modules' },
  },
};
