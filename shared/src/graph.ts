// Pure graph rules shared by the canvas (refusing a bad edit) and the server (refusing a bad save).
import { groupIssues } from './groups.js';
import { labelProblem } from './names.js';
import { nodeLocation } from './node-location.js';
import type { Graph, GraphEdge } from './project-file/schema.js';

export interface GraphIssue {
  code:
    | 'duplicate_node_id'
    | 'invalid_label'
    | 'duplicate_label'
    | 'folder_taken'
    | 'dangling_edge'
    | 'self_loop'
    | 'duplicate_edge'
    | 'cycle'
    | 'invalid_group';
  message: string;
  nodeId?: string;
  edgeId?: string;
  groupId?: string;
}

/** Adjacency list source → targets. */
function successors(edges: readonly Pick<GraphEdge, 'source' | 'target'>[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  return next;
}

/** True when `to` can be reached from `from` by following edges. */
export function reaches(
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
  from: string,
  to: string,
): boolean {
  const next = successors(edges);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) stack.push(n);
  }
  return false;
}

/** Why the edge source → target may not be added, or null when it may. */
export function edgeProblem(
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
  source: string,
  target: string,
): string | null {
  if (source === target) return 'A component cannot depend on itself.';
  if (edges.some((e) => e.source === source && e.target === target))
    return 'These components are already connected.';
  if (reaches(edges, target, source))
    return 'This connection would create a cycle: Dagster dependencies must not loop.';
  return null;
}

/** Node ids in dependency order (upstream first); null when the graph has a cycle. */
export function topologicalOrder(
  nodeIds: readonly string[],
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
): string[] | null {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  for (const e of edges) if (indegree.has(e.target)) indegree.set(e.target, indegree.get(e.target)! + 1);
  const next = successors(edges);
  const queue = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const d = indegree.get(t);
      if (d === undefined) continue;
      indegree.set(t, d - 1);
      if (d - 1 === 0) queue.push(t);
    }
  }
  return order.length === nodeIds.length ? order : null;
}

/** Every structural problem of a graph; empty when it can be saved. */
export function validateGraph(graph: Pick<Graph, 'nodes' | 'edges' | 'groups'>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const ids = new Set<string>();
  const labels = new Map<string, string>();
  for (const node of graph.nodes) {
    if (ids.has(node.id))
      issues.push({
        code: 'duplicate_node_id',
        message: `Node id "${node.id}" is used twice.`,
        nodeId: node.id,
      });
    ids.add(node.id);
    const problem = labelProblem(node.data.label);
    if (problem)
      issues.push({
        code: 'invalid_label',
        message: `Label "${node.data.label}" ${problem}.`,
        nodeId: node.id,
      });
    const other = labels.get(node.data.label);
    if (other !== undefined) {
      issues.push({
        code: 'duplicate_label',
        message: `Label "${node.data.label}" is used by two components; labels name folders and must be unique.`,
        nodeId: node.id,
      });
    }
    labels.set(node.data.label, node.id);
  }
  // A component that owns `defs/<label>/` must not land in a folder whose files other nodes already define.
  const sharedFolders = new Set(
    graph.nodes.filter((n) => n.data.defined_at).map((n) => nodeLocation(n).folder.split('/')[0]!),
  );
  for (const node of graph.nodes) {
    if (!node.data.defined_at && sharedFolders.has(node.data.label))
      issues.push({
        code: 'folder_taken',
        message: `Label "${node.data.label}" names the folder defs/${node.data.label}/, which holds definitions of other nodes; pick another name.`,
        nodeId: node.id,
      });
  }
  const pairs = new Set<string>();
  for (const edge of graph.edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) {
      issues.push({
        code: 'dangling_edge',
        message: `Edge "${edge.id}" connects a component that does not exist.`,
        edgeId: edge.id,
      });
    } else if (edge.source === edge.target) {
      issues.push({
        code: 'self_loop',
        message: 'A component cannot depend on itself.',
        edgeId: edge.id,
        nodeId: edge.source,
      });
    }
    const pair = `${edge.source}\u0000${edge.target}`;
    if (pairs.has(pair))
      issues.push({
        code: 'duplicate_edge',
        message: `Edge "${edge.id}" repeats another edge.`,
        edgeId: edge.id,
      });
    pairs.add(pair);
  }
  if (!issues.some((i) => i.code === 'self_loop') && topologicalOrder([...ids], graph.edges) === null) {
    issues.push({ code: 'cycle', message: 'The graph has a cycle: Dagster dependencies must not loop.' });
  }
  for (const g of groupIssues(graph.nodes, graph.groups ?? []))
    issues.push({
      code: 'invalid_group',
      message: g.message,
      groupId: g.groupId,
      ...(g.nodeId ? { nodeId: g.nodeId } : {}),
    });
  return issues;
}

/** A left-to-right layered placement (column = longest path from a root), for graphs made without a canvas. */
export function layeredPositions(
  nodeIds: readonly string[],
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
  spacing = { x: 320, y: 130 },
): Record<string, { x: number; y: number }> {
  const order = topologicalOrder(nodeIds, edges) ?? [...nodeIds];
  const depth = new Map<string, number>(order.map((id) => [id, 0]));
  for (const id of order) {
    for (const e of edges)
      if (e.source === id && depth.has(e.target))
        depth.set(e.target, Math.max(depth.get(e.target)!, depth.get(id)! + 1));
  }
  const rows = new Map<number, number>();
  const out: Record<string, { x: number; y: number }> = {};
  for (const id of order) {
    const column = depth.get(id)!;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    out[id] = { x: column * spacing.x, y: row * spacing.y };
  }
  return out;
}
