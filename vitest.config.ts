import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Fast suites (shared, web, server) run in seconds: `npx vitest run --project shared --project web --project server`.
// integration, security and e2e drive the real toolchain and a real Chromium; `npm test` runs everything.
//
// After the fast suites, integration and security run two files at a time (DESIGNER_TEST_WORKERS to change it):
// every file has its own data folder, free ports and throw-away Dagster instances, and much of a file's time is
// spent waiting on Dagster's daemons and runs, so two files share a 2-core machine well (each took 0.8-2x as
// long two at once, about 1.7x the throughput). e2e runs last, one file at a time: a Chromium drawing the canvas
// takes both cores, and two e2e files at once each took 2.3-2.6x as long. Vitest puts every project without file parallelism into one
// serial group whatever its maxWorkers, hence `fileParallelism` stays on for the pair, bounded by maxWorkers.
const heavyWorkers = Math.max(
  1,
  Number(process.env.DESIGNER_TEST_WORKERS) || Math.min(2, os.availableParallelism()),
);
const heavy = { sequence: { groupOrder: 1 }, maxWorkers: heavyWorkers } as const;

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'] } },
      { test: { name: 'web', include: ['web/src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'server', include: ['server/src/**/*.test.ts', 'server/test/api/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['server/test/integration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          ...heavy,
        },
      },
      {
        // The bad-input catalogue (issue 14): real workspaces for the YAML and file cases.
        test: {
          name: 'security',
          include: ['server/test/security/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          ...heavy,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['server/test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
