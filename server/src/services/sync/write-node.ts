// Writes one node into the workspace: a component's folder (scaffolded with dg, then its managed defs merged
// into defs.yaml), one document of a shared defs.yaml, or a Python node's files brought back after an undo.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { nodeLocation, type GraphNode, type Problem, type ProjectFile } from '@designer/shared';
import type { AppError } from '../../errors.js';
import { realPathInside, renameInside } from '../../lib/safe-path.js';
import { writeFileInside } from '../atomic-file.js';
import type { DagsterCli } from '../dagster-cli.js';
import { writeDefsYamlDocument } from '../defs-yaml-documents.js';
import { writeDefsYaml } from '../defs-yaml.js';
import { followFileRenames, writeStarterFiles } from './node-files.js';
import type { PlannedDefs } from './plan.js';
import { filesOf, located, trashOf, type KnownNode, type SyncState } from './state.js';

/** What one sync works on and what it collects on the way. */
export interface SyncRun {
  project: ProjectFile;
  root: string;
  defsDir: string;
  defsRelative: string;
  state: SyncState;
  steps: string[];
  changed: string[];
  problems: Problem[];
}

/** Answers whether the node's defs were written (false: unchanged, Python, or a problem said why). */
export async function writeNode(
  run: SyncRun,
  cli: DagsterCli,
  node: GraphNode,
  plan: (node: GraphNode) => PlannedDefs,
): Promise<boolean> {
  if (node.type === 'python') {
    await writePython(run, node);
    return false;
  }
  if (node.data.defined_at) return writeLocated(run, node, plan(node));
  return writeFolder(run, cli, node, plan(node));
}

/**
 * Plain Python is the user's code: the designer never writes it (edges into it are explained elsewhere).
 * A deleted Python node that came back (undo) gets its files back from where they were put aside.
 */
async function writePython({ root, defsDir, state, changed }: SyncRun, node: GraphNode): Promise<void> {
  const where = path.join(defsDir, nodeLocation(node).path);
  const aside = path.join(trashOf(root, node.id), path.basename(where));
  if (!existsSync(where) && existsSync(aside)) {
    await renameInside(root, aside, where);
    changed.push(path.relative(root, where));
  }
  state.nodes[node.id] = {
    label: node.data.label,
    type: node.data.component_type,
    hash: '',
    path: nodeLocation(node).path,
  };
}

