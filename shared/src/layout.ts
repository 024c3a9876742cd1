// POST /api/layout: the canvas's ELK layouts run on the server (services/layout.ts), where ELK stays warm for as
// long as the server runs. The request is an ELK graph three levels deep at most (a root, its children, theirs),
// with only the layout options the canvas uses; the answer has each node's place and size, nothing else.
import { Type, type Static } from '@sinclair/typebox';

const Closed = { additionalProperties: false } as const;

/** Nodes (at every level) and edges one layout may have. */
export const MAX_LAYOUT_NODES = 20_000;
export const MAX_LAYOUT_EDGES = 50_000;

const Spacing = Type.String({ pattern: '^[0-9]{1,4}$' });
const OneOf = (...values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Flag = OneOf('true', 'false');

/** The ELK options a layout may set, and their values (each a string, as ELK takes them). */
export const LayoutOptions = Type.Object(
  {
    'elk.algorithm': Type.Optional(OneOf('layered', 'fixed')),
    'elk.direction': Type.Optional(OneOf('RIGHT', 'DOWN', 'LEFT', 'UP')),
    'elk.layered.spacing.nodeNodeBetweenLayers': Type.Optional(Spacing),
    'elk.spacing.nodeNode': Type.Optional(Spacing),
    'elk.spacing.componentComponent': Type.Optional(Spacing),
    'elk.layered.nodePlacement.strategy': Type.Optional(
      OneOf('BRANDES_KOEPF', 'SIMPLE', 'LINEAR_SEGMENTS', 'NETWORK_SIMPLEX'),
    ),
    'elk.separateConnectedComponents': Type.Optional(Flag),
    'elk.omitNodeMicroLayout': Type.Optional(Flag),
    'elk.layered.thoroughness': Type.Optional(Type.String({ pattern: '^([1-9]|10)$' })),
    'elk.layered.crossingMinimization.greedySwitch.type': Type.Optional(
      OneOf('OFF', 'ONE_SIDED', 'TWO_SIDED'),
    ),
    'elk.edgeRouting': Type.Optional(OneOf('POLYLINE', 'ORTHOGONAL', 'SPLINES')),
    'elk.hierarchyHandling': Type.Optional(OneOf('INCLUDE_CHILDREN', 'SEPARATE_CHILDREN', 'INHERIT')),
    'elk.padding': Type.Optional(
      Type.String({ pattern: '^\\[top=[0-9]{1,4},left=[0-9]{1,4},bottom=[0-9]{1,4},right=[0-9]{1,4}\\]$' }),
    ),
  },
  Closed,
);
export type LayoutOptions = Static<typeof LayoutOptions>;

const LayoutId = Type.String({ minLength: 1, maxLength: 2048 });
const Size = Type.Number({ minimum: 0, maximum: 100_000 });
const Ends = Type.Array(LayoutId, { minItems: 1, maxItems: 1 });

export const LayoutEdge = Type.Object({ id: LayoutId, sources: Ends, targets: Ends }, Closed);

/** A node with no children of its own: a box of a given size. */
export const LayoutLeaf = Type.Object({ id: LayoutId, width: Size, height: Size }, Closed);

/** A root's child: a box, or a group of boxes (its size then comes from them) with the edges among them. */
export const LayoutChild = Type.Object(
  {
    id: LayoutId,
    width: Type.Optional(Size),
    height: Type.Optional(Size),
    layoutOptions: Type.Optional(LayoutOptions),
    children: Type.Optional(Type.Array(LayoutLeaf, { maxItems: MAX_LAYOUT_NODES })),
    edges: Type.Optional(Type.Array(LayoutEdge, { maxItems: MAX_LAYOUT_EDGES })),
  },
  Closed,
);

export const LayoutGraph = Type.Object(
  {
    id: LayoutId,
    layoutOptions: Type.Optional(LayoutOptions),
    children: Type.Array(LayoutChild, { maxItems: MAX_LAYOUT_NODES }),
    edges: Type.Optional(Type.Array(LayoutEdge, { maxItems: MAX_LAYOUT_EDGES })),
  },
  Closed,
);
export type LayoutGraph = Static<typeof LayoutGraph>;

const Place = { x: Type.Number(), y: Type.Number(), width: Type.Number(), height: Type.Number() };
export const LaidOutLeaf = Type.Object({ id: Type.String(), ...Place });
export const LaidOutChild = Type.Object({
  id: Type.String(),
  ...Place,
  children: Type.Optional(Type.Array(LaidOutLeaf)),
});
/** The answer: the root's size and every node's place (relative to its parent) and size. */
export const LaidOutGraph = Type.Object({
  id: Type.String(),
  width: Type.Number(),
  height: Type.Number(),
  children: Type.Array(LaidOutChild),
});
export type LaidOutGraph = Static<typeof LaidOutGraph>;

/** The gaps the canvas leaves between layers and between the parts of a layout. */
export const LAYOUT_SPACING = { layerGap: 90, gap: 60 };

/** Small graphs: ELK's nicest settings (Brandes–Köpf placement, orthogonal routing, thorough crossing minimisation). */
export const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYOUT_SPACING.layerGap),
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': String(LAYOUT_SPACING.gap),
  // Our nodes have no ELK labels or ports to place: skipping the per-node micro layout saved 10-15 % of a
  // 1,000-node layout (ELK's own execution-time log), with the same positions.
  'elk.omitNodeMicroLayout': 'true',
} satisfies LayoutOptions;

/**
 * From this many nodes on, the fast settings (a 1,000-node graph in about half the time): one crossing-minimisation
 * pass and no greedy switch after it; nodes centred in their layer (Brandes–Köpf spread the bench graph over
 * 31,764 × 24,950 px, this keeps it within 15,461 × 4,422 px with shorter edges); polyline routing, since React Flow
 * draws its own edges and ELK's orthogonal routes only widen the gaps between layers. The canvas lays chains out
 * without ELK (web/src/canvas/chains.ts).
 */
export const LARGE_GRAPH = 150;
const FAST_OPTIONS = {
  ...LAYOUT_OPTIONS,
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.edgeRouting': 'POLYLINE',
} satisfies LayoutOptions;

export function layoutOptionsFor(nodeCount: number): LayoutOptions {
  return nodeCount >= LARGE_GRAPH ? FAST_OPTIONS : LAYOUT_OPTIONS;
}

/** How many nodes and edges a layout request holds, at every level. */
export function layoutSize(graph: LayoutGraph): { nodes: number; edges: number } {
  let nodes = graph.children.length;
  let edges = graph.edges?.length ?? 0;
  for (const child of graph.children) {
    nodes += child.children?.length ?? 0;
    edges += child.edges?.length ?? 0;
  }
  return { nodes, edges };
}

/**
 * `edgeCount` distinct links [from, to] between node indices `0..nodeCount-1`, each from a lower to a higher index
 * at most 50 apart, so the graph is acyclic; the same links for the same seed (the benchmarks' graph, the layout
 * tests' graphs and the server's ELK warm-up).
 */
export function acyclicLinks(nodeCount: number, edgeCount: number, seed: number): Array<[number, number]> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const seen = new Set<string>();
  const links: Array<[number, number]> = [];
  while (links.length < edgeCount) {
    const a = Math.floor(random() * (nodeCount - 1));
    const b = a + 1 + Math.floor(random() * Math.min(50, nodeCount - a - 1));
    if (seen.has(`${a}-${b}`)) continue;
    seen.add(`${a}-${b}`);
    links.push([a, b]);
  }
  return links;
}
