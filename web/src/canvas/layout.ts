// Asks the layout worker for node positions.
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import type { LayoutRequest } from './layout.worker';

const DEFAULT_SIZE = { width: 240, height: 76 };
let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (p: Record<string, { x: number; y: number }>) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ id: number; positions?: Record<string, { x: number; y: number }>; error?: string }>) => {
      const job = pending.get(event.data.id);
      if (!job) return;
      pending.delete(event.data.id);
      if (event.data.positions) job.resolve(event.data.positions);
      else job.reject(new Error(event.data.error ?? 'layout failed'));
    };
  }
  return worker;
}

export function layoutGraph(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[]): Promise<Record<string, { x: number; y: number }>> {
  nextId += 1;
  const request: LayoutRequest = {
    id: nextId,
    nodes: nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? DEFAULT_SIZE.width, height: n.measured?.height ?? DEFAULT_SIZE.height })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
  };
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject });
    getWorker().postMessage(request);
  });
}
