// Auto-layout with ELK (layered, left → right). ELK runs in its own Web Worker (elk-worker.min.js),
// so tidying 1000 nodes never blocks the canvas.
import * as elkApi from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';

type ElkConstructor = new (options: { workerFactory: () => Worker }) => import('elkjs/lib/elk-api').ELK;
// elkjs is CommonJS: depending on the bundler's interop the class is the module or its default.
const ElkClass = ((elkApi as unknown as { default?: ElkConstructor }).default ??
  elkApi) as unknown as ElkConstructor;

const DEFAULT_SIZE = { width: 240, height: 76 };
export const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '60',
  // Fewer crossing-minimisation sweeps: the same readable result on pipelines, in a fraction of the time.
  'elk.layered.crossingMinimization.thoroughness': '3',
  // Our nodes have no ELK labels or ports to place: skipping the per-node micro layout saved 10-15 % of a
  // 1,000-node layout (ELK's own execution-time log), with the same positions.
  'elk.omitNodeMicroLayout': 'true',
};

let elk: import('elkjs/lib/elk-api').ELK | null = null;

/** The one ELK worker, started on first use and reused (group-layout.ts lays out with it too). */
export function elkInstance(): import('elkjs/lib/elk-api').ELK {
  elk ??= new ElkClass({ workerFactory: () => new Worker(elkWorkerUrl) });
  return elk;
}

/**
 * Starts the worker before the first Tidy up and lays out a small graph in it, so the first real layout neither
 * waits for the worker's 1.6 MB script nor runs ELK's code cold (the first layout of a session was 2–3× the next).
 * Called once a project with nodes has opened, when the page is idle.
 */
let warmed: Promise<void> | null = null;
export function warmLayout(): Promise<void> {
  warmed ??= (async () => {
    const n = 120;
    const ids = Array.from({ length: n }, (_, i) => `w${i}`);
    await elkInstance()
      .layout({
        id: 'root',
        layoutOptions: LAYOUT_OPTIONS,
        children: ids.map((id) => ({ id, ...DEFAULT_SIZE })),
        edges: ids.slice(1).map((id, i) => ({
          id: `e${i}`,
          sources: [ids[Math.floor(i / 2)]!],
          targets: [id],
        })),
      })
      .then(
        () => undefined,
        () => undefined,
      );
  })();
  return warmed;
}

export async function layoutGraph(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
): Promise<Record<string, { x: number; y: number }>> {
  const result = await elkInstance().layout({
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((n) => ({
      id: n.id,
      width: n.measured?.width ?? DEFAULT_SIZE.width,
      height: n.measured?.height ?? DEFAULT_SIZE.height,
    })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions: Record<string, { x: number; y: number }> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
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
  elk ??= new ElkClass({ workerFactory: () => new Worker(elkWorkerUrl) });
  const result = await elk.layout({
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
