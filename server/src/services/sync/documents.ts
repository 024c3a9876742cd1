// Deleting, and bringing back (undo), nodes that are one YAML document of a shared defs.yaml. A deleted document
// leaves the file with its whole range (its `---` line and comments); the others keep every byte. The last one
// takes the file along, and its folder when no other node lives there, as deleting a component's folder does.
// What goes is kept in the designer's trash, so an undo puts it back where it was.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isDocumentNode, nodeLocation, type GraphNode, type Problem } from '@designer/shared';
import { realPathInside, renameInside } from '../../lib/safe-path.js';
import { writeFileInside } from '../atomic-file.js';
import { documentSlices, insertDefsYamlDocument, removeDefsYamlDocuments } from '../defs-yaml-documents.js';
import type { KnownNode } from './state.js';

/** A deleted document as kept in `<trash of the node>/document.json`. */
interface KeptDocument {
  path: string;
  index: number;
  text: string;
  /** When the whole file (or its folder) went with the last documents: which node's trash holds it. */
  whole?: { holder: string; name: string };
}

export interface DocumentChanges {
  changed: string[];
  problems: Problem[];
}

const slicesOrNull = (text: string) => {
  try {
    return documentSlices(text);
  } catch {
    return null;
  }
};

const keptFile = (trash: string) => path.join(trash, 'document.json');

/**
 * Removes the documents of deleted nodes (`deleted`: their ids, each known with a `document`) from their files,
 * renumbers the documents left in `known` (Dagster numbers them from 0 again), and forgets the deleted nodes.
 * A file that does not hold exactly the documents sync knows of was changed by hand: it is left alone, with a
 * warning. `liveNodes` are the nodes still on the canvas (a folder one of them lives in never goes).
 */
export async function removeDocuments(
  root: string,
  defsDir: string,
  known: Record<string, KnownNode>,
  deleted: readonly string[],
  liveNodes: readonly GraphNode[],
  trashOf: (id: string) => string,
): Promise<DocumentChanges> {
  const out: DocumentChanges = { changed: [], problems: [] };
  const byPath = new Map<string, string[]>();
  for (const id of deleted) byPath.set(known[id]!.path!, [...(byPath.get(known[id]!.path!) ?? []), id]);
  for (const [relative, ids] of byPath) {
    const file = path.join(defsDir, relative);
    const shown = path.relative(root, file);
    const siblings = Object.entries(known).filter(([, k]) => k.path === relative && k.document !== undefined);
    const text = existsSync(file) ? await fs.readFile(file, 'utf8') : null;
    const slices = text === null ? null : slicesOrNull(text);
    const indices = ids.map((id) => known[id]!.document!);
    const expected = siblings.map(([, k]) => k.document!).sort((a, b) => a - b);
    if (text !== null && (!slices || slices.length !== expected.length || expected.some((d, i) => d !== i))) {
      out.problems.push({
        severity: 'warning',
        file: shown,
        message: `${ids.map((id) => known[id]!.label).join(', ')} ${ids.length > 1 ? 'were' : 'was'} removed from the canvas, but ${shown} was changed outside the designer, so ${ids.length > 1 ? 'their documents were' : 'its document was'} left in it and Dagster still loads ${ids.length > 1 ? 'them' : 'it'}.`,
        hint: 'Remove the YAML document from the file in the Files tab (the other documents are not touched).',
      });
    } else if (text !== null && slices) {
      await putAside(root, defsDir, relative, text, ids, known, liveNodes, trashOf, out);
      for (const [id, k] of siblings)
        if (!ids.includes(id))
          known[id] = { ...k, document: k.document! - indices.filter((i) => i < k.document!).length };
    }
    for (const id of ids) delete known[id];
  }
  return out;
}

