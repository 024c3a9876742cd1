// Library installation: the pinned Python library of every component type a graph uses is added to the
// project (`uv add`) before sync scaffolds or writes its nodes.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Problem, ProjectFile } from '@designer/shared';
import type { CatalogService } from '../catalog.js';
import type { DagsterCli } from '../dagster-cli.js';
import type { InspectorService } from '../inspector.js';
import type { Toolchain } from '../toolchain.js';

/** Is a Python top-level module importable from the project's venv? (Looks in site-packages, no Python start.) */
export function isInstalled(root: string, module: string): boolean {
  const lib = path.join(root, '.venv', 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((python) => existsSync(path.join(lib, python, 'site-packages', module)));
}

export interface LibraryTools {
  cli: DagsterCli;
  toolchain: Toolchain;
  catalog: CatalogService;
  inspector: InspectorService;
}

/** Adds the pinned library of every component type the graph uses that the project lacks. */
export async function installLibraries(
  { cli, toolchain, catalog, inspector }: LibraryTools,
  project: ProjectFile,
  root: string,
  steps: string[],
  problems: Problem[],
): Promise<void> {
  const modules = new Set(project.graph.nodes.map((n) => n.data.component_type.split('.')[0]!));
  const requirements: string[] = [];
  for (const module of modules) {
    if (module === 'dagster' || module === project.package_name || isInstalled(root, module)) continue;
    const pinned = toolchain.requirementsFor(module);
    if (pinned) requirements.push(...pinned);
    else {
      for (const node of project.graph.nodes.filter((n) => n.data.component_type.startsWith(`${module}.`))) {
        problems.push({
          severity: 'error',
          nodeId: node.id,
          message: `${node.data.label}: the library "${module}" is not installed in this project.`,
          hint: `Add it with \`uv add ${module.replace(/_/g, '-')}\` in ${root}.`,
        });
      }
    }
  }
  if (requirements.length === 0) return;
  steps.push(`uv add ${requirements.join(' ')}`);
  await cli.uvAdd(root, requirements);
  catalog.invalidate(root);
  inspector.stop(root);
}
