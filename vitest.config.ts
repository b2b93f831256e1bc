import { defineConfig } from 'vitest/config';

/**
 * Four projects mirror the test tree. `integration` and `e2e` need the local stack and refuse to
 * run (they fail, never skip) when it is not reachable; `npm test` brings it up first.
 */
export default defineConfig({
  test: {
    // Handlers log JSON and EMF to stdout; show it only where a test failed.
    silent: 'passed-only',
    projects: [
      // Property tests and the bundling tests do real work: 5 s was too short on a loaded machine.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/require-local-stack.ts'],
          setupFiles: ['test/helpers/explain-service-failures.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/require-local-stack.ts'],
          setupFiles: ['test/helpers/explain-service-failures.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
