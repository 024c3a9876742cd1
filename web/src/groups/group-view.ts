// What React Flow draws for groups. The store keeps members with absolute positions and groups without one; here
// each group becomes a frame node (the members' bounding box plus padding, before its members in the array, as
// React Flow wants parents) and its members get `parentId` and a position relative to it, so dragging the frame
// moves them and they draw above it. A collapsed group is one box; its members are hidden and their edges end at
// the box. With no group, the store's arrays go through untouched (nothing costs anything at 1,000 nodes).
import { collapsedEdgeEnds, dagsterGroupName } from '@designer/shared';
import type { NodeChange, XYPosition } from '@xyflow/react';
import { useMemo, useRef } from 'react';
import { designerStore } from '../store';
import type { DesignerEdge, DesignerGroup, DesignerNode } from '../store/graph-ops';

export const FRAME_PADDING = { top: 40, side: 16, bottom: 16 };
export const COLLAPSED_SIZE = { width: 240, height: 64 };
const DEFAULT_NODE = { width: 240, height: 76 };

export interface Frame {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GroupNodeData extends Record<string, unknown> {
  group: DesignerGroup;
  dagsterName: string;
  /** Members the group holds (shown on a collapsed box). */
  count: number;
}

/** The frame around the members (expanded size, also where a collapsed box sits), or null without members. */
export function frameOf(members: readonly DesignerNode[]): Frame | null {
  if (members.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of members) {
    const w = n.measured?.width ?? DEFAULT_NODE.width;
    const h = n.measured?.height ?? DEFAULT_NODE.height;
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + w);
    maxY = Math.max(maxY, n.position.y + h);
  }
  return {
    x: minX - FRAME_PADDING.side,
    y: minY - FRAME_PADDING.top,
    width: maxX - minX + 2 * FRAME_PADDING.side,
    height: maxY - minY + FRAME_PADDING.top + FRAME_PADDING.bottom,
  };
}

/** Each group's frame, from the store's nodes. */
export function framesOf(
  nodes: readonly DesignerNode[],
  groups: readonly DesignerGroup[],
): Map<string, Frame> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const frames = new Map<string, Frame>();
  for (const g of groups) {
    const frame = frameOf(
      g.members.map((m) => byId.get(m)).filter((n): n is DesignerNode => n !== undefined),
    );
    if (frame) frames.set(g.id, frame);
  }
  return frames;
}

/**
 * The frame each group was last drawn with (React Flow's parent position): member positions come back relative to
 * it. While a member is dragged the frame only grows, so dragging the top-left member does not move the frame and
 * with it every sibling's relative position on each frame; it fits the members again when the drag ends.
 */
const shownFrames = new Map<string, Frame>();

