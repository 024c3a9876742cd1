// The size and handles of each node as last measured, so a big project opens without drawing every node once.
// React Flow draws every node it has no handle bounds for, even with onlyRenderVisibleElements, to measure it:
// 1,000 nodes drawn, measured and taken out again before the first one shows. A node given its size and handles
// (React Flow's `measured` and `handles`) is drawn only when in view, and still measured then: a size that was
// wrong is replaced by the measured one (and its handles dropped, see `withoutEstimates`).
import { Position, type NodeChange, type NodeHandle } from '@xyflow/react';
import type { DesignerNode } from './graph-ops';

export interface NodeShape {
  width: number;
  height: number;
  handles: NodeHandle[];
}
/** One project's shapes: the distinct shapes, and each node's index into them. */
export interface ShapeBook {
  shapes: NodeShape[];
  nodes: Record<string, number>;
}

/**
 * A component node never measured in this browser: the box `.component-node` has in styles/canvas.css (240 ×
 * 64, border-box; label and type on one line each, pills positioned outside the flow), its 10 px handles centred
 * on its left and right sides. A wrong guess costs one measurement when the node comes into view.
 */
export const COMPONENT_SHAPE: NodeShape = {
  width: 240,
  height: 64,
  handles: [
    { id: null, type: 'target', position: Position.Left, x: -5, y: 27, width: 10, height: 10 },
    { id: null, type: 'source', position: Position.Right, x: 235, y: 27, width: 10, height: 10 },
  ],
};

const typeOf = (n: DesignerNode) => n.type ?? 'component';
const keyOf = (type: string, s: NodeShape) => JSON.stringify([type, s.width, s.height, s.handles]);

/** The shapes of measured nodes, each distinct shape kept once. */
export function shapeBook(entries: ReadonlyArray<{ id: string; type: string; shape: NodeShape }>): ShapeBook {
  const book: ShapeBook = { shapes: [], nodes: {} };
  const index = new Map<string, number>();
  for (const { id, type, shape } of entries) {
    const key = keyOf(type, shape);
    let at = index.get(key);
    if (at === undefined) {
      at = book.shapes.push(shape) - 1;
      index.set(key, at);
    }
    book.nodes[id] = at;
  }
  return book;
}

/** The shape most nodes of each type have in a book: the guess for a node of that type the book lacks. */
export function commonShapes(book: ShapeBook, types: Record<string, string>): Record<string, NodeShape> {
  const counts = new Map<string, Map<number, number>>();
  for (const [id, at] of Object.entries(book.nodes)) {
    const type = types[id];
    if (!type) continue;
    const perType = counts.get(type) ?? new Map<number, number>();
    perType.set(at, (perType.get(at) ?? 0) + 1);
    counts.set(type, perType);
  }
  const out: Record<string, NodeShape> = {};
  for (const [type, perType] of counts) {
    const [best] = [...perType].sort((a, b) => b[1] - a[1])[0]!;
    out[type] = book.shapes[best]!;
  }
  return out;
}

const isShape = (s: unknown): s is NodeShape =>
  typeof s === 'object' &&
  s !== null &&
  typeof (s as NodeShape).width === 'number' &&
  typeof (s as NodeShape).height === 'number' &&
  Array.isArray((s as NodeShape).handles);

/**
 * Nodes not yet measured get the shape known for them: this node's own in `book`, else the common one of its
 * type, else (a component node) COMPONENT_SHAPE. A node with no known shape is left as it is: React Flow draws
 * it once to measure it, as before.
 */
export function withShapes(
  nodes: DesignerNode[],
  book: ShapeBook | undefined,
  byType: Record<string, NodeShape> = {},
): DesignerNode[] {
  return nodes.map((n) => {
    if (n.measured?.width !== undefined || n.hidden) return n;
    const own = book?.nodes[n.id];
    const shape =
      (own !== undefined ? book?.shapes[own] : undefined) ??
      byType[typeOf(n)] ??
      (typeOf(n) === 'component' ? COMPONENT_SHAPE : undefined);
    if (!isShape(shape)) return n;
    return { ...n, measured: { width: shape.width, height: shape.height }, handles: shape.handles };
  });
}

/**
 * Once React Flow has measured a node (a dimension change), its handles come from the page: a node that still
 * carried guessed `handles` would have React Flow take those again on its next update.
 */
export function withoutEstimates(nodes: DesignerNode[], changes: readonly NodeChange[]): DesignerNode[] {
  const measured = new Set<string>();
  for (const c of changes) if (c.type === 'dimensions') measured.add(c.id);
  if (measured.size === 0) return nodes;
  let changed = false;
  const out = nodes.map((n) => {
    if (!n.handles || !measured.has(n.id)) return n;
    changed = true;
    const { handles: _guessed, ...rest } = n;
    return rest as DesignerNode;
  });
  return changed ? out : nodes;
}

