// When the ELK warm-up runs: never before the project has been open a moment, never while a pointer gesture or a
// wheel is recent, and a drag that starts during it stops it (to run again at the next quiet moment).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LARGE_GRAPH, warmupGraph } from './layout';
import { scheduleLayoutWarmup, warmupWait, WARMUP_TIMING, type Warmup } from './layout-warmup';

describe('warmupGraph', () => {
  const graph = (n: number) => ({
    nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}` })),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
  });
  it.each([
    ['1,000 nodes: the first half', 1000, 500],
    ['250 nodes: no fewer than LARGE_GRAPH', 250, LARGE_GRAPH],
    ['120 nodes: all of them', 120, 120],
  ])('%s, with the edges inside it', (_, n, kept) => {
    const { nodes, edges } = warmupGraph(graph(n).nodes, graph(n).edges);
    expect(nodes.map((x) => x.id)).toEqual(
      graph(n)
        .nodes.slice(0, kept)
        .map((x) => x.id),
    );
    expect(edges).toHaveLength(kept - 1);
    expect(edges.every((e) => nodes.some((x) => x.id === e.target))).toBe(true);
  });
});

describe('warmupWait', () => {
  const { afterOpen, quiet } = WARMUP_TIMING;
  it.each([
    ['just opened', 0, { openedAt: 0, lastInputAt: -Infinity, pointerDown: false }, afterOpen],
    ['open a moment, no input', afterOpen, { openedAt: 0, lastInputAt: -Infinity, pointerDown: false }, 0],
    ['a pan ended 200 ms ago', 3000, { openedAt: 0, lastInputAt: 2800, pointerDown: false }, quiet - 200],
    ['input long ago', 5000, { openedAt: 0, lastInputAt: 1000, pointerDown: false }, 0],
    ['a button held (a drag under way)', 9000, { openedAt: 0, lastInputAt: 1000, pointerDown: true }, quiet],
    [
      'input just before the moment is over',
      1400,
      { openedAt: 0, lastInputAt: 1300, pointerDown: false },
      quiet - 100,
    ],
  ])('%s', (_, now, activity, wait) => {
    expect(warmupWait(now, activity)).toBe(wait);
  });
});

describe('scheduleLayoutWarmup', () => {
  let target: EventTarget;
  let warmup: Warmup & { calls: number; abandoned: number; finish: () => void };
  let stop: () => void;
  const fire = (type: string, props: Record<string, number> = {}) =>
    target.dispatchEvent(Object.assign(new Event(type), { clientX: 0, clientY: 0, buttons: 0, ...props }));

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    target = new EventTarget();
    let running = false;
    let done = false;
    let resolve = () => {};
    warmup = {
      calls: 0,
      abandoned: 0,
      warm: () => {
        warmup.calls += 1;
        running = true;
        return new Promise<void>((r) => (resolve = r));
      },
      abandon: () => {
        if (!running) return false;
        running = false;
        warmup.abandoned += 1;
        return true;
      },
      done: () => done,
      finish: () => {
        running = false;
        done = true;
        resolve();
      },
    };
    stop = scheduleLayoutWarmup(target, warmup);
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('starts a moment after opening when nothing happens', async () => {
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen - 10);
    expect(warmup.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(warmup.calls).toBe(1);
  });

  it('waits while a button is held and for a quiet moment after it is let go', async () => {
    await vi.advanceTimersByTimeAsync(1000);
    fire('pointerdown', { buttons: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(warmup.calls).toBe(0);
    fire('pointerup');
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.quiet - 50);
    expect(warmup.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(warmup.calls).toBe(1);
  });

  it('typing does not hold it back', async () => {
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen - 100);
    fire('keydown');
    await vi.advanceTimersByTimeAsync(200);
    expect(warmup.calls).toBe(1);
  });

  it('a drag during the warm-up stops it, and it runs again once the drag is over', async () => {
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen + 10);
    expect(warmup.calls).toBe(1);
    fire('pointerdown', { clientX: 100, clientY: 100, buttons: 1 });
    fire('pointermove', { clientX: 102, clientY: 101, buttons: 1 }); // a click's jitter: not a drag
    expect(warmup.abandoned).toBe(0);
    fire('pointermove', { clientX: 140, clientY: 120, buttons: 1 });
    expect(warmup.abandoned).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(warmup.calls).toBe(1);
    fire('pointerup');
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.quiet + 10);
    expect(warmup.calls).toBe(2);
  });

  it('a press held longer than a click stops it before the pointer moves; a click does not', async () => {
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen + 10);
    expect(warmup.calls).toBe(1);
    fire('pointerdown', { clientX: 100, clientY: 100, buttons: 1 });
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.click - 50);
    fire('pointerup');
    await vi.advanceTimersByTimeAsync(1000);
    expect(warmup.abandoned).toBe(0);
    fire('pointerdown', { clientX: 100, clientY: 100, buttons: 1 });
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.click + 10);
    expect(warmup.abandoned).toBe(1);
    fire('pointerup');
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.quiet + 10);
    expect(warmup.calls).toBe(2);
  });

  it('a wheel during the warm-up stops it too; after the last allowed attempt it gives up', async () => {
    for (let attempt = 1; attempt <= WARMUP_TIMING.attempts; attempt += 1) {
      await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen + 10);
      expect(warmup.calls).toBe(attempt);
      fire('wheel');
    }
    expect(warmup.abandoned).toBe(WARMUP_TIMING.attempts);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(warmup.calls).toBe(WARMUP_TIMING.attempts);
  });

  it('stops listening once the warm-up is done', async () => {
    await vi.advanceTimersByTimeAsync(WARMUP_TIMING.afterOpen + 10);
    warmup.finish();
    await vi.advanceTimersByTimeAsync(0);
    fire('pointerdown', { buttons: 1 });
    fire('pointermove', { clientX: 50, buttons: 1 });
    expect(warmup.abandoned).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(warmup.calls).toBe(1);
  });
});
