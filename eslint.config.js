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
);
