// Templates of new projects (issue 18): data in server/templates/projects/<id>/ (template.json: nodes by label,
// edges between labels, env vars, libraries; files/: the files it writes, `__pkg__` standing for the package).
// A template project is created by the same store and workspace service as any new project; its files, libraries
// and .env values are put in place before the workspace reports ready.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  pathProblem,
  type EnvVarRef,
  type Graph,
  type GraphNode,
  type PipelineTemplateSummary,
} from '@designer/shared';
import { REPO_ROOT } from '../config.js';
import { AppError, badRequest } from '../errors.js';
import type { CatalogService } from './catalog.js';
import type { DagsterCli } from './dagster-cli.js';
import type { EnvStore } from './env-store.js';
import type { InspectorService } from './inspector.js';
import { addDuckDbConnection } from './project-templates.js';
import { scaffoldedDefsYaml } from './snippets.js';
import type { Toolchain } from './toolchain.js';
import { writeFileInside } from './atomic-file.js';

export const TEMPLATES_DIR = path.join(REPO_ROOT, 'server', 'templates', 'projects');
const PACKAGE = '__pkg__';

export interface PipelineTemplate {
  id: string;
  title: string;
  description: string;
  order: number;
  /** Top-level modules of integration libraries (toolchain.json `integrations` keys). */
  requires: string[];
  /** Adds `<pkg>.components.duckdb_connection` (server/templates/duckdb_connection.py). */
  duckdbConnection: boolean;
  /** `value` may hold `{{ workspace }}`, the project folder. */
  env: Array<EnvVarRef & { value?: string }>;
  nodes: Array<Omit<GraphNode, 'id'>>;
  edges: Array<{ source: string; target: string }>;
}

let cache: Promise<PipelineTemplate[]> | null = null;

/** Every template, in the order the dialog shows them. */
export function listTemplates(): Promise<PipelineTemplate[]> {
  cache ??= (async () => {
    const ids = (await fs.readdir(TEMPLATES_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const templates = await Promise.all(
      ids.map(
        async (id) =>
          JSON.parse(
            await fs.readFile(path.join(TEMPLATES_DIR, id, 'template.json'), 'utf8'),
          ) as PipelineTemplate,
      ),
    );
    return templates.sort((a, b) => a.order - b.order);
  })();
  cache.catch(() => (cache = null));
  return cache;
}

export async function templateById(id: string): Promise<PipelineTemplate> {
  const found = (await listTemplates()).find((t) => t.id === id);
  if (!found)
    throw badRequest(
      'unknown_template',
      `There is no project template "${id.slice(0, 64)}".`,
      'GET /api/templates lists them.',
    );
  return found;
}

export function summarizeTemplate(t: PipelineTemplate): PipelineTemplateSummary {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    nodes: t.nodes.map((n) => n.data.label),
    requires: t.requires,
  };
}

/** The graph and env declarations a project made from `t` starts with (fresh node ids). */
export function templateProject(
  t: PipelineTemplate,
  packageName: string,
): { graph: Graph; env: EnvVarRef[] } {
  const ids = new Map<string, string>();
  const nodes = t.nodes.map((n): GraphNode => {
    const id = `node_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    ids.set(n.data.label, id);
    return JSON.parse(JSON.stringify({ id, ...n }).replaceAll(PACKAGE, packageName)) as GraphNode;
  });
  const edges = t.edges.map((e) => {
    const source = ids.get(e.source)!;
    const target = ids.get(e.target)!;
    return { id: `e_${source}__${target}`, source, target };
  });
  const env = t.env.map(({ value: _value, ...ref }) => ref);
  return { graph: { nodes, edges }, env };
}

export interface TemplateServices {
  cli: DagsterCli;
  toolchain: Toolchain;
  catalog: CatalogService;
  inspector: InspectorService;
  env: EnvStore;
}

/**
 * Puts a template's libraries, files and .env values into a freshly created workspace (never over a file that
 * exists): what makes its first preview find everything it needs.
 */
export async function setUpTemplate(
  t: PipelineTemplate,
  root: string,
  packageName: string,
  services: TemplateServices,
  report: (step: string) => void,
): Promise<void> {
  const requirements = t.requires.flatMap((module) => services.toolchain.requirementsFor(module) ?? []);
  if (requirements.length > 0) {
    report(`Adding ${t.requires.join(', ')} for the template`);
    await services.cli.uvAdd(root, requirements);
  }
  report('Writing the template files');
  const from = path.join(TEMPLATES_DIR, t.id, 'files');
  for (const relative of await templateFiles(from)) {
    const target = relative.replaceAll(PACKAGE, packageName);
    if (pathProblem(target))
      throw new AppError(500, 'bad_template', `Template file ${relative} has a bad path.`);
    const file = path.join(root, target);
    if (await fs.stat(file).catch(() => null)) continue;
    await writeFileInside(root, file, await fs.readFile(path.join(from, relative)));
  }
  // A node folder the template filled gets the defs.yaml dg would scaffold, so sync merges into it.
  for (const node of t.nodes) {
    const dir = path.join(root, 'src', packageName, 'defs', node.data.label);
    const defsYaml = path.join(dir, 'defs.yaml');
    if ((await fs.stat(dir).catch(() => null)) && !(await fs.stat(defsYaml).catch(() => null)))
      await writeFileInside(
        root,
        defsYaml,
        scaffoldedDefsYaml(node.data.component_type.replaceAll(PACKAGE, packageName)),
      );
  }
  if (t.duckdbConnection) await addDuckDbConnection(root, packageName, services);
  for (const v of t.env)
    if (v.value !== undefined)
      await services.env.set(root, v.name, v.value.replaceAll('{{ workspace }}', root));
  services.catalog.invalidate(root);
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
