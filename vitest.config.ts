import { defineConfig } from 'vitest/config';

// Tests import TypeScript sources directly; end-to-end tests run the built CLI in dist/
// (`npm test` builds first). Two forks match the two cores CI has.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
