// Graphs and checks shared by the layout tests (layout.test.ts, group-layout.test.ts).
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ELK as Elk } from 'elkjs/lib/elk-api';
import { acyclicLinks } from '@designer/shared';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';

/** ELK in-process (no worker), as the tests run in Node. */
export const engine = () => new (ELK as unknown as new () => Elk)();

/** The bench's graph (bench/store.ts): edges from a lower to a higher index, at most 50 apart, so acyclic. */
export function benchGraph(nodeCount: number, edgeCount: number) {
  const nodes = Array.from({ length: nodeCount }, (_, i): DesignerNode => ({
    id: `n${i}`,
    type: 'component',
    position: { x: (i % 40) * 260, y: Math.floor(i / 40) * 140 },
    data: { label: `asset_${i}`, component_type: 'dagster.PythonScriptComponent', attributes: {} },
  }));
  const edges = acyclicLinks(nodeCount, edgeCount, 42).map(([a, b]): DesignerEdge => ({
    id: `e${a}-${b}`,
    source: `n${a}`,
    target: `n${b}`,
  }));
  return { nodes, edges };
}

type Rect = { x: number; y: number; width: number; height: number };

/** Pairs of rectangles that overlap (a sweep along x). */
export function overlaps(rects: ReadonlyArray<Rect & { id: string }>): string[] {
  const sorted = [...rects].sort((a, b) => a.x - b.x);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i += 1)
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < sorted[i]!.x + sorted[i]!.width; j += 1) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.y < b.y + b.height && b.y < a.y + a.height) out.push(`${a.id} × ${b.id}`);
    }
  return out;
}
