// Test apps on a throw-away data folder; no port is opened (app.inject).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { Config } from '../src/config.js';

export interface TestApp {
  app: FastifyInstance;
  dataDir: string;
  close: () => Promise<void>;
}

export async function makeTestApp(
  overrides: Partial<Config> = {},
  logger: boolean | object = false,
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'designer-test-'));
  const app = await buildApp(
    { dataDir, createWorkspaces: false, prepareCatalog: false, ...overrides },
    logger,
  );
  await app.ready();
  return {
    app,
    dataDir,
    close: async () => {
      await app.services.workspaces.settle();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
