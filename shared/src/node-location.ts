// Where a node's definitions live under `defs/`, and which node a definition found there belongs to.
// A component node owns `<label>/defs.yaml` unless `defined_at` says otherwise (one document of a
// multi-document file); a Python-definitions node owns the folder or module `defined_at.path` names.
import type { DefinedAt, GraphNode } from './project-file/schema.js';

export interface NodeLocation {
  /** The defs.yaml or Python folder/module, relative to `defs/`. */
  path: string;
  /** The folder that holds it (scripts and SQL files a component names are relative to it). */
  folder: string;
  /** Index of the YAML document in a multi-document defs.yaml. */
  document?: number;
}

type LocatedNode = Pick<GraphNode, 'id' | 'type'> & { data: Pick<GraphNode['data'], 'label' | 'defined_at'> };

const dirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const isDefsYaml = (p: string) => /(^|\/)defs\.ya?ml$/.test(p);

export function nodeLocation(node: LocatedNode): NodeLocation {
  const at = node.data.defined_at;
  if (!at) return { path: `${node.data.label}/defs.yaml`, folder: node.data.label };
  if (node.type === 'python') {
    const folder = /\.py$/.test(at.path) ? dirname(at.path) : at.path;
    return { path: at.path, folder };
  }
  const out: NodeLocation = { path: at.path, folder: isDefsYaml(at.path) ? dirname(at.path) : at.path };
  if (at.document !== undefined) out.document = at.document;
  return out;
}

/** True when the node is one document of a defs.yaml that holds others: its file is shared, never scaffolded. */
export const isDocumentNode = (node: LocatedNode) =>
  node.type === 'component' && node.data.defined_at?.document !== undefined;

/** The top-level `defs/` folder a node's files sit in ('' for a module at the top of defs/). */
export const topFolderOf = (node: LocatedNode) => nodeLocation(node).folder.split('/')[0] ?? '';

/**
 * The node a definition belongs to, from where Dagster says it is defined (`path` relative to `defs/`, a file or
 * folder, and the YAML document index for components): an exact document first, then the node whose file or
 * folder is the longest prefix of the path.
 */
export function ownerOf<N extends LocatedNode>(nodes: readonly N[], at: DefinedAt): N | undefined {
  const target = at.path.replace(/\/+$/, '');
  let best: { node: N; score: number } | undefined;
  for (const node of nodes) {
    const loc = nodeLocation(node);
    let score = -1;
    if (loc.document !== undefined) {
      // One document of a shared file owns only what that document defines.
      if (target === loc.path && at.document === loc.document) score = 10_000;
      else if (target === loc.path && at.document === undefined && loc.document === 0) score = 1;
    } else if (target === loc.path) score = 5_000 + loc.path.length;
    else if (node.type === 'component' && (target === loc.folder || target.startsWith(`${loc.folder}/`)))
      score = loc.folder.length;
    else if (node.type === 'python' && !/\.py$/.test(loc.path) && target.startsWith(`${loc.path}/`))
      score = loc.path.length;
    if (score >= 0 && (!best || score > best.score)) best = { node, score };
  }
  return best?.node;
}

/**
 * The nodes left after `removed` are deleted, with the document index of each one that shared a file with a
 * deleted document moved up by the number of documents removed before it: sync removes those documents from the
 * file, and Dagster numbers what is left from 0 again.
 */
export function withoutDocuments<N extends LocatedNode>(
  nodes: readonly N[],
  removed: ReadonlySet<string>,
): N[] {
  const gone = new Map<string, number[]>();
  for (const node of nodes) {
    const at = node.data.defined_at;
    if (removed.has(node.id) && at?.document !== undefined && node.type === 'component')
      gone.set(at.path, [...(gone.get(at.path) ?? []), at.document]);
  }
  return nodes
    .filter((node) => !removed.has(node.id))
    .map((node) => {
      const at = node.data.defined_at;
      const before =
        at?.document === undefined ? 0 : (gone.get(at.path) ?? []).filter((i) => i < at.document!).length;
      return before === 0
        ? node
        : { ...node, data: { ...node.data, defined_at: { ...at!, document: at!.document! - before } } };
    });
}