/** A component in its own folder, `defs/<label>/defs.yaml`. */
async function writeFolder(
  run: SyncRun,
  cli: DagsterCli,
  node: GraphNode,
  { defs, problems: mapping, hash }: PlannedDefs,
): Promise<boolean> {
  const { root, defsDir, defsRelative, state, steps, changed, problems } = run;
  problems.push(...mapping);
  const dir = path.join(defsDir, node.data.label);
  const file = path.join(dir, 'defs.yaml');
  const known = state.nodes[node.id];
  if (
    known &&
    known.hash === hash &&
    known.label === node.data.label &&
    known.type === node.data.component_type &&
    existsSync(file)
  )
    return false;
  await realPathInside(root, dir); // a node folder that is a link out of the project is never written through
  const trash = trashOf(root, node.id);
  if (!existsSync(dir) && existsSync(path.join(trash, 'defs.yaml'))) {
    // A deleted node that came back (undo, paste of the same node): its folder, scripts included, returns.
    await renameInside(root, trash, dir);
    steps.push(`restore ${node.data.label}/ as it was when the node was deleted`);
    changed.push(`${defsRelative}/${node.data.label}/`);
  }
  if (!existsSync(file)) {
    steps.push(`dg scaffold defs ${node.data.component_type} ${node.data.label}`);
    const result = await cli.scaffoldDefs(root, node.data.component_type, node.data.label);
    if (result.exitCode !== 0) {
      problems.push({
        severity: 'error',
        nodeId: node.id,
        message: `${node.data.label}: dg scaffold defs failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
        hint: 'Check that the component library is installed in the project.',
      });
      return false;
    }
  }
  const before = await fs.readFile(file, 'utf8');
  let after: string;
  try {
    after = writeDefsYaml(before, defs);
  } catch (error) {
    problems.push(writeProblem(node, path.relative(root, file), error));
    return false;
  }
  if (after !== before) {
    await writeFileInside(root, file, after);
    changed.push(path.relative(root, file));
  }
  await followFiles(run, known, node, dir);
  state.nodes[node.id] = {
    label: node.data.label,
    type: node.data.component_type,
    hash,
    files: filesOf(node),
  };
  return true;
}

/**
 * A node with `defined_at` (one document of a shared defs.yaml, or a defs.yaml deeper in defs/): only its own
 * document is rewritten, the others keep their bytes; its file is never scaffolded (it exists, or it is gone).
 */
async function writeLocated(run: SyncRun, node: GraphNode, planned: PlannedDefs): Promise<boolean> {
  const { root, defsDir, state, changed, problems } = run;
  problems.push(...planned.problems);
  const location = nodeLocation(node);
  const file = path.join(defsDir, location.path);
  const known = state.nodes[node.id];
  const relative = path.relative(root, file);
  if (known?.document !== undefined && known.document !== location.document) {
    // Written at the index the graph names, it would overwrite another component's document.
    problems.push({
      severity: 'error',
      nodeId: node.id,
      file: relative,
      message: `${node.data.label}: the graph says it is document ${location.document! + 1} of ${relative}, but it is document ${known.document + 1} since a document before it was deleted.`,
      hint: 'Renumber defined_at.document of the nodes that share the file (the canvas does this when it deletes a node), or reload the project.',
    });
    return false;
  }
  if (known?.hash === planned.hash && known.type === node.data.component_type && existsSync(file))
    return false;
  if (!existsSync(file)) {
    problems.push({
      severity: 'error',
      nodeId: node.id,
      file: relative,
      message: `${node.data.label}: ${relative} is gone, so this component cannot be written.`,
      hint: 'Restore the file, or delete the node and add the component again.',
    });
    return false;
  }
  const before = await fs.readFile(file, 'utf8');
  let after: string;
  try {
    after =
      location.document === undefined
        ? writeDefsYaml(before, planned.defs)
        : writeDefsYamlDocument(before, location.document, planned.defs);
  } catch (error) {
    problems.push(writeProblem(node, relative, error));
    return false;
  }
  if (after !== before) {
    await writeFileInside(root, file, after);
    changed.push(relative);
  }
  // A script named after the old label follows a rename, inside the document's folder (as for any node).
  await followFiles(run, known, node, path.join(defsDir, location.folder));
  state.nodes[node.id] = {
    label: node.data.label,
    type: node.data.component_type,
    hash: planned.hash,
    ...located(node),
    files: filesOf(node),
  };
  return true;
}

/**
 * The files a node points at, in its folder: renamed after the node, a starter when missing, and an untouched
 * starter rewritten for the node as it is now (`known`: what sync last wrote, and the label before a rename).
 */
async function followFiles(
  { root, changed }: SyncRun,
  known: KnownNode | undefined,
  node: GraphNode,
  folder: string,
): Promise<void> {
  for (const moved of await followFileRenames(known?.files, node, folder, root))
    changed.push(path.relative(root, moved));
  for (const starter of await writeStarterFiles(node, folder, root, known?.renamedFrom ?? known?.label)) {
    const relative = path.relative(root, starter);
    if (!changed.includes(relative)) changed.push(relative);
  }
}

/** A defs.yaml that could not be written (it does not parse, a key is in the way), on its node. */
function writeProblem(node: GraphNode, file: string, error: unknown): Problem {
  const line = ((error as AppError).details as { line?: number } | undefined)?.line;
  return {
    severity: 'error',
    nodeId: node.id,
    file,
    message: `${node.data.label}: ${(error as Error).message}`,
    hint: (error as AppError).hint,
    ...(line ? { line } : {}),
  };
}