function union(a: Frame, b: Frame): Frame {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

interface Cached<T> {
  key: string;
  source: unknown;
  copy: T;
}

/** The nodes and edges React Flow gets, with the groups drawn in. */
export function useGroupView(
  nodes: DesignerNode[],
  edges: DesignerEdge[],
  groups: DesignerGroup[],
): { nodes: DesignerNode[]; edges: DesignerEdge[] } {
  // Copies reused while their source and place stay the same, so React Flow only updates what moved.
  const nodeCopies = useRef(new Map<string, Cached<DesignerNode>>());
  const edgeCopies = useRef(new Map<string, Cached<DesignerEdge>>());
  const shownNodes = useMemo(() => {
    if (groups.length === 0) {
      nodeCopies.current.clear();
      return nodes;
    }
    const frames = framesOf(nodes, groups);
    const dragging = new Set(nodes.filter((n) => n.dragging).map((n) => n.id));
    if (dragging.size)
      for (const g of groups) {
        const shown = shownFrames.get(g.id);
        const frame = frames.get(g.id);
        if (shown && frame && g.members.some((m) => dragging.has(m))) frames.set(g.id, union(shown, frame));
      }
    shownFrames.clear();
    for (const [id, frame] of frames) shownFrames.set(id, frame);
    const frameNodes: DesignerNode[] = [];
    const parent = new Map<string, DesignerGroup>();
    for (const g of groups) {
      const frame = frames.get(g.id);
      if (!frame) continue;
      for (const m of g.members) parent.set(m, g);
      const size = g.collapsed ? COLLAPSED_SIZE : frame;
      const data: GroupNodeData = {
        group: g,
        dagsterName: dagsterGroupName(g.name),
        count: g.members.length,
      };
      const key = `${frame.x},${frame.y},${size.width},${size.height}`;
      const known = nodeCopies.current.get(g.id);
      if (known && known.source === g && known.key === key) {
        frameNodes.push(known.copy);
        continue;
      }
      // Not a DesignerNode (no component data): React Flow only needs its type, place and size. An expanded frame
      // (no handles) says its size is measured: React Flow would otherwise take each new copy (a frame growing on
      // every step of a member's drag) as unmeasured and observe and measure it again, one more update per step.
      // A collapsed box's handles carry edges, so React Flow measures it and them itself.
      const copy = {
        id: g.id,
        type: 'group',
        position: { x: frame.x, y: frame.y },
        width: size.width,
        height: size.height,
        ...(g.collapsed || !known ? {} : { measured: { width: size.width, height: size.height } }),
        selected: Boolean(g.selected),
        connectable: false,
        className: `group-frame group-${g.color}${g.collapsed ? ' collapsed' : ''}`,
        data,
      } as unknown as DesignerNode;
      nodeCopies.current.set(g.id, { key, source: g, copy });
      frameNodes.push(copy);
    }
    const shown = nodes.map((n) => {
      const g = parent.get(n.id);
      if (!g) return n;
      const frame = frames.get(g.id)!;
      const key = `${g.id},${frame.x},${frame.y},${g.collapsed ? 1 : 0}`;
      const known = nodeCopies.current.get(n.id);
      if (known && known.source === n && known.key === key) return known.copy;
      const copy: DesignerNode = {
        ...n,
        parentId: g.id,
        position: { x: n.position.x - frame.x, y: n.position.y - frame.y },
        hidden: Boolean(g.collapsed),
      };
      nodeCopies.current.set(n.id, { key, source: n, copy });
      return copy;
    });
    return [...frameNodes, ...shown];
  }, [nodes, groups]);
  // Edges only change with the edges or the groups (not on every drag frame of a node).
  const shownEdges = useMemo(() => {
    if (groups.length === 0) {
      edgeCopies.current.clear();
      return edges;
    }
    const ends = collapsedEdgeEnds(edges, groups);
    return ends.size === 0
      ? edges
      : edges.map((e) => {
          const end = ends.get(e.id);
          if (!end) return e;
          const key = `${end.source},${end.target},${end.hidden ? 1 : 0}`;
          const known = edgeCopies.current.get(e.id);
          if (known && known.source === e && known.key === key) return known.copy;
          const copy = { ...e, source: end.source, target: end.target, hidden: end.hidden };
          edgeCopies.current.set(e.id, { key, source: e, copy });
          return copy;
        });
  }, [edges, groups]);
  return useMemo(() => ({ nodes: shownNodes, edges: shownEdges }), [shownNodes, shownEdges]);
}

/**
 * React Flow's node changes, back in the store's terms: a frame's selection is the group's; a frame moved moves
 * its members by as much; a member's position comes relative to its frame and is stored absolute.
 */
export function applyGroupAwareNodeChanges(changes: NodeChange<DesignerNode>[]): void {
  const s = designerStore.getState();
  if (s.groups.length === 0) {
    s.onNodesChange(changes);
    return;
  }
  const groupIds = new Set(s.groups.map((g) => g.id));
  const fitted = framesOf(s.nodes, s.groups);
  const frames = new Map([...fitted].map(([id, f]) => [id, shownFrames.get(id) ?? f]));
  const parentOf = new Map<string, string>();
  for (const g of s.groups) for (const m of g.members) parentOf.set(m, g.id);
  const rest: NodeChange<DesignerNode>[] = [];
  const selected = new Map<string, boolean>();
  const shifts = new Map<string, XYPosition>();
  for (const c of changes) {
    if ('id' in c && groupIds.has(c.id)) {
      if (c.type === 'select') selected.set(c.id, c.selected);
      else if (c.type === 'position' && c.position) {
        const frame = frames.get(c.id);
        if (frame && (c.position.x !== frame.x || c.position.y !== frame.y))
          shifts.set(c.id, { x: c.position.x - frame.x, y: c.position.y - frame.y });
      }
      continue; // dimensions are the members' bounding box: nothing to keep
    }
    if (c.type === 'position' && c.position && parentOf.has(c.id)) {
      const frame = frames.get(parentOf.get(c.id)!);
      if (frame) {
        rest.push({ ...c, position: { x: c.position.x + frame.x, y: c.position.y + frame.y } });
        continue;
      }
    }
    rest.push(c);
  }
  if (rest.length) s.onNodesChange(rest);
  if (selected.size === 0 && shifts.size === 0) return;
  designerStore.setState((d) => {
    const moving = new Map<string, XYPosition>();
    for (const g of d.groups) {
      const shift = shifts.get(g.id);
      if (shift) for (const m of g.members) moving.set(m, shift);
    }
    return {
      groups: selected.size
        ? d.groups.map((g) =>
            selected.has(g.id) && Boolean(g.selected) !== selected.get(g.id)
              ? { ...g, selected: selected.get(g.id) }
              : g,
          )
        : d.groups,
      ...(moving.size
        ? {
            nodes: d.nodes.map((n) => {
              const shift = moving.get(n.id);
              return shift ? { ...n, position: { x: n.position.x + shift.x, y: n.position.y + shift.y } } : n;
            }),
            changeCount: d.changeCount + 1,
          }
        : {}),
    };
  });
}
