import { defineConfig } from 'vitest/config';

// Browser tests that start their own server (test/e2e/practice.test.ts, from an empty organisation),
// without the shared demo server: `npx vitest run --config vitest.e2e-own-server.config.ts`.
export default defineConfig({
  test: {
    include: ['test/e2e/practice.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