/**
 * Nodes brought back by undo or redo: one recorded with a guessed shape before React Flow measured it takes the
 * measured size it has now, without the guess (React Flow does not measure a node again whose box did not change).
 */
export function withCurrentSizes(restored: DesignerNode[], current: readonly DesignerNode[]): DesignerNode[] {
  if (!restored.some((n) => n.handles)) return restored;
  const now = new Map(current.map((n) => [n.id, n]));
  return restored.map((n) => {
    const measured = now.get(n.id);
    if (!n.handles || !measured || measured.handles || !measured.measured) return n;
    const { handles: _guessed, ...rest } = n;
    return { ...rest, measured: measured.measured } as DesignerNode;
  });
}

/** What React Flow knows of a node: its measured size and the bounds of its handles. */
export interface MeasuredNode {
  measured?: { width?: number; height?: number };
  internals: { handleBounds?: { source?: NodeHandle[] | null; target?: NodeHandle[] | null } };
}

const tenth = (v: number) => Math.round(v * 10) / 10;

/** The shapes of every measured node, as React Flow knows them. */
export function measuredShapes(
  nodes: readonly DesignerNode[],
  internal: (id: string) => MeasuredNode | undefined,
): Array<{ id: string; type: string; shape: NodeShape }> {
  const out: Array<{ id: string; type: string; shape: NodeShape }> = [];
  for (const n of nodes) {
    if (n.hidden) continue;
    const node = internal(n.id);
    const bounds = node?.internals.handleBounds;
    const width = node?.measured?.width;
    const height = node?.measured?.height;
    if (!bounds || !width || !height) continue;
    const handles = [...(bounds.target ?? []), ...(bounds.source ?? [])].map((h) => ({
      id: h.id ?? null,
      type: h.type,
      position: h.position,
      x: tenth(h.x),
      y: tenth(h.y),
      width: tenth(h.width ?? 1),
      height: tenth(h.height ?? 1),
    }));
    out.push({ id: n.id, type: typeOf(n), shape: { width: tenth(width), height: tenth(height), handles } });
  }
  return out;
}

// Kept in the browser (localStorage), per project, for the last PROJECTS projects whose shapes were recorded.
const PREFIX = 'designer-node-shapes:';
const TYPES_KEY = 'designer-node-shapes-by-type';
const INDEX_KEY = 'designer-node-shapes-projects';
const PROJECTS = 20;

function readJson<T>(key: string): T | undefined {
  try {
    const raw = window.localStorage?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    // A full or disabled storage, or an entry of another version: the nodes are measured as they are drawn.
    return undefined;
  }
}

/** Gives the nodes of a project being opened the shapes recorded for them (see withShapes). */
export function withRecordedShapes(projectId: string, nodes: DesignerNode[]): DesignerNode[] {
  const book = readJson<ShapeBook>(PREFIX + projectId);
  const byType = readJson<Record<string, NodeShape>>(TYPES_KEY) ?? {};
  return withShapes(
    nodes,
    book && typeof book.nodes === 'object' && Array.isArray(book.shapes) ? book : undefined,
    byType,
  );
}

let lastWritten = '';

/** Records the shapes of a project's measured nodes (kept for the next opening). */
export function recordShapes(
  projectId: string,
  nodes: readonly DesignerNode[],
  internal: (id: string) => MeasuredNode | undefined,
): void {
  const entries = measuredShapes(nodes, internal);
  if (entries.length === 0) return;
  const book = shapeBook(entries);
  const text = JSON.stringify(book);
  // Per project: two projects made from one template can have the same node ids and shapes.
  const written = `${projectId}\n${text}`;
  if (written === lastWritten) return;
  const types = Object.fromEntries(entries.map((e) => [e.id, e.type]));
  try {
    const storage = window.localStorage;
    if (!storage) return;
    storage.setItem(PREFIX + projectId, text);
    storage.setItem(TYPES_KEY, JSON.stringify({ ...readJson(TYPES_KEY), ...commonShapes(book, types) }));
    const index = [projectId, ...(readJson<string[]>(INDEX_KEY) ?? []).filter((id) => id !== projectId)];
    for (const old of index.slice(PROJECTS)) storage.removeItem(PREFIX + old);
    storage.setItem(INDEX_KEY, JSON.stringify(index.slice(0, PROJECTS)));
    lastWritten = written;
  } catch {
    // Storage full or disabled: the next opening measures the nodes as they are drawn, as without it.
  }
}
