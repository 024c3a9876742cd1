// ELK layout with groups kept together; a collapsed group is one box whose members move with it, keeping their
// places inside. A small project: each group a compound node, edges across with INCLUDE_CHILDREN (members line up
// with what they connect to). From LARGE_GRAPH nodes on, that took 5-15 s for 50 groups of 10 among 1,000 nodes,
// so each group's inside is laid out on its own (all in one call), then the groups as boxes with the other nodes.
import { collapsedEdgeEnds, LARGE_GRAPH, LAYOUT_OPTIONS } from '@designer/shared';
import { layoutParts, type LayoutPart } from './layout';
import { serverLayout, type LayoutEngine } from './layout-actions';
import type { DesignerEdge, DesignerGroup, DesignerNode } from '../store/graph-ops';
import { COLLAPSED_SIZE, FRAME_PADDING, framesOf, type Frame } from '../groups/group-view';

type Positions = Record<string, { x: number; y: number }>;

const size = (n: DesignerNode) => ({ width: n.measured?.width ?? 240, height: n.measured?.height ?? 76 });
const PADDING = `[top=${FRAME_PADDING.top},left=${FRAME_PADDING.side},bottom=${FRAME_PADDING.bottom},right=${FRAME_PADDING.side}]`;

export async function layoutWithGroups(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  groups: readonly DesignerGroup[],
  engine: LayoutEngine = serverLayout,
): Promise<Positions> {
  const frames = framesOf(nodes, groups);
  const shown = groups.filter((g) => frames.has(g.id));
  return nodes.length >= LARGE_GRAPH
    ? groupsAsBoxes(nodes, edges, shown, frames, engine)
    : compoundLayout(nodes, edges, shown, frames, engine);
}

/** A collapsed box landed at (x, y): its members keep their places relative to the frame they would have. */
function moveCollapsed(
  group: DesignerGroup,
  frame: Frame,
  at: { x: number; y: number },
  byId: ReadonlyMap<string, DesignerNode>,
  positions: Positions,
) {
  for (const m of group.members) {
    const n = byId.get(m);
    if (n) positions[m] = { x: n.position.x + at.x - frame.x, y: n.position.y + at.y - frame.y };
  }
}

async function compoundLayout(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  groups: readonly DesignerGroup[],
  frames: ReadonlyMap<string, Frame>,
  engine: LayoutEngine,
): Promise<Positions> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const grouped = new Set(groups.flatMap((g) => g.members));
  const children = [
    ...nodes.filter((n) => !grouped.has(n.id)).map((n) => ({ id: n.id, ...size(n) })),
    ...groups.map((g) =>
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
  const result = await engine.layout({
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' },
    children,
    edges: elkEdges,
  });
  const positions: Positions = {};
  const groupById = new Map(groups.map((g) => [g.id, g]));
  for (const child of result.children ?? []) {
    const x = child.x ?? 0;
    const y = child.y ?? 0;
    const group = groupById.get(child.id);
    if (!group) positions[child.id] = { x, y };
    else if (group.collapsed) moveCollapsed(group, frames.get(group.id)!, { x, y }, byId, positions);
    else for (const c of child.children ?? []) positions[c.id] = { x: x + (c.x ?? 0), y: y + (c.y ?? 0) };
  }
  return positions;
}

async function groupsAsBoxes(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  groups: readonly DesignerGroup[],
  frames: ReadonlyMap<string, Frame>,
  engine: LayoutEngine,
): Promise<Positions> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const owner = new Map<string, string>();
  for (const g of groups) for (const m of g.members) if (byId.has(m) && !owner.has(m)) owner.set(m, g.id);
  const top = (id: string) => owner.get(id) ?? id;
  // Edges inside one group stay inside it; the others join the boxes they end at (once per pair of boxes).
  const inside = new Map<string, LayoutPart['links']>();
  const across: LayoutPart['links'] = [];
  const pairs = new Set<string>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const source = top(e.source);
    const target = top(e.target);
    if (source === target) {
      const list = inside.get(source);
      if (list) list.push(e);
      else if (owner.has(e.source)) inside.set(source, [e]);
      continue;
    }
    const pair = `${source}\u0000${target}`;
    if (pairs.has(pair)) continue;
    pairs.add(pair);
    across.push({ id: e.id, source, target });
  }
  const expanded = groups.filter((g) => !g.collapsed);
  const insides = await layoutParts(
    expanded.map((g) => ({
      id: g.id,
      boxes: g.members.filter((m) => owner.get(m) === g.id).map((m) => ({ id: m, ...size(byId.get(m)!) })),
      links: inside.get(g.id) ?? [],
      splitChains: true,
    })),
    engine,
  );
  const boxes = [
    ...nodes.filter((n) => !owner.has(n.id)).map((n) => ({ id: n.id, ...size(n) })),
    ...groups.map((g) => {
      const inner = insides.get(g.id);
      return inner
        ? {
            id: g.id,
            width: inner.width + 2 * FRAME_PADDING.side,
            height: inner.height + FRAME_PADDING.top + FRAME_PADDING.bottom,
          }
        : { id: g.id, ...COLLAPSED_SIZE };
    }),
  ];
  const laid = (await layoutParts([{ id: 'top', boxes, links: across, splitChains: true }], engine)).get(
    'top',
  )!;
  const positions: Positions = {};
  const groupById = new Map(groups.map((g) => [g.id, g]));
  for (const [id, at] of laid.positions) {
    const group = groupById.get(id);
    if (!group) positions[id] = at;
    else if (group.collapsed) moveCollapsed(group, frames.get(id)!, at, byId, positions);
    else
      for (const [m, p] of insides.get(id)!.positions)
        positions[m] = { x: at.x + FRAME_PADDING.side + p.x, y: at.y + FRAME_PADDING.top + p.y };
  }
  return positions;
}
