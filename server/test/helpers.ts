// Test apps on a throw-away data folder; no port is opened (app.inject).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/** Every file under a folder, as text (latin1, so any byte sequence matches): where a secret must not be. */
export function allText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, entry);
    try {
      if (statSync(full).isFile() && statSync(full).size < 5_000_000) out += readFileSync(full, 'latin1');
    } catch {
      // vanished while reading (a cache): not ours to check
    }
  }
  return out;
}

/** A teammate's commit on a branch of `remote`, made with plain git: `change` edits a fresh clone. */
export function pushAsSomeoneElse(
  remote: string,
  branch: string,
  message: string,
  change: (clone: string) => void,
): void {
  const clone = mkdtempSync(path.join(os.tmpdir(), 'designer-other-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--branch', branch, remote, clone]);
    change(clone);
    execFileSync('git', ['-C', clone, 'add', '-A']);
    execFileSync('git', [
      '-C',
      clone,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '--quiet',
      '-m',
      message,
    ]);
    execFileSync('git', ['-C', clone, 'push', '--quiet', 'origin', branch]);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}