async function putAside(
  root: string,
  defsDir: string,
  relative: string,
  text: string,
  ids: readonly string[],
  known: Record<string, KnownNode>,
  liveNodes: readonly GraphNode[],
  trashOf: (id: string) => string,
  out: DocumentChanges,
): Promise<void> {
  const file = path.join(defsDir, relative);
  const indices = ids.map((id) => known[id]!.document!);
  const { text: left, removed } = removeDefsYamlDocuments(text, indices);
  let whole: KeptDocument['whole'];
  if (left.trim() === '') {
    // The last documents: the file goes, and its folder too unless another node lives in it (as for a component).
    const folder = path.dirname(relative);
    const shared =
      folder === '.' ||
      liveNodes.some((n) => {
        const at = nodeLocation(n);
        return at.path === folder || at.path.startsWith(`${folder}/`) || at.folder === folder;
      });
    const gone = shared ? file : path.join(defsDir, folder);
    whole = { holder: ids[0]!, name: path.basename(gone) };
    const trash = trashOf(ids[0]!);
    await fs.rm(await realPathInside(root, trash), { recursive: true, force: true });
    await renameInside(root, gone, path.join(trash, whole.name));
    out.changed.push(`${path.relative(root, gone)}${shared ? '' : '/'}`);
  } else {
    await writeFileInside(root, file, left);
    out.changed.push(path.relative(root, file));
  }
  for (const [i, id] of ids.entries()) {
    const kept: KeptDocument = {
      path: relative,
      index: indices[i]!,
      text: removed[i]!,
      ...(whole ? { whole } : {}),
    };
    if (!whole || id !== whole.holder)
      await fs.rm(await realPathInside(root, trashOf(id)), { recursive: true, force: true });
    await writeFileInside(root, keptFile(trashOf(id)), `${JSON.stringify(kept)}\n`);
  }
}

/**
 * Document nodes that came back (undo, redo) after sync removed their documents: their documents return where
 * they were, from the trash (the whole file or folder first when it went with them). Answers what changed; the
 * caller records the returned nodes as written (`adopt`), so they are not rewritten.
 */
export async function restoreDocuments(
  root: string,
  defsDir: string,
  known: Record<string, KnownNode>,
  nodes: readonly GraphNode[],
  trashOf: (id: string) => string,
  adopt: (node: GraphNode) => void,
): Promise<DocumentChanges> {
  const out: DocumentChanges = { changed: [], problems: [] };
  const returning: Array<{ node: GraphNode; kept: KeptDocument }> = [];
  for (const node of nodes) {
    if (!isDocumentNode(node) || known[node.id]) continue;
    const saved = keptFile(trashOf(node.id));
    if (!existsSync(saved)) continue;
    const kept = JSON.parse(await fs.readFile(saved, 'utf8')) as KeptDocument;
    if (kept.path === nodeLocation(node).path) returning.push({ node, kept });
  }
  for (const { kept } of returning) {
    const file = path.join(defsDir, kept.path);
    if (!kept.whole || existsSync(file)) continue;
    const folderGone = kept.whole.name !== path.basename(kept.path);
    const target = folderGone ? path.join(defsDir, path.dirname(kept.path)) : file;
    const from = path.join(trashOf(kept.whole.holder), kept.whole.name);
    if (existsSync(target) || !existsSync(from)) continue;
    await renameInside(root, from, target);
    out.changed.push(path.relative(root, target));
  }
  const byPath = new Map<string, Array<{ node: GraphNode; kept: KeptDocument }>>();
  for (const r of returning) byPath.set(r.kept.path, [...(byPath.get(r.kept.path) ?? []), r]);
  for (const [relative, back] of byPath) {
    const file = path.join(defsDir, relative);
    let text = existsSync(file) ? await fs.readFile(file, 'utf8') : '';
    const slices = text.trim() === '' ? [] : slicesOrNull(text);
    const inGraph = nodes.filter((n) => isDocumentNode(n) && nodeLocation(n).path === relative).length;
    const missing = slices === null ? -1 : inGraph - slices.length;
    if (missing > 0 && missing === back.length) {
      for (const { node, kept } of back.sort(
        (a, b) => nodeLocation(a.node).document! - nodeLocation(b.node).document!,
      )) {
        const index = nodeLocation(node).document!;
        text = insertDefsYamlDocument(text, index, kept.text);
        for (const [id, k] of Object.entries(known))
          if (k.path === relative && k.document !== undefined && k.document >= index)
            known[id] = { ...k, document: k.document + 1 };
        adopt(node);
      }
      await writeFileInside(root, file, text);
      out.changed.push(path.relative(root, file));
    } else if (missing === 0) back.forEach(({ node }) => adopt(node));
    else
      out.problems.push(
        ...back.map(({ node }) => ({
          severity: 'error' as const,
          nodeId: node.id,
          file: path.relative(root, file),
          message: `${node.data.label}: its YAML document cannot be put back into ${path.relative(root, file)}, which was changed meanwhile.`,
          hint: `Its text is kept in .designer/trash/ of the workspace; paste it into the file by hand.`,
        })),
      );
    for (const { node } of back) if (known[node.id]) await fs.rm(keptFile(trashOf(node.id)), { force: true });
  }
  return out;
}
