import { defineConfig } from 'vitest/config';

// Fast suites (shared, web, server) run in seconds: `npx vitest run --project shared --project web --project server`.
// integration and e2e drive the real toolchain and a real Chromium; `npm test` runs everything.
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
          fileParallelism: false,
        },
      },
      {
        // The bad-input catalogue (issue 14): real workspaces for the YAML and file cases, so serial like integration.
        test: {
          name: 'security',
          include: ['server/test/security/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
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
