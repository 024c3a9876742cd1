// ELK layout with groups kept together: each group is a compound node (elkjs hierarchy, edges across it with
// INCLUDE_CHILDREN); a collapsed group is one box whose members move with it, keeping their places inside.
import { collapsedEdgeEnds } from '@designer/shared';
import { elkInstance, LAYOUT_OPTIONS } from './layout';
import type { DesignerEdge, DesignerGroup, DesignerNode } from '../store/graph-ops';
import { COLLAPSED_SIZE, FRAME_PADDING, framesOf } from '../groups/group-view';

const size = (n: DesignerNode) => ({ width: n.measured?.width ?? 240, height: n.measured?.height ?? 76 });
const PADDING = `[top=${FRAME_PADDING.top},left=${FRAME_PADDING.side},bottom=${FRAME_PADDING.bottom},right=${FRAME_PADDING.side}]`;

export async function layoutWithGroups(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  groups: readonly DesignerGroup[],
): Promise<Record<string, { x: number; y: number }>> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const grouped = new Set(groups.flatMap((g) => g.members));
  const frames = framesOf(nodes, groups);
  const children = [
    ...nodes.filter((n) => !grouped.has(n.id)).map((n) => ({ id: n.id, ...size(n) })),
    ...groups
      .filter((g) => frames.has(g.id))
      .map((g) =>
        g.collapsed
          ? { id: g.id, ...COLLAPSED_SIZE }
          : {
              id: g.id,
              layoutOptions: { 'elk.padding': PADDING },
              children: g.members.filter((m) => byId.has(m)).map((m) => ({ id: m, ...size(byId.get(m)!) })),
            },
      ),
  ];
  const ends = collapsedEdgeEnds(edges, groups);
  const elkEdges = edges.flatMap((e) => {
    const end = ends.get(e.id);
    if (end?.hidden) return [];
    return [{ id: e.id, sources: [end?.source ?? e.source], targets: [end?.target ?? e.target] }];
  });
  const result = await elkInstance().layout({
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' },
    children,
    edges: elkEdges,
  });
  const positions: Record<string, { x: number; y: number }> = {};
  const groupById = new Map(groups.map((g) => [g.id, g]));
  for (const child of result.children ?? []) {
    const x = child.x ?? 0;
    const y = child.y ?? 0;
    const group = groupById.get(child.id);
    if (!group) positions[child.id] = { x, y };
    else if (group.collapsed) {
      // The box lands at (x, y): the members keep their places relative to the frame they would have.
      const frame = frames.get(group.id)!;
      for (const m of group.members) {
        const n = byId.get(m);
        if (n) positions[m] = { x: n.position.x + x - frame.x, y: n.position.y + y - frame.y };
      }
    } else for (const c of child.children ?? []) positions[c.id] = { x: x + (c.x ?? 0), y: y + (c.y ?? 0) };
  }
  return positions;
}
