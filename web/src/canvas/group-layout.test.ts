// Layout with groups, with the real ELK in-process: each group stays together in a frame no other node or frame
// overlaps, edges between boxes point right, a collapsed group's members move with its box.
import { GROUP_COLORS, LARGE_GRAPH } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import type { DesignerEdge, DesignerGroup, DesignerNode } from '../store/graph-ops';
import { COLLAPSED_SIZE, framesOf } from '../groups/group-view';
import { layoutWithGroups } from './group-layout';
import { benchGraph, engine, overlaps } from './layout-test-graphs';

/** The canvas bench's groups: `count` groups of 10 consecutive nodes, every `collapsedEvery`th one collapsed. */
function groupsOf(count: number, stride: number, collapsedEvery: number): DesignerGroup[] {
  return Array.from({ length: count }, (_, g) => ({
    id: `group_${g}`,
    name: `Group ${g}`,
    color: GROUP_COLORS[g % GROUP_COLORS.length]!,
    members: Array.from({ length: 10 }, (_, i) => `n${g * stride + i}`),
    ...(g % collapsedEvery === collapsedEvery - 1 ? { collapsed: true } : {}),
  }));
}

async function check(nodes: DesignerNode[], edges: DesignerEdge[], groups: DesignerGroup[]) {
  const positions = await layoutWithGroups(nodes, edges, groups, engine());
  expect(Object.keys(positions).sort()).toEqual(nodes.map((n) => n.id).sort());
  const moved = nodes.map((n) => ({ ...n, position: positions[n.id]! }));
  const frames = framesOf(moved, groups);
  const owner = new Map(groups.flatMap((g) => g.members.map((m) => [m, g] as const)));
  // What the canvas draws at the top level: frames, collapsed boxes (at their frame's top-left), other nodes.
  const boxes = [
    ...moved
      .filter((n) => !owner.has(n.id))
      .map((n) => ({ id: n.id, ...n.position, width: 240, height: 76 })),
    ...groups.map((g) => ({ id: g.id, ...frames.get(g.id)!, ...(g.collapsed ? COLLAPSED_SIZE : {}) })),
  ];
  expect(overlaps(boxes)).toEqual([]);
  // Inside an expanded frame, members do not overlap either.
  for (const g of groups.filter((g) => !g.collapsed)) {
    const inside = g.members.map((m) => ({ id: m, ...positions[m]!, width: 240, height: 76 }));
    expect(overlaps(inside)).toEqual([]);
  }
  // A collapsed group's members keep their places relative to each other.
  const before = new Map(nodes.map((n) => [n.id, n.position]));
  for (const g of groups.filter((g) => g.collapsed)) {
    const [first, ...others] = g.members;
    const dx = positions[first!]!.x - before.get(first!)!.x;
    const dy = positions[first!]!.y - before.get(first!)!.y;
    for (const m of others)
      expect(positions[m]).toEqual({ x: before.get(m)!.x + dx, y: before.get(m)!.y + dy });
  }
  // Edges between different boxes point right (these groups are runs of consecutive nodes, so no cycle of boxes).
  const box = new Map(boxes.map((b) => [b.id, b]));
  const topOf = (id: string) => box.get(owner.get(id)?.id ?? id)!;
  const backwards = edges.filter((e) => {
    const [s, t] = [topOf(e.source), topOf(e.target)];
    return s !== t && t.x < s.x + s.width;
  });
  expect(backwards.map((e) => e.id)).toEqual([]);
}

describe('layoutWithGroups', () => {
  it('lays out 1,000 nodes in 50 groups of 10 (10 collapsed) as boxes', async () => {
    const { nodes, edges } = benchGraph(1000, 1000);
    await check(nodes, edges, groupsOf(50, 20, 5));
  }, 60_000);

  it('lays out a small project with groups as ELK compound nodes', async () => {
    const { nodes, edges } = benchGraph(LARGE_GRAPH - 30, LARGE_GRAPH);
    await check(nodes, edges, groupsOf(5, 20, 3));
  }, 60_000);
});
