// Auto-layout with ELK (layered, left → right). ELK runs on the server (POST /api/layout, server/src/services/
// layout.ts), in a thread warmed up when the server starts, so tidying 1,000 nodes never blocks the canvas, the
// first Tidy up is as quick as the next, and no warm-up takes a core from the user's first gestures.
import { LARGE_GRAPH, LAYOUT_OPTIONS, LAYOUT_SPACING, layoutOptionsFor } from '@designer/shared';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { packChains, splitChains, type Box, type Link, type Placed } from './chains';
import { serverLayout, type LayoutEngine } from './layout-actions';

const DEFAULT_SIZE = { width: 240, height: 76 };

/** A graph to lay out on its own: boxes and the links between them. */
export interface LayoutPart {
  id: string;
  boxes: Box[];
  links: Link[];
  /** Lay its chains out without ELK (a large project: the per-component cost adds up). */
  splitChains: boolean;
}

/**
 * Lays out several graphs in one call to the worker (a group's inside, say), each independently: positions from
 * (0, 0) and the size each takes.
 */
export async function layoutParts(
  parts: readonly LayoutPart[],
  engine: LayoutEngine = serverLayout,
): Promise<Map<string, Placed>> {
  const split = parts.map((part) =>
    part.splitChains
      ? splitChains(part.boxes, part.links)
      : { chains: [], rest: part.boxes, restLinks: part.links },
  );
  // ELK ids are global: the parts get ids no node has.
  const partId = (i: number) => `\u0000part${i}`;
  const children: ElkNode[] = [];
  parts.forEach((part, i) => {
    const { rest, restLinks } = split[i]!;
    if (rest.length === 0) return;
    children.push({
      id: partId(i),
      layoutOptions: {
        ...layoutOptionsFor(part.boxes.length),
        'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      },
      children: rest.map((b) => ({ ...b })),
      edges: restLinks.map((l) => ({ id: l.id, sources: [l.source], targets: [l.target] })),
    });
  });
  // The root only holds the parts ('fixed' leaves them where they are): each is laid out on its own.
  const result = children.length
    ? await engine.layout({ id: '\u0000parts', layoutOptions: { 'elk.algorithm': 'fixed' }, children })
    : { children: [] };
  const byId = new Map((result.children ?? []).map((c) => [c.id, c]));
  const out = new Map<string, Placed>();
  for (const [i, part] of parts.entries()) {
    const laid = byId.get(partId(i));
    const positions = new Map<string, { x: number; y: number }>();
    for (const c of laid?.children ?? []) positions.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
    const width = laid?.width ?? 0;
    const height = laid?.height ?? 0;
    const { chains } = split[i]!;
    if (chains.length === 0) {
      out.set(part.id, { positions, width, height });
      continue;
    }
    // The chains' rows go below what ELK laid out.
    const rows = packChains(chains, LAYOUT_SPACING, laid ? height + LAYOUT_SPACING.gap : 0, width);
    for (const [id, p] of rows.positions) positions.set(id, p);
    out.set(part.id, { positions, width: Math.max(width, rows.width), height: rows.height });
  }
  return out;
}

const boxesOf = (nodes: readonly DesignerNode[]): Box[] =>
  nodes.map((n) => ({
    id: n.id,
    width: n.measured?.width ?? DEFAULT_SIZE.width,
    height: n.measured?.height ?? DEFAULT_SIZE.height,
  }));

export async function layoutGraph(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  engine: LayoutEngine = serverLayout,
): Promise<Record<string, { x: number; y: number }>> {
  const part: LayoutPart = {
    id: 'graph',
    boxes: boxesOf(nodes),
    links: edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    splitChains: nodes.length >= LARGE_GRAPH,
  };
  const placed = (await layoutParts([part], engine)).get(part.id)!;
  return Object.fromEntries(placed.positions);
}

export interface LayoutGroup {
  id: string;
  children: Array<{ id: string; width: number; height: number }>;
}

/** Layered layout of nodes inside groups (one group per component), edges across groups. */
export async function layoutGroups(
  groups: readonly LayoutGroup[],
  edges: ReadonlyArray<{ id: string; source: string; target: string }>,
): Promise<{
  groups: Record<string, { x: number; y: number; width: number; height: number }>;
  children: Record<string, { x: number; y: number }>;
}> {
  const result = await serverLayout.layout({
    id: 'root',
    layoutOptions: {
      ...LAYOUT_OPTIONS,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.padding': '[top=36,left=16,bottom=16,right=16]',
    },
    children: groups.map((g) => ({
      id: g.id,
      layoutOptions: { 'elk.padding': '[top=36,left=16,bottom=16,right=16]' },
      children: g.children.map((c) => ({ ...c })),
    })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = {
    groups: {} as Record<string, { x: number; y: number; width: number; height: number }>,
    children: {} as Record<string, { x: number; y: number }>,
  };
  for (const group of result.children ?? []) {
    out.groups[group.id] = {
      x: group.x ?? 0,
      y: group.y ?? 0,
      width: group.width ?? 200,
      height: group.height ?? 100,
    };
    for (const child of group.children ?? []) out.children[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  }
  return out;
}
