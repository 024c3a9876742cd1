// What changed between two saved states of a project's graph, and the one-line summary a history entry carries.
// Nodes are matched by id (a rename is a change of `label`), edges by source → target (their ids are not stable).
import type { Graph, GraphNode } from './project-file/schema.js';

export interface DiffNodeRef {
  id: string;
  label: string;
}
export interface DiffNodeChange extends DiffNodeRef {
  /** Dotted paths of what changed: attributes without their prefix (`execution.path`, `assets[0].key`),
   * `translation.…`, `post_processing.…`, `label`, `component_type`, `type`, `defined_at`, `position`. */
  paths: string[];
  /** The label before, when it changed. */
  previousLabel?: string;
}
export interface DiffEdgeRef {
  source: string;
  target: string;
  /** `<source label>→<target label>`. */
  label: string;
}
export interface GraphDiff {
  nodes: { added: DiffNodeRef[]; removed: DiffNodeRef[]; changed: DiffNodeChange[] };
  edges: { added: DiffEdgeRef[]; removed: DiffEdgeRef[] };
  /** Canvas groups by id, named by their (new) name; `changed`: name, colour, members or collapsed. */
  groups: { added: string[]; removed: string[]; changed: string[] };
}

/** At most this many paths are listed per changed node (the rest is one `…` entry). */
const MAX_PATHS = 20;

type GraphLike = Pick<Graph, 'nodes' | 'edges' | 'groups'>;

export function diffGraphs(before: GraphLike, after: GraphLike): GraphDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const diff: GraphDiff = {
    nodes: { added: [], removed: [], changed: [] },
    edges: { added: [], removed: [] },
    groups: { added: [], removed: [], changed: [] },
  };
  for (const n of after.nodes) {
    const previous = old.get(n.id);
    if (!previous) diff.nodes.added.push({ id: n.id, label: n.data.label });
    else {
      const paths = nodePaths(previous, n);
      if (paths.length > 0)
        diff.nodes.changed.push({
          id: n.id,
          label: n.data.label,
          paths,
          ...(previous.data.label !== n.data.label ? { previousLabel: previous.data.label } : {}),
        });
    }
  }
  for (const n of before.nodes)
    if (!now.has(n.id)) diff.nodes.removed.push({ id: n.id, label: n.data.label });
  const labelOf = (id: string) => now.get(id)?.data.label ?? old.get(id)?.data.label ?? id;
  const edgeKey = (e: { source: string; target: string }) => `${e.source}\u0000${e.target}`;
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const ref = (e: { source: string; target: string }): DiffEdgeRef => ({
    source: e.source,
    target: e.target,
    label: `${labelOf(e.source)}→${labelOf(e.target)}`,
  });
  for (const e of after.edges) if (!oldEdges.has(edgeKey(e))) diff.edges.added.push(ref(e));
  for (const e of before.edges) if (!newEdges.has(edgeKey(e))) diff.edges.removed.push(ref(e));
  const oldGroups = new Map((before.groups ?? []).map((g) => [g.id, g]));
  const newGroups = new Set((after.groups ?? []).map((g) => g.id));
  for (const g of after.groups ?? []) {
    const previous = oldGroups.get(g.id);
    if (!previous) diff.groups.added.push(g.name);
    else if (JSON.stringify(previous) !== JSON.stringify(g)) diff.groups.changed.push(g.name);
  }
  for (const g of before.groups ?? []) if (!newGroups.has(g.id)) diff.groups.removed.push(g.name);
  return diff;
}

function nodePaths(a: GraphNode, b: GraphNode): string[] {
  const paths: string[] = [];
  if (a.type !== b.type) paths.push('type');
  if (a.data.label !== b.data.label) paths.push('label');
  if (a.data.component_type !== b.data.component_type) paths.push('component_type');
  valuePaths(a.data.attributes, b.data.attributes, '', paths);
  for (const section of ['translation', 'post_processing', 'defined_at'] as const)
    valuePaths(a.data[section], b.data[section], section, paths);
  if (a.position.x !== b.position.x || a.position.y !== b.position.y) paths.push('position');
  return paths.length > MAX_PATHS ? [...paths.slice(0, MAX_PATHS), '…'] : paths;
}

/** Leaf paths where two JSON values differ (a whole subtree added or removed is one path). */
function valuePaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (out.length > MAX_PATHS) return;
  if (a === b) return;
  const aObj = isObject(a);
  const bObj = isObject(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) valuePaths(a[i], b[i], `${at}[${i}]`, out);
    return;
  }
  if (aObj && bObj) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) valuePaths(a[key], b[key], at ? `${at}.${key}` : key, out);
    return;
  }
  out.push(at || '(attributes)');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isEmptyDiff(diff: GraphDiff): boolean {
  return (
    diff.nodes.added.length +
      diff.nodes.removed.length +
      diff.nodes.changed.length +
      diff.edges.added.length +
      diff.edges.removed.length +
      diff.groups.added.length +
      diff.groups.removed.length +
      diff.groups.changed.length ===
    0
  );
}

/**
 * One line for a history entry: "added shop_dbt, edited raw_orders.execution.path, removed edge a→b, moved 3
 * nodes". Moves alone are grouped; a line longer than `max` ends with "and N more".
 */
export function summarizeDiff(diff: GraphDiff, max = 160): string {
  const parts: string[] = [];
  for (const n of diff.nodes.added) parts.push(`added ${n.label}`);
  for (const n of diff.nodes.removed) parts.push(`removed ${n.label}`);
  const moved: string[] = [];
  for (const c of diff.nodes.changed) {
    const paths = c.paths.filter((p) => p !== 'position');
    if (paths.length === 0) {
      moved.push(c.label);
      continue;
    }
    const rename = paths.includes('label');
    const rest = paths.filter((p) => p !== 'label');
    if (rename) parts.push(`renamed ${c.previousLabel ?? '?'} to ${c.label}`);
    if (rest.length === 1) parts.push(`edited ${c.label}.${rest[0]}`);
    else if (rest.length > 1) parts.push(`edited ${c.label} (${rest.length} fields)`);
  }
  for (const e of diff.edges.added) parts.push(`added edge ${e.label}`);
  for (const e of diff.edges.removed) parts.push(`removed edge ${e.label}`);
  for (const g of diff.groups.added) parts.push(`added group ${g}`);
  for (const g of diff.groups.removed) parts.push(`removed group ${g}`);
  for (const g of diff.groups.changed) parts.push(`edited group ${g}`);
  if (moved.length === 1) parts.push(`moved ${moved[0]}`);
  else if (moved.length > 1) parts.push(`moved ${moved.length} nodes`);
  if (parts.length === 0) return 'no change to the graph';
  let line = '';
  for (let i = 0; i < parts.length; i += 1) {
    const next = line ? `${line}, ${parts[i]}` : parts[i]!;
    if (next.length > max && line) return `${line} and ${parts.length - i} more`;
    line = next;
  }
  return line;
}
