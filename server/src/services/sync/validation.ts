// Validation of the written files: every defs.yaml against its component's schema from dg's registry (in
// milliseconds, after every sync that changed something), and the real `dg check yaml` when asked.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { nodeLocation, type Problem, type ProjectFile } from '@designer/shared';
import type { DagsterCli } from '../dagster-cli.js';
import { validateDefsYaml } from '../defs-validation.js';
import { documentSlices } from '../defs-yaml-documents.js';
import type { RawProblem } from '../inspector.js';
import { attachToNode, dgProblems } from './problems.js';
import { defsDirOf } from './state.js';
import type { SyncRun } from './write-node.js';

type SchemaEntry = { type: string; schema: Record<string, unknown> };

/** Validates again when files changed (or on `checkWithDg`); the result is kept in the state for later syncs. */
export async function refreshValidation(
  { project, root, state, steps, changed }: SyncRun,
  cli: DagsterCli,
  entries: SchemaEntry[],
  checkWithDg: boolean,
): Promise<void> {
  if (!(checkWithDg || changed.length > 0 || state.validation === undefined)) return;
  steps.push('validate defs.yaml against the component schemas');
  const ours = await validateAll(project, root, entries);
  let theirs: Problem[] = [];
  if (checkWithDg) {
    steps.push('dg check yaml');
    theirs = await checkYaml(cli, project, root);
  }
  const located = new Set(ours.map((p) => `${p.file}:${p.line}`));
  state.validation = [...ours, ...theirs.filter((p) => !located.has(`${p.file}:${p.line}`))];
}

/** Every node's defs.yaml against its component's schema, each issue on its node with the line. */
async function validateAll(project: ProjectFile, root: string, entries: SchemaEntry[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const defsDir = defsDirOf(root, project.package_name);
  for (const node of project.graph.nodes) {
    const schema = entries.find((e) => e.type === node.data.component_type)?.schema;
    const location = nodeLocation(node);
    const file = path.join(defsDir, location.path);
    if (!schema || node.type === 'python' || !existsSync(file)) continue;
    // One document of a shared file is validated on its own, its lines counted from the top of the file.
    let text = await fs.readFile(file, 'utf8');
    let firstLine = 1;
    if (location.document !== undefined) {
      const slice = safeSlices(text)?.[location.document];
      if (!slice) continue;
      text = slice.text;
      firstLine = slice.line;
    }
    for (const issue of validateDefsYaml(text, schema)) {
      const raw: RawProblem = {
        severity: 'error',
        message: `${issue.path} ${issue.message}`.trim(),
        folder: node.data.label,
        file: path.relative(root, file),
        line: issue.line + firstLine - 1,
      };
      if (issue.path.startsWith('attributes.')) raw.field = issue.path.slice('attributes.'.length);
      problems.push(attachToNode(raw, new Map([[node.data.label, node]]), path.relative(root, defsDir)));
    }
  }
  return problems;
}

/** `dg check yaml`, each message turned into a Problem on its node. */
async function checkYaml(cli: DagsterCli, project: ProjectFile, root: string): Promise<Problem[]> {
  const result = await cli.checkYaml(root);
  return result.exitCode === 0
    ? []
    : dgProblems(`${result.stdout}\n${result.stderr}`, project, root, 'dg check yaml');
}

/** The document ranges of a defs.yaml, or null when it does not parse (its validation reports that). */
function safeSlices(text: string) {
  try {
    return documentSlices(text);
  } catch {
    return null;
  }
}
