// Code the designer adds to a project on request, from server/templates: today the DuckDB connection that a
// `dagster.TemplatedSqlComponent` runs its SQL on (dagster-duckdb 0.29.27 ships no component for it).
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { writeFileInside } from './atomic-file.js';
import { mkdirInside } from '../lib/safe-path.js';
import type { CatalogService } from './catalog.js';
import type { DagsterCli } from './dagster-cli.js';
import type { InspectorService } from './inspector.js';
import { isInstalled } from './sync/libraries.js';
import type { Toolchain } from './toolchain.js';

const TEMPLATE = path.join(REPO_ROOT, 'server', 'templates', 'duckdb_connection.py');

export interface AddedComponent {
  componentType: string;
  /** Workspace-relative files written (empty when the component was already there). */
  written: string[];
  installed: string[];
}

/** Adds `<pkg>.components.duckdb_connection` (and the duckdb library) unless present; never overwrites. */
export async function addDuckDbConnection(
  root: string,
  packageName: string,
  services: { cli: DagsterCli; toolchain: Toolchain; catalog: CatalogService; inspector: InspectorService },
): Promise<AddedComponent> {
  const dir = path.join(root, 'src', packageName, 'components');
  const written: string[] = [];
  await mkdirInside(root, dir);
  const files: Array<[string, () => Promise<string>]> = [
    ['__init__.py', () => Promise.resolve('')],
    ['duckdb_connection.py', () => fs.readFile(TEMPLATE, 'utf8')],
  ];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    if (existsSync(file)) continue;
    await writeFileInside(root, file, await text());
    written.push(path.relative(root, file));
  }
  const installed: string[] = [];
  if (!isInstalled(root, 'duckdb') || !isInstalled(root, 'dagster_duckdb')) {
    const requirements = services.toolchain.requirementsFor('dagster_duckdb') ?? [];
    await services.cli.uvAdd(root, requirements);
    installed.push(...requirements);
    services.inspector.stop(root);
  }
  if (written.length > 0 || installed.length > 0) services.catalog.invalidate(root);
  return {
    componentType: `${packageName}.components.duckdb_connection.DuckDBConnectionComponent`,
    written,
    installed,
  };
}
