// Deleted and renamed nodes: their folders are put aside (an undo brings them back) or renamed, their documents
// leave a shared defs.yaml. Only what this designer created is touched.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { realPathInside, renameInside } from '../../lib/safe-path.js';
import { removeDocuments } from './documents.js';
import { trashOf, type KnownNode } from './state.js';
import type { SyncRun } from './write-node.js';

export async function removeDeletedAndRenamed(run: SyncRun): Promise<void> {
  const { project, root, defsDir, defsRelative, state, changed, problems } = run;
  const nodes = project.graph.nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const deletedDocuments: string[] = [];
  for (const [id, known] of Object.entries(state.nodes)) {
    const node = byId.get(id);
    const oldDir = path.join(defsDir, known.label);
    if (known.path !== undefined) {
      // A node with defined_at: its label names no folder; its files are never moved by a rename.
      if (node)
        state.nodes[id] = {
          ...known,
          label: node.data.label,
          ...(node.data.label !== known.label ? { renamedFrom: known.label } : {}),
        };
      else if (known.document !== undefined && known.hash !== '') deletedDocuments.push(id);
      else {
        await putAsideLocated(run, id, known);
        delete state.nodes[id];
        delete state.assets[id];
      }
      continue;
    }
    if (!node) {
      if (existsSync(path.join(oldDir, 'defs.yaml'))) {
        // Kept aside, not deleted: the folder may hold the user's scripts, and an undo brings the node back.
        const trash = trashOf(root, id);
        await fs.rm(await realPathInside(root, trash), { recursive: true, force: true });
        await renameInside(root, oldDir, trash);
        changed.push(`${defsRelative}/${known.label}/`);
      }
      delete state.nodes[id];
      delete state.assets[id];
    } else if (node.data.label !== known.label && existsSync(oldDir)) {
      const newDir = path.join(defsDir, node.data.label);
      if (existsSync(newDir)) {
        problems.push({
          severity: 'error',
          nodeId: id,
          message: `${node.data.label}: cannot rename ${known.label}/ because ${node.data.label}/ already exists in the defs folder.`,
          hint: 'Pick another name or move that folder away.',
        });
        continue;
      }
      await renameInside(root, oldDir, newDir);
      changed.push(`${defsRelative}/${known.label}/ → ${node.data.label}/`);
      state.nodes[id] = { ...known, label: node.data.label, renamedFrom: known.label };
    }
  }
  // Deleted documents of a shared defs.yaml leave it (the others keep their bytes), and come back on undo.
  const removed = await removeDocuments(root, defsDir, state.nodes, deletedDocuments, nodes, (id) =>
    trashOf(root, id),
  );
  changed.push(...removed.changed);
  problems.push(...removed.problems);
  for (const id of deletedDocuments) delete state.assets[id];
}

/**
 * A deleted node with `defined_at`: Python definitions go aside like a component folder (an undo brings them
 * back); a document sync knows no index of (a state.json written before it kept them) stays, which is said.
 */
async function putAsideLocated(
  { root, defsDir, changed, problems }: SyncRun,
  id: string,
  known: KnownNode,
): Promise<void> {
  const where = path.join(defsDir, known.path!);
  if (!existsSync(where)) return;
  if (known.hash === '') {
    const trash = trashOf(root, id);
    await fs.rm(await realPathInside(root, trash), { recursive: true, force: true });
    await renameInside(root, where, path.join(trash, path.basename(where)));
    changed.push(path.relative(root, where));
    return;
  }
  problems.push({
    severity: 'warning',
    file: path.relative(root, where),
    message: `${known.label} was removed from the canvas, but ${path.relative(root, where)} still defines it, so Dagster still loads it.`,
    hint: 'Remove its YAML document from the file in the Files tab (the other documents are not touched).',
  });
}
