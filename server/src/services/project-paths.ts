// Attributes that are paths into the project (shared/src/project-path-attributes.ts: a dbt project, a Sling
// replication file, a script, a SQL template…, and any `{{ context.project_root }}/…` value): resolved the way
// Dagster resolves each one, and a path that leads nowhere is a problem naming the folder it resolved to and the
// fix (the matching files of the workspace), before Dagster fails on it with a stack trace.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  nodeFiles,
  nodeLocation,
  pathAttributesOf,
  pathChoices,
  pathValueFor,
  pathValues,
  resolvePathValue,
  type GraphNode,
  type PathAttribute,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import { listFiles } from './workspace-files.js';

const ROOTED = /^\{\{\s*context\.project_root\s*\}\}\/?(.*)$/;

/** Folders (relative to the workspace, `/`-separated) that hold a `dbt_project.yml`, nearest first. */
export async function findDbtProjects(root: string): Promise<string[]> {
  const [dbt] = pathAttributesOf('dagster_dbt.DbtProjectComponent');
  return pathChoices(
    dbt!,
    (await listFiles(root)).map((f) => f.path),
  );
}

/** Every string under `value` that starts with `{{ context.project_root }}`, with its dotted field path. */
function rootedPaths(value: unknown, at: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof value === 'string' && ROOTED.test(value)) out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => rootedPaths(v, `${at}.${i}`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) rootedPaths(v, at ? `${at}.${k}` : k, out);
  return out;
}

const exists = (root: string, target: string, attribute: PathAttribute) => {
  const full = path.join(root, target);
  if (attribute.kind === 'folder') return existsSync(path.join(full, attribute.accepts[0]!));
  try {
    return statSync(full).isFile();
  } catch {
    return false;
  }
};

/** How a value was read, in words: which folder a relative path starts from. */
function readFrom(value: string, attribute: PathAttribute, componentFolder: string, root: string): string {
  if (ROOTED.test(value.trim()))
    return `{{ context.project_root }} is the project folder (${path.basename(root)}/).`;
  return attribute.relativeTo === 'project'
    ? `A relative path is read from the project folder (${path.basename(root)}/), where dg runs.`
    : `A relative path is read from the folder of its defs.yaml (${componentFolder}/).`;
}

/** Problems of path attributes that lead nowhere, each naming where it resolved to and what to write instead. */
export async function projectPathProblems(project: ProjectFile, root: string): Promise<Problem[]> {
  const defsRelative = `src/${project.package_name}/defs`;
  const problems: Problem[] = [];
  let files: string[] | null = null;
  const workspaceFiles = async () => (files ??= (await listFiles(root)).map((f) => f.path));
  for (const node of project.graph.nodes as GraphNode[]) {
    if (node.type === 'python') continue;
    const folder = [defsRelative, nodeLocation(node).folder].filter(Boolean).join('/');
    const checked = new Set<string>();
    // Paths inside the node's folder that the preview checks itself (a script, a SQL file: missing, syntax).
    const ownFiles = new Set(nodeFiles(node).map((f) => `${f.field}=${f.path}`));
    for (const { attribute, field, value } of pathValues(node.data.component_type, node.data.attributes)) {
      checked.add(field);
      if (value === null || ownFiles.has(`${field}=${value}`)) continue;
      const target = resolvePathValue(value, attribute, folder);
      if (target === null || exists(root, target, attribute)) continue;
      // The node's own folder first: what is written for those is the short relative path Dagster reads.
      const choices = pathChoices(attribute, await workspaceFiles()).sort(
        (a, b) => Number(!a.startsWith(`${folder}/`)) - Number(!b.startsWith(`${folder}/`)),
      );
      const written = choices.map((c) => `"${pathValueFor(c, attribute, folder)}"`);
      problems.push({
        severity: attribute.readAtLoad ? 'error' : 'warning',
        nodeId: node.id,
        field,
        message: `${node.data.label}: the ${attribute.what} path (${field}) resolves to ${target || '.'}, which ${attribute.kind === 'folder' ? `has no ${attribute.accepts[0]}` : 'does not exist'}.`,
        hint: `${readFrom(value, attribute, folder, root)} ${
          written.length
            ? `Write ${written[0]}${written.length > 1 ? ` (${attribute.what}s here: ${choices.slice(0, 6).join(', ')})` : ''}, or choose it above the form.`
            : `No ${attribute.what} (${attribute.accepts.join(' or ')}) is in the project yet: add one, then choose it above the form.`
        }`,
      });
    }
    for (const [field, value] of rootedPaths(node.data.attributes, '', [])) {
      if (checked.has(field)) continue;
      const target = ROOTED.exec(value)![1]!;
      if (!existsSync(path.join(root, target)))
        problems.push({
          severity: 'warning',
          nodeId: node.id,
          field,
          message: `${node.data.label}: ${field} resolves to ${target || '.'}, which does not exist.`,
          hint: `{{ context.project_root }} is the project folder (${path.basename(root)}/); fix the path after it or create ${target}.`,
        });
    }
  }
  return problems;
}
