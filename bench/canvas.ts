// Canvas at scale: a generated 1000-node / 1000-edge project opened in headless Chromium.
// Prints time to open, p95 frame time while dragging a node and while panning, and ELK layout time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildApp } from '../server/src/app.js';
import { ms, percentile, report } from './stats.js';
import { generateGraph } from './store.js';

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

export async function benchCanvas(): Promise<void> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!executablePath) throw new Error('Chromium is missing (npm run bench installs it).');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-canvas-'));
  const app = await buildApp({ dataDir, createWorkspaces: false, prepareCatalog: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
  try {
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Big canvas' } })
    ).json();
    const graph = generateGraph(1000, 1000);
    await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph: { ...graph, viewport: { x: 40, y: 40, zoom: 0.6 } } },
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('.start-card');

    const opens: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      await page.goto(`${url}/#/projects/${project.id}`);
      await page.reload();
      await page.waitForSelector('[data-testid="node-asset_0"]');
      opens.push(Date.now() - started);
    }

    const rendered = await page.locator('.react-flow__node').count();
    await page.screenshot({ path: path.join(os.tmpdir(), 'bench-canvas.png') });
    const node = (await page.locator('[data-testid="node-asset_0"]').boundingBox())!;
    const dragFrames = await recordFrames(page, async () => {
      await page.mouse.move(node.x + 60, node.y + 30);
      await page.mouse.down();
      await page.mouse.move(node.x + 460, node.y + 330, { steps: 90 });
      await page.mouse.up();
    });

    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const panFrames = await recordFrames(page, async () => {
      await page.mouse.move(pane.x + pane.width - 100, pane.y + pane.height - 60);
      await page.mouse.down();
      await page.mouse.move(pane.x + 200, pane.y + 200, { steps: 90 });
      await page.mouse.up();
    });

    // Find (Ctrl+F) while typing 6 characters at a brisk typist's pace (60 ms apart): once a query that every
    // node matches at each step ('raw/as', the worst case: all 1000 get a class), once a selective one.
    const typeInFind = async (text: string) => {
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+f');
      await page.waitForSelector('.find-bar input');
      const frames = await recordFrames(page, async () => {
        await page.keyboard.type(text, { delay: 60 });
        await page.waitForTimeout(250);
      });
      const count = await page.getByTestId('find-count').textContent();
      await page.keyboard.press('Escape');
      return { frames, count };
    };
    const findAll = await typeInFind('raw/as');
    const findFew = await typeInFind('set_99');

    const layouts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await page.evaluate('window.__lastLayoutMs = undefined');
      await page.getByRole('button', { name: 'Tidy up (auto-layout)' }).click();
      await page.waitForFunction('window.__lastLayoutMs !== undefined', undefined, { timeout: 120_000 });
      layouts.push((await page.evaluate('window.__lastLayoutMs')) as number);
    }
    const long = (frames: number[]) => frames.filter((f) => f > 20).length;

    report('canvas (1000 nodes, 1000 edges, headless Chromium)', [
      [
        'open project (goto → first node painted), best / worst of 3',
        `${ms(Math.min(...opens))} / ${ms(Math.max(...opens))}   (goal < 1.5 s)`,
      ],
      [
        'drag one node: p95 frame interval, frames over 20 ms',
        `${ms(percentile(dragFrames, 95))}, ${long(dragFrames)} of ${dragFrames.length}   (goal < 16 ms; 60 Hz vsync is 16.7 ms)`,
      ],
      [
        'pan the canvas: p95 frame interval, frames over 20 ms',
        `${ms(percentile(panFrames, 95))}, ${long(panFrames)} of ${panFrames.length}`,
      ],
      ...[
        ['all', findAll],
        ['few', findFew],
      ].map(([which, f]): [string, string] => {
        const { frames, count } = f as { frames: number[]; count: string | null };
        return [
          `typing 6 characters in find (${which === 'all' ? '"raw/as": every node matches' : '"set_99"'}): p95 / max frame interval, frames over 20 ms (a missed 60 Hz vsync)`,
          `${ms(percentile(frames, 95))} / ${ms(Math.max(...frames))}, ${long(frames)} of ${frames.length} (${count})   (goal: none over 16 ms)`,
        ];
      }),
      [
        'ELK layered layout: first (starts the worker) / next two',
        `${ms(layouts[0]!)} / ${ms(layouts[1]!)}, ${ms(layouts[2]!)}   (goal < 1 s)`,
      ],
      ['nodes in the DOM after opening (only visible ones are rendered)', String(rendered)],
    ]);
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
