// Pure operations on the canvas graph: each takes a graph and returns a new one (or a reason why not).
// The store calls them and records history; the tests call them directly.
import type { Edge, MarkerType, Node, XYPosition } from '@xyflow/react';
import {
  defaultScheduleNodeAttributes,
  runsTargetsComponentType,
  declaredAssetKeys,
  defaultAttributes,
  edgeProblem,
  followRename,
  followRenamedKeys,
  followRenamedReference,
  labelProblem,
  toLabel,
  uniqueLabel,
  withoutDocuments,
  type Graph,
  type GraphNode,
  type NodeGroup,
} from '@designer/shared';
import { boxOf, freeOffset, freePosition } from './placement';

export type ComponentNodeData = GraphNode['data'] & Record<string, unknown>;
/**
 * `component`: a Dagster component; `python`: a folder or module of plain Python definitions (imported);
 * `schedule`: a schedule of the nodes it has edges to (its own panel, web/src/panels/SchedulePanel.tsx).
 */
export type DesignerNode = Node<ComponentNodeData, 'component' | 'python' | 'schedule'>;
export type DesignerEdge = Edge;
/** A group on the canvas (web/src/groups/); `selected` is the frame's selection, never saved. */
export type DesignerGroup = NodeGroup & { selected?: boolean };
export interface GraphState {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  /** Absent: the groups stay as they are, less the members that are gone (graph-slice's `change`). */
  groups?: DesignerGroup[];
}
export interface Clipboard {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  groups?: DesignerGroup[];
}

/** The members of selected groups count as selected (delete, copy and duplicate take a group as one). */
export function withGroupSelection<S extends GraphState>(state: S): S {
  const groups = state.groups ?? [];
  if (!groups.some((g) => g.selected)) return state;
  const members = new Set(groups.filter((g) => g.selected).flatMap((g) => g.members));
  return {
    ...state,
    nodes: state.nodes.map((n) => (members.has(n.id) && !n.selected ? { ...n, selected: true } : n)),
  };
}

/** A canvas edge: A → B means B's assets depend on A's. */
export function edgeOf(source: string, target: string, id = `e_${source}__${target}`): DesignerEdge {
  return {
    id,
    source,
    target,
    type: 'smoothstep',
    markerEnd: { type: 'arrowclosed' as MarkerType, width: 18, height: 18 },
  };
}

let counter = 0;
/** Ids unique within a session and across reloads (time + counter + randomness). */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export const labelsOf = (nodes: readonly DesignerNode[]) => new Set(nodes.map((n) => n.data.label));

export function addComponent(
  state: GraphState,
  component: { type: string; name: string },
  position: XYPosition,
): { state: GraphState; id: string } {
  const id = newId('node');
  const label = uniqueLabel(toLabel(component.name), labelsOf(state.nodes));
  const schedule = runsTargetsComponentType(component.type);
  const attributes = schedule
    ? defaultScheduleNodeAttributes(component.type)
    : defaultAttributes(component.type, label);
  // A SQL component runs on a connection: with exactly one DuckDB connection in the graph, it uses that one.
  const connections = state.nodes.filter((n) => n.data.component_type.endsWith('.DuckDBConnectionComponent'));
  if (component.type === 'dagster.TemplatedSqlComponent' && connections.length === 1)
    attributes.connection = `{{ context.load_component('${connections[0]!.data.label}') }}`;
  const node: DesignerNode = {
    id,
    type: schedule ? 'schedule' : 'component',
    // Where it was asked for when that spot is free, else the nearest free spot: never on top of another node.
    position: freePosition(state.nodes, position),
    selected: true,
    data: { label, component_type: component.type, attributes },
  };
  return {
    state: {
      nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
      edges: state.edges,
    },
    id,
  };
}

export function connect(
  state: GraphState,
  source: string,
  target: string,
): { state: GraphState } | { error: string } {
  const problem = edgeProblem(state.edges, source, target);
  if (problem) return { error: problem };
  return { state: { nodes: state.nodes, edges: [...state.edges, edgeOf(source, target)] } };
}

/** Removes the selected nodes (with their edges) and the selected edges. */
export function removeSelected(state: GraphState): GraphState {
  const removed = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
  return {
    // Documents left in a file a deleted document shared are numbered again, as Dagster will after sync.
    nodes: withoutDocuments(state.nodes, removed),
    edges: state.edges.filter((e) => !e.selected && !removed.has(e.source) && !removed.has(e.target)),
  };
}

/** The selected nodes with the edges between them. */
export function copySelection(state: GraphState): Clipboard | null {
  const nodes = state.nodes.filter((n) => n.selected);
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((n) => n.id));
  return {
    nodes: structuredClone(nodes),
    edges: structuredClone(state.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
    // A group travels with its members when all of them are copied.
    groups: structuredClone((state.groups ?? []).filter((g) => g.members.every((m) => ids.has(m)))),
  };
}

/**
 * Inserts a copy of the clipboard, shifted by `offset` (or, when that would cover a node, by the nearest offset
 * that covers none), with fresh ids and labels kept unique; the copy is selected.
 */
