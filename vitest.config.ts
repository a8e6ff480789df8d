import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Server processes the tests start run the compiled build, as `npm start` does.
    globalSetup: ['test/support/build-server.ts'],
    // Each file gets its own PostgreSQL schema and Redis prefix (test/support/harness.ts), so files run in parallel.
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
