// The graph a pull gives: rebuilt from the merged defs as import reads them, keeping each existing node (id,
// position, group) whose file or document is the same, and the node changes a pull shows.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  diffGraphs,
  nodeLocation,
  uniqueLabel,
  type Graph,
  type GraphNode,
  type Problem,
  type PullGraphDiff,
} from '@designer/shared';
import { nodesFromDefs } from './defs-nodes.js';

const locationKey = (n: GraphNode) => {
  const at = nodeLocation(n);
  return `${n.type === 'python' ? 'py:' : ''}${at.path}#${at.document ?? ''}`;
};

/** Does a changed file (relative to the project) belong to this node's folder or file? */
function touches(n: GraphNode, defsPrefix: string, changed: ReadonlySet<string>): boolean {
  const at = nodeLocation(n);
  const own = n.type === 'python' ? at.path : at.folder;
  for (const p of changed) {
    if (!p.startsWith(defsPrefix)) continue;
    const rel = p.slice(defsPrefix.length);
    if (rel === own || rel.startsWith(`${own}/`) || rel === at.path) return true;
  }
  return false;
}

/**
 * The graph from the defs in `tree` (a workspace or a copy of its defs), keeping each existing node (id,
 * position, group) whose file is the same: unchanged nodes as they are, changed ones with the file's component
 * type and attributes, new ones placed right of the canvas. Edges into changed nodes are left to the caller.
 */
export async function rebuildGraph(
  current: Graph,
  tree: string,
  module: string,
  changed: ReadonlySet<string>,
  problems: Problem[] = [],
): Promise<{ graph: Graph; touched: Set<string> }> {
  const found = await nodesFromDefs(tree, module);
  problems.push(...found.problems);
  const defsPrefix = `src/${module}/defs/`;
  const existing = new Map(current.nodes.map((n) => [locationKey(n), n]));
  const ids = new Set(current.nodes.map((n) => n.id));
  const labels = new Set(current.nodes.map((n) => n.data.label));
  const touched = new Set<string>();
  const matched = new Set<string>();
  const nodes: GraphNode[] = [];
  const right = Math.max(0, ...current.nodes.map((n) => n.position.x + 300));
  const top = Math.min(...current.nodes.map((n) => n.position.y), 0);
  let placed = 0;
  for (const r of found.nodes) {
    const e = existing.get(locationKey(r));
    if (e) {
      matched.add(e.id);
      if (!touches(e, defsPrefix, changed)) {
        nodes.push(e);
        continue;
      }
      touched.add(e.id);
      const data: GraphNode['data'] = {
        ...e.data,
        component_type: r.data.component_type,
        attributes: r.data.attributes,
      };
      if (r.data.post_processing) data.post_processing = r.data.post_processing;
      else delete data.post_processing;
      nodes.push({ ...e, type: r.type, data });
      continue;
    }
    let id = r.id;
    for (let i = 2; ids.has(id); i += 1) id = `${r.id}_${i}`;
    ids.add(id);
    const data = { ...r.data };
    if (labels.has(data.label)) {
      // A plain node's folder is its label: keep the folder in defined_at when the label must change.
      data.defined_at = data.defined_at ?? { path: `${data.label}/defs.yaml` };
      data.label = uniqueLabel(data.label, labels);
    }
    labels.add(data.label);
    touched.add(id);
    nodes.push({ ...r, id, data, position: { x: right, y: top + placed++ * 140 } });
  }
  // A node whose file is still there but was not read (a parse problem, a shape import does not show) stays.
  const defs = path.join(tree, 'src', module, 'defs');
  for (const e of current.nodes) {
    if (matched.has(e.id)) continue;
    if (existsSync(path.join(defs, nodeLocation(e).path))) nodes.push(e);
  }
  const alive = new Set(nodes.map((n) => n.id));
  const edges = current.edges.filter(
    (e) => alive.has(e.source) && alive.has(e.target) && !touched.has(e.target),
  );
  const groups = (current.groups ?? [])
    .map((g) => ({ ...g, members: g.members.filter((m) => alive.has(m)) }))
    .filter((g) => g.members.length > 0);
  const graph: Graph = { nodes, edges, ...(current.groups ? { groups } : {}) };
  return { graph, touched };
}

export function nodeDiff(before: Graph, after: Graph): PullGraphDiff {
  const d = diffGraphs(before, after);
  return {
    added: d.nodes.added,
    removed: d.nodes.removed,
    changed: d.nodes.changed.map((c) => ({ id: c.id, label: c.label, paths: c.paths })),
  };
}
