// What the canvas bench measures in the browser (bench/canvas.ts, bench/canvas-reference.ts): frame intervals of a
// gesture from requestAnimationFrame, every thread's CPU time from a Chrome trace, and the gestures themselves.
import type { Page } from 'playwright-core';
import { ms, percentile } from './stats.js';

// Page scripts are strings: tsx would otherwise inject its own helpers into serialised functions.
const START_RECORDING = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_RECORDING = `(() => { window.__recording = false; return window.__frames.slice(1); })()`;

async function recordFrames(page: Page, action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(START_RECORDING);
  await action();
  return (await page.evaluate(STOP_RECORDING)) as number[];
}

/**
 * The renderer main thread's CPU time (ms) during a gesture, from a Chrome trace's thread durations (`tdur`): all
 * tasks, and within them script, style, layout and paint. Thread CPU time, unlike wall-clock durations (Chrome's
 * Performance.getMetrics), is not stretched when other processes take the cores.
 */
export interface MainThread {
  task: number;
  script: number;
  style: number;
  layout: number;
  paint: number;
  /** Other threads that worked (compositor, raster workers, GPU), outermost events' CPU time, busiest first. */
  others: Array<[string, number]>;
  /** Every thread's CPU time together, the main thread's included (the figure to compare two builds by). */
  all: number;
}
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
const SCRIPT = new Set([
  'FunctionCall',
  'EvaluateScript',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'RunMicrotasks',
]);
const PAINT = new Set(['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'PaintImage', 'CompositeLayers']);
async function mainThread(page: Page, action: () => Promise<void>): Promise<MainThread> {
  await page
    .context()
    .browser()!
    .startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', '__metadata'],
    });
  await action();
  const buffer = await page.context().browser()!.stopTracing();
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const names = new Map(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name')
      .map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? '?']),
  );
  const mains = new Set([...names].filter(([, name]) => name === 'CrRendererMain').map(([key]) => key));
  const out: MainThread = { task: 0, script: 0, style: 0, layout: 0, paint: 0, others: [], all: 0 };
  const others = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) || e.ph !== 'X' || e.tdur === undefined || e.ts < (ends.get(key) ?? -1)) continue;
    ends.set(key, e.ts + (e.dur ?? 0));
    const name = (names.get(key) ?? '?').replace(/\d+$/, '');
    others.set(name, (others.get(name) ?? 0) + e.tdur / 1000);
  }
  out.others = [...others].sort((a, b) => b[1] - a[1]).slice(0, 3);
  out.all = [...others.values()].reduce((a, b) => a + b, 0);
  // Script: the outermost script event only (a FunctionCall inside an EventDispatch or a timer counts once).
  let scriptEnd = -1;
  for (const e of events.filter((x) => mains.has(`${x.pid}:${x.tid}`)).sort((a, b) => a.ts - b.ts)) {
    if (e.tdur === undefined || e.ph !== 'X') continue;
    const cpu = e.tdur / 1000;
    if (e.name === 'RunTask') out.task += cpu;
    else if (SCRIPT.has(e.name)) {
      if (e.ts < scriptEnd) continue;
      scriptEnd = e.ts + (e.dur ?? 0);
      out.script += cpu;
    } else if (e.name === 'UpdateLayoutTree') out.style += cpu;
    else if (e.name === 'Layout') out.layout += cpu;
    else if (PAINT.has(e.name)) out.paint += cpu;
  }
  out.all += out.task;
  return out;
}
export const mainRow = (m: MainThread) =>
  `all threads ${ms(m.all)}; main CPU ${ms(m.task)}: script ${ms(m.script)}, style ${ms(m.style)}, layout ${ms(m.layout)}, paint ${ms(m.paint)}; other threads: ${m.others.map(([name, cpu]) => `${name} ${ms(cpu)}`).join(', ')}`;

/** Frames of a gesture and what they cost, as a bench row beside the goal. */
export interface Gesture {
  frames: number[];
  main: MainThread;
}
export async function gesture(page: Page, action: () => Promise<void>): Promise<Gesture> {
  let frames: number[] = [];
  const main = await mainThread(page, async () => {
    frames = await recordFrames(page, action);
  });
  return { frames, main };
}
const FRAME_GOAL = '(goal p95 ≤ 16.7 ms, none over 33 ms)';
export const frameRow = (g: Gesture) =>
  `p95 ${ms(percentile(g.frames, 95))}, max ${ms(Math.max(...g.frames))}, ${g.frames.filter((f) => f > 20).length} of ${g.frames.length} over 20 ms, ${g.frames.filter((f) => f > 34).length} over 33 ms   ${FRAME_GOAL}`;

/**
 * A point of the pane's lower right where a press lands on the pane itself (no node, edge, minimap or control),
 * scanning up and left from 260 × 200 px inside the corner (clear of the 160 × 100 minimap).
 */
export async function emptyPanePoint(
  page: Page,
  pane: { x: number; y: number; width: number; height: number },
): Promise<{ x: number; y: number }> {
  const found = (await page.evaluate(`(() => {
    const box = ${JSON.stringify(pane)};
    for (let dy = 200; dy < box.height / 2; dy += 10)
      for (let dx = 260; dx < box.width / 2; dx += 10) {
        const x = box.x + box.width - dx, y = box.y + box.height - dy;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.classList.contains('react-flow__pane')) return { x, y };
      }
    return null;
  })()`)) as { x: number; y: number } | null;
  if (!found) throw new Error('No empty spot of the pane to start a pan from.');
  return found;
}

/** Drags from `from` by (dx, dy) in 90 mouse steps. */
export async function drag(page: Page, from: { x: number; y: number }, dx: number, dy: number) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 90 });
  await page.mouse.up();
}

/**
 * A pan as a person makes it: pressed on empty pane (not on a node, and not on the minimap in the pane's
 * bottom-right corner, whose drag moves the view ~60 px per pointer px and leaves the graph at once), then dragged
 * up and left across most of the pane.
 */
export async function panGesture(page: Page): Promise<Gesture> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const from = await emptyPanePoint(page, pane);
  return gesture(page, () => drag(page, from, -(from.x - pane.x - 150), -(from.y - pane.y - 120)));
}

/** Typing's frames as a bench row: p95 / max frame interval, frames over 20 ms (a missed 60 Hz vsync) of all. */
export const typingRow = (frames: readonly number[]) =>
  `${ms(percentile(frames, 95))} / ${ms(Math.max(...frames))}, ${frames.filter((f) => f > 20).length} of ${frames.length}`;
