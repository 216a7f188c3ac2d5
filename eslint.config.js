// Lint rules that catch what the compiler does not: a switch that forgets a case, and a
// promise nobody awaits (an unawaited cloud call can outlive the pass's lock).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.generated.ts'] },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The emulators take arbitrary JSON off the wire and answer in the cloud's own shapes;
    // typing every body would duplicate the SDK models they are checked against.
    files: ['src/emulators/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A cloud is chosen only by its registry entry (src/clouds/registry.ts): outside the
    // clouds' own folders, comparing against a cloud's name is a branch a new cloud would
    // silently fall into. The emulators are each a fake of one cloud and may name it.
    files: ['src/**/*.ts'],
    ignores: ['src/clouds/**', 'src/emulators/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'BinaryExpression[operator=/^[!=]==?$/]:matches([left.value=/^(oci|gcp)$/], [right.value=/^(oci|gcp)$/])',
          message: 'choose a cloud through src/clouds/registry.ts (cloudOf / cloudNamed), not by its name',
        },
        {
          selector: 'SwitchCase[test.value=/^(oci|gcp)$/]',
          message: 'choose a cloud through src/clouds/registry.ts (cloudOf / cloudNamed), not by its name',
        },
      ],
    },
  },
);
