// Attributes that are paths into the project (a dbt component's `project`, any `{{ context.project_root }}/…`
// value): resolved the way Dagster resolves them, and a path that leads nowhere is a problem naming the folder it
// resolved to and the fix, before Dagster fails on it with a stack trace.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { nodeLocation, type GraphNode, type Problem, type ProjectFile } from '@designer/shared';

const ROOTED = /^\{\{\s*context\.project_root\s*\}\}\/?(.*)$/;
const SKIP = new Set(['.venv', '.git', 'node_modules', 'target', 'dbt_packages', 'logs', '__pycache__']);

/** Folders (relative to the workspace, `/`-separated) that hold a `dbt_project.yml`, nearest first. */
export async function findDbtProjects(root: string, depth = 4): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string, level: number): Promise<void> => {
    if (level > depth) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (rel && entries.some((e) => e.isFile() && e.name === 'dbt_project.yml')) found.push(rel);
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name))
        await walk(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name, level + 1);
  };
  await walk(root, '', 0);
  return found.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** Where a path attribute points: `{{ context.project_root }}/x` from the workspace, anything else from the node's folder. */
export function resolveProjectPath(value: string, root: string, defsFolder: string): string | null {
  if (value.includes('{{') && !ROOTED.test(value)) return null; // another template: Dagster decides
  const rooted = ROOTED.exec(value);
  return rooted ? path.resolve(root, rooted[1]!) : path.resolve(defsFolder, value);
}

const dbtProjectValue = (attributes: Record<string, unknown>): string | null => {
  const p = attributes.project;
  if (typeof p === 'string') return p;
  if (p && typeof p === 'object' && typeof (p as { project_dir?: unknown }).project_dir === 'string')
    return (p as { project_dir: string }).project_dir;
  return null;
};

/** Every string under `value` that starts with `{{ context.project_root }}`, with its dotted field path. */
function rootedPaths(value: unknown, at: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof value === 'string' && ROOTED.test(value)) out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => rootedPaths(v, `${at}.${i}`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) rootedPaths(v, at ? `${at}.${k}` : k, out);
  return out;
}

/** Problems of path attributes that lead nowhere, each naming the folder it resolved to and what to write instead. */
export async function projectPathProblems(project: ProjectFile, root: string): Promise<Problem[]> {
  const defs = path.join(root, 'src', project.package_name, 'defs');
  const problems: Problem[] = [];
  let dbtProjects: string[] | null = null;
  const shown = (p: string) => path.relative(root, p).split(path.sep).join('/') || '.';
  for (const node of project.graph.nodes as GraphNode[]) {
    if (node.type === 'python') continue;
    const folder = path.join(defs, nodeLocation(node).folder);
    const dbt = node.data.component_type.startsWith('dagster_dbt.')
      ? dbtProjectValue(node.data.attributes)
      : null;
    if (dbt !== null) {
      const dir = resolveProjectPath(dbt, root, folder);
      if (dir && !existsSync(path.join(dir, 'dbt_project.yml'))) {
        dbtProjects ??= await findDbtProjects(root);
        problems.push({
          severity: 'error',
          nodeId: node.id,
          field: 'project',
          message: `${node.data.label}: the dbt project path resolves to ${shown(dir)}, which has no dbt_project.yml.`,
          hint: dbtProjects.length
            ? `Write "{{ context.project_root }}/${dbtProjects[0]}"${dbtProjects.length > 1 ? ` (dbt projects here: ${dbtProjects.join(', ')})` : ''}: a relative path is read from the folder of the defs.yaml.`
            : 'No folder of this workspace holds a dbt_project.yml: add the dbt project to the workspace, then point at it with "{{ context.project_root }}/<folder>".',
        });
      }
    }
    for (const [field, value] of rootedPaths(node.data.attributes, '', [])) {
      if (field === 'project' && dbt !== null) continue;
      const target = resolveProjectPath(value, root, folder);
      if (target && !existsSync(target))
        problems.push({
          severity: 'warning',
          nodeId: node.id,
          field,
          message: `${node.data.label}: ${field} resolves to ${shown(target)}, which does not exist.`,
          hint: `{{ context.project_root }} is the workspace folder (${path.basename(root)}/); fix the path after it or create ${shown(target)}.`,
        });
    }
  }
  return problems;
}
