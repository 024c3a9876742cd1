// Test apps on a throw-away data folder; no port is opened (app.inject).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { GraphNode } from '@designer/shared';
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

/** A node of any component type at the origin. */
export function componentNode(
  id: string,
  label: string,
  componentType: string,
  attributes: Record<string, unknown>,
): GraphNode {
  return {
    id,
    type: 'component',
    position: { x: 0, y: 0 },
    data: { label, component_type: componentType, attributes },
  };
}

/** A PythonScriptComponent node declaring one asset, its script named after its label. */
export function scriptNode(
  id: string,
  label: string,
  key: string,
  extra: Record<string, unknown> = {},
): GraphNode {
  return componentNode(id, label, 'dagster.PythonScriptComponent', {
    assets: [{ key, ...extra }],
    execution: { path: `${label}.py` },
  });
}

/** A Pipes script that logs one line: what a user writes next to a PythonScriptComponent. */
export const pipesScript = (message = 'ok') =>
  `from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info(${JSON.stringify(message)})\n`;
