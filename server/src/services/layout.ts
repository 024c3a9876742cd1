// The canvas's ELK layouts (POST /api/layout), run in one worker thread that lives as long as the server: V8
// optimises ELK's code only while it runs on a large graph, so a browser's fresh worker laid the first 1,000 nodes
// out in 2-3× the time of the next, and warming it up took a core from the user's first gestures. Here the
// server warms ELK up once when it starts (main.ts), before anyone opens a project. One layout at a time, each
// with a time limit; a layout over it stops the thread (a new one starts for the next).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { acyclicLinks, layoutOptionsFor, type LaidOutGraph, type LayoutGraph } from '@designer/shared';
import { badRequest, unavailable } from '../errors.js';

const ELK_SCRIPT = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');

// The thread: ELK in-process (elk.bundled.js), its answer cut down to what the canvas reads (ids, places, sizes)
// before it is copied back. The thread holds ~40 MiB with ELK loaded and ~85 MiB after the warm-up. A full
// collection a second after each layout (V8's gc() through --expose-gc) brought that to ~65 MiB, but it also aged
// ELK's compiled code, which V8 then flushed: the canvas bench's next layouts took 1.1-2.1 s instead of 0.6-0.8 s.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const ELK = require(workerData.elk);
const elk = new ELK();
const place = (n, children) => {
  const out = { id: n.id, x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 };
  if (children && n.children) out.children = n.children.map((c) => place(c, false));
  return out;
};
parentPort.on('message', (graph) => {
  elk.layout(graph).then(
    (laid) => parentPort.postMessage({ laid: { id: laid.id, width: laid.width ?? 0, height: laid.height ?? 0,
      children: (laid.children ?? []).map((c) => place(c, true)) } }),
    (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
  );
});
`;

type Answer = { laid: LaidOutGraph } | { error: string };

export interface LayoutServiceOptions {
  /** A layout taking longer than this stops the thread (a 1,000-node graph takes 0.3-1 s). */
  timeoutMs?: number;
  /** The thread's heap limit. */
  heapMb?: number;
}

export class LayoutService {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private warming: Promise<void> | null = null;
  /** How long the last layouts took in the thread, in ms, oldest first (the benchmarks print them). */
  readonly durations: number[] = [];
  /** Layouts run so far (the warm-up's included). */
  count = 0;
  /** Threads started so far (a new one after a timeout or a crash). */
  threads = 0;

  constructor(options: LayoutServiceOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.heapMb = options.heapMb ?? 1024;
  }

  /** Lays `graph` out after the layouts asked before it (`timeoutMs`: this layout's own limit). */
  layout(graph: LayoutGraph, timeoutMs = this.timeoutMs): Promise<LaidOutGraph> {
    const run = this.queue.then(
      () => this.run(graph, timeoutMs),
      () => this.run(graph, timeoutMs),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the thread and lays out a graph the size of a large project three times, so that ELK's code is optimised
   * before the first Tidy up (the answer is dropped). Once per service; a failure only means a colder first layout.
   */
  warm(): Promise<void> {
    this.warming ??= (async () => {
      const graph = warmupGraph(600);
      for (let i = 0; i < 3; i += 1) await this.layout(graph);
    })().catch(() => undefined);
    return this.warming;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: { elk: ELK_SCRIPT },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    worker.unref();
    this.threads += 1;
    // A thread that died (out of memory, say) is replaced at the next layout.
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private run(graph: LayoutGraph, timeoutMs: number): Promise<LaidOutGraph> {
    const worker = this.thread();
    const started = performance.now();
    return new Promise<LaidOutGraph>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        this.count += 1;
        this.durations.push(performance.now() - started);
        if (this.durations.length > 20) this.durations.shift();
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        outcome();
      };
      const onMessage = (answer: Answer) =>
        settle(() =>
          'laid' in answer
            ? resolve(answer.laid)
            : reject(
                badRequest(
                  'layout_failed',
                  `ELK could not lay this graph out: ${answer.error.slice(0, 300)}`,
                  'Every edge must join two nodes of the same request, and every id must be unique.',
                ),
              ),
        );
      const lost = (why: string) =>
        settle(() => {
          if (this.worker === worker) this.worker = null;
          reject(unavailable('layout_unavailable', `The layout stopped: ${why}.`, 'Try Tidy up again.'));
        });
      const onError = (error: Error) => lost(error.message);
      const onExit = (code: number) => lost(`the layout thread exited (${code})`);
      const timer = setTimeout(() => {
        settle(() => {
          if (this.worker === worker) this.worker = null;
          void worker.terminate();
          reject(
            unavailable(
              'layout_timeout',
              `The layout took longer than ${(timeoutMs / 1000).toFixed(timeoutMs < 1000 ? 2 : 0)} s and was stopped.`,
              'Lay out a smaller part of the graph (select it first), or try again.',
            ),
          );
        });
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(graph);
    });
  }
}

/**
 * What the warm-up lays out: the way the canvas lays out a large project (one part under a 'fixed' root, the fast
 * options), on `count` nodes with as many edges, each from a lower to a higher index at most 50 apart (acyclic).
 */
export function warmupGraph(count: number): LayoutGraph {
  const edges = acyclicLinks(count, count, 7).map(([a, b]) => ({
    id: `e${a}-${b}`,
    sources: [`n${a}`],
    targets: [`n${b}`],
  }));
  return {
    id: 'warmup',
    layoutOptions: { 'elk.algorithm': 'fixed' },
    children: [
      {
        id: 'part',
        layoutOptions: { ...layoutOptionsFor(count), 'elk.padding': '[top=0,left=0,bottom=0,right=0]' },
        children: Array.from({ length: count }, (_, i) => ({ id: `n${i}`, width: 240, height: 64 })),
        edges,
      },
    ],
  };
}
