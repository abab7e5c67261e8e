import { defineConfig } from 'vitest/config';

// Unit and store tests sit next to the code. Browser tests (test/e2e) run in a separate pass
// because they need a running server and Chromium.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
