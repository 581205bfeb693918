import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // DuckDB's native module and child processes behave best in forked workers.
    pool: 'forks',
    // Commands run as child processes wait on DuckDB and the disk as much as on the CPU: two workers
    // keep both cores busy where the default (cores - 1) leaves one idle.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    // Linkage runs of the small simulated days split into several hash buckets, as a large day's do, so
    // lookups are checked across buckets (a day's own size would give them one), and work their
    // lifecycles a group of symbol buckets at a time.
    env: { OPENCAT_LINK_BUCKET_EVENTS: '2000', OPENCAT_LINK_LIFECYCLE_EVENTS: '20' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
})