export function paste(state: GraphState, clipboard: Clipboard, requested: XYPosition): GraphState {
  const offset = freeOffset(
    clipboard.nodes.filter((n) => n.type !== 'python').map(boxOf),
    state.nodes.map(boxOf),
    requested,
  );
  const taken = labelsOf(state.nodes);
  const idMap = new Map<string, string>();
  // A copy is a new component in its own folder: never a second owner of a document or of Python code.
  const pasted = clipboard.nodes
    .filter((n) => n.type !== 'python')
    .map((n): DesignerNode => {
      const id = newId('node');
      idMap.set(n.id, id);
      const label = uniqueLabel(n.data.label, taken);
      taken.add(label);
      return {
        ...structuredClone(n),
        id,
        selected: true,
        position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
        data: { ...structuredClone(n.data), label, defined_at: undefined },
      };
    });
  const edges = clipboard.edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e): DesignerEdge => {
      const source = idMap.get(e.source)!;
      const target = idMap.get(e.target)!;
      return edgeOf(source, target);
    });
  const groups = (clipboard.groups ?? [])
    .map((g): DesignerGroup => ({
      ...g,
      id: newId('group'),
      members: g.members.filter((m) => idMap.has(m)).map((m) => idMap.get(m)!),
      selected: true,
    }))
    .filter((g) => g.members.length > 0);
  return {
    nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
    edges: [...state.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...edges],
    ...(groups.length || state.groups?.some((g) => g.selected)
      ? {
          groups: [
            ...(state.groups ?? []).map((g) => (g.selected ? { ...g, selected: false } : g)),
            ...groups,
          ],
        }
      : {}),
  };
}

/**
 * The node `id` changed in `nodes`: where its declared keys changed, the deps its downstream nodes hold in their
 * own attributes (an imported project's, a hand-typed one) follow them (edge deps are written by sync anyway).
 */
function downstreamDepsFollow(state: GraphState, id: string, nodes: DesignerNode[]): DesignerNode[] {
  const before = state.nodes.find((n) => n.id === id);
  const after = nodes.find((n) => n.id === id);
  const from = before ? declaredAssetKeys(before) : null;
  const to = after ? declaredAssetKeys(after) : null;
  if (!from || !to || from.length !== to.length) return nodes;
  const renamed = new Map<string, string>();
  from.forEach((key, i) => {
    if (key !== to[i] && !to.includes(key)) renamed.set(key, to[i]!);
  });
  if (renamed.size === 0) return nodes;
  const targets = new Set(state.edges.filter((e) => e.source === id).map((e) => e.target));
  return nodes.map((n) => {
    if (!targets.has(n.id)) return n;
    const attributes = followRenamedKeys(n.data.attributes, renamed);
    return attributes === n.data.attributes ? n : { ...n, data: { ...n.data, attributes } };
  });
}

export function renameNode(
  state: GraphState,
  id: string,
  label: string,
): { state: GraphState } | { error: string } {
  const node = state.nodes.find((n) => n.id === id);
  if (!node) return { error: 'This component no longer exists.' };
  if (node.data.label === label) return { state };
  const problem = labelProblem(label);
  if (problem) return { error: `The name ${problem}.` };
  if (state.nodes.some((n) => n.id !== id && n.data.label === label))
    return { error: `Another component is already named "${label}".` };
  // The key and file the designer derived from the old name follow it; the user's own choices stay.
  const from = node.data.label;
  const nodes = state.nodes.map((n) => {
    if (n.id === id)
      return { ...n, data: { ...n.data, label, attributes: followRename(n.data.attributes, from, label) } };
    const attributes = followRenamedReference(n.data.attributes, from, label);
    return attributes === n.data.attributes ? n : { ...n, data: { ...n.data, attributes } };
  });
  return { state: { nodes: downstreamDepsFollow(state, id, nodes), edges: state.edges } };
}

export function updateNodeData(state: GraphState, id: string, patch: Partial<ComponentNodeData>): GraphState {
  const nodes = state.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n));
  return { nodes: downstreamDepsFollow(state, id, nodes), edges: state.edges };
}

export function toProjectGraph(state: GraphState, viewport?: Graph['viewport']): Graph {
  return {
    nodes: state.nodes.map((n) => {
      const data: GraphNode['data'] = {
        label: n.data.label,
        component_type: n.data.component_type,
        attributes: n.data.attributes,
      };
      if (n.data.translation && Object.keys(n.data.translation).length > 0)
        data.translation = n.data.translation;
      if (n.data.post_processing && Object.keys(n.data.post_processing).length > 0)
        data.post_processing = n.data.post_processing;
      if (n.data.defined_at) data.defined_at = n.data.defined_at;
      return {
        id: n.id,
        type: n.type === 'python' || n.type === 'schedule' ? n.type : ('component' as const),
        position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        data,
      };
    }),
    edges: state.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    ...(state.groups?.length ? { groups: state.groups.map(({ selected: _selected, ...g }) => g) } : {}),
    ...(viewport ? { viewport } : {}),
  };
}

export function fromProjectGraph(graph: Graph): GraphState {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      position: n.position,
      data: { ...n.data },
    })),
    edges: graph.edges.map((e) => edgeOf(e.source, e.target, e.id)),
    groups: graph.groups?.map((g) => ({ ...g })) ?? [],
  };
}
