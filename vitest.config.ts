import { defineConfig } from 'vitest/config';

// Tests import TypeScript sources directly; end-to-end tests run the built CLI in dist/
// (`npm test` builds first). Two forks match the two cores CI has; the generous timeouts
// are for e2e scenarios that start the CLI pass after pass on a loaded 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
