// Auto-layout with ELK (layered, left → right). ELK runs in its own Web Worker (elk-worker.min.js),
// so tidying 1000 nodes never blocks the canvas.
import * as elkApi from 'elkjs/lib/elk-api.js';
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { designerStore } from '../store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { packChains, splitChains, type Box, type Link, type Placed } from './chains';

type ElkConstructor = new (options: { workerFactory: () => Worker }) => ELK;
// elkjs is CommonJS: depending on the bundler's interop the class is the module or its default.
const ElkClass = ((elkApi as unknown as { default?: ElkConstructor }).default ??
  elkApi) as unknown as ElkConstructor;

const DEFAULT_SIZE = { width: 240, height: 76 };
const SPACING = { layerGap: 90, gap: 60 };

/** Small graphs: ELK's nicest settings (Brandes–Köpf placement, orthogonal routing, thorough crossing minimisation). */
export const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(SPACING.layerGap),
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': String(SPACING.gap),
  // Our nodes have no ELK labels or ports to place: skipping the per-node micro layout saved 10-15 % of a
  // 1,000-node layout (ELK's own execution-time log), with the same positions.
  'elk.omitNodeMicroLayout': 'true',
};

/**
 * From this many nodes on, the fast settings (a 1,000-node graph in about half the time, in Node and in the
 * browser's worker): one crossing-minimisation pass and no greedy switch after it; nodes centred in their layer
 * (Brandes–Köpf spread the bench graph over 31,764 × 24,950 px, this keeps it within 15,461 × 4,422 px with
 * shorter edges); polyline routing, since React Flow draws its own edges and ELK's orthogonal routes only widen
 * the gaps between layers. Chains are laid out without ELK (chains.ts).
 */
export const LARGE_GRAPH = 150;
const FAST_OPTIONS = {
  ...LAYOUT_OPTIONS,
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.edgeRouting': 'POLYLINE',
};

export function layoutOptionsFor(nodeCount: number): Record<string, string> {
  return nodeCount >= LARGE_GRAPH ? FAST_OPTIONS : LAYOUT_OPTIONS;
}

let elk: ELK | null = null;
/** Layouts asked of the worker and not answered yet (the warm-up's included). */
let inFlight = 0;

/** The one ELK worker, started on first use and reused (group-layout.ts lays out with it too). */
export function elkInstance(): ELK {
  if (elk) return elk;
  const created = new ElkClass({ workerFactory: () => new Worker(elkWorkerUrl) });
  const layout = created.layout.bind(created);
  created.layout = ((graph, args) => {
    inFlight += 1;
    return layout(graph, args).finally(() => (inFlight -= 1));
  }) as ELK['layout'];
  elk = created;
  return elk;
}

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
  engine: ELK = elkInstance(),
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
    const rows = packChains(chains, SPACING, laid ? height + SPACING.gap : 0, width);
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
  engine: ELK = elkInstance(),
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

/**
 * What the warm-up lays out: the first half of the graph (never fewer than LARGE_GRAPH nodes, so that it runs the
 * same fast settings as a Tidy up), with the edges inside it. In the browser (bench graph, thread CPU, two runs
 * each at load 10) that cost 0.95-1.05 s of CPU (the worker and V8's compiler threads) where the whole graph cost
 * 1.4-1.5 s, and the first Tidy up's worker then used 370 ms instead of 330 ms.
 */
export function warmupGraph<N extends { id: string }, E extends { source: string; target: string }>(
  nodes: readonly N[],
  edges: readonly E[],
): { nodes: N[]; edges: E[] } {
  const some = nodes.slice(0, Math.max(LARGE_GRAPH, Math.ceil(nodes.length / 2)));
  const ids = new Set(some.map((n) => n.id));
  return { nodes: some, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/**
 * Lays out (part of) the open project's graph once in the worker, its result dropped, so the first Tidy up neither
 * waits for the worker's 1.6 MB script nor runs ELK's code cold: V8 optimises it only while it runs on a large
 * graph (a first 1,000-node layout took 2-3× the next even after a small warm-up graph). Started by
 * layout-warmup.ts when the page is idle and no gesture is under way; groups aside, it runs the same code as a
 * Tidy up.
 */
let warmed: Promise<void> | null = null;
let warming = false;
export function warmLayout(): Promise<void> {
  if (warmed) return warmed;
  // A Tidy up has started the worker already: it warms it up as well as this would.
  if (elk) return (warmed = Promise.resolve());
  const state = designerStore.getState();
  const { nodes, edges } = warmupGraph(state.nodes, state.edges);
  warming = true;
  const run = layoutGraph(nodes, edges).then(
    () => undefined,
    () => undefined,
  );
  warmed = run;
  void run.then(() => {
    if (warmed === run) warming = false;
  });
  return run;
}

/**
 * A gesture began while the warm-up is the only thing the worker runs: the worker is stopped, so that on a
 * machine with few cores it does not take CPU from the gesture's frames, and the warm-up may run again later
 * (true). A Tidy up already asked of the worker is never dropped (false).
 */
export function abandonWarmup(): boolean {
  if (!warming || inFlight !== 1 || !elk) return false;
  elk.terminateWorker();
  elk = null;
  inFlight = 0;
  warmed = null;
  warming = false;
  return true;
}

/** Whether the warm-up has run to its end. */
export const warmupDone = () => warmed !== null && !warming;

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
  const result = await elkInstance().layout({
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
