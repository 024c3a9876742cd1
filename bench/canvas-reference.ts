// The canvas bench's reference: the same graph, gestures and browser on React Flow alone (web/bench-reference, as
// React Flow's documentation sets a canvas up), and on an empty React Flow canvas. What the designer's frame goals
// ask is read against what the library itself, and the machine's renderer, manage here: headless Chromium rasters
// and composites in software, so a pan's frames cost CPU on every thread however little the page does.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { layoutOptionsFor, type Graph, type LayoutGraph } from '@designer/shared';
import { drag, frameRow, gesture, mainRow, panGesture, typingRow } from './frames.js';
import { ms } from './stats.js';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');
type Size = { width: number; height: number };
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Builds web/bench-reference with the web app's own Vite and React Flow into a temporary folder. */
function buildReference(): string {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-reference-'));
  execFileSync(
    path.join(WEB, 'node_modules', '.bin', 'vite'),
    [
      'build',
      'bench-reference',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--config',
      'vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: WEB, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 },
  );
  return realpathSync(outDir);
}

/** Serves a built folder on a free port of 127.0.0.1 (files inside it only). */
async function serve(root: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const wanted = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.resolve(root, `.${wanted === '/' ? '/index.html' : wanted}`);
    let ok = false;
    try {
      ok = file.startsWith(root + path.sep) && realpathSync(file) === file && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

async function openReference(browser: Browser, size: Size, graph: object): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  await page.addInitScript(`window.__benchGraph = ${JSON.stringify(graph)};`);
  return page;
}

/**
 * The reference rows of the canvas report (full: with find typing; quick: open and pan only). `pane` is the size of
 * the designer's pane: the reference's window is that size, so both draw the same area.
 */
export async function referenceRows(
  browser: Browser,
  graph: Graph,
  viewport: { x: number; y: number; zoom: number },
  pane: Size,
  full: boolean,
): Promise<Array<[string, string]>> {
  const built = buildReference();
  const site = await serve(built);
  try {
    const page = await openReference(browser, pane, { ...graph, viewport });
    const opens: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      await page.goto(site.url);
      await page.waitForSelector('.react-flow__node[data-id="n0"]');
      opens.push(Date.now() - started);
    }
    await page.waitForTimeout(500);
    const rendered = await page.locator('.react-flow__node').count();
    // As the designer's bench does: the first node dragged 400 × 300 px, then the pan.
    const node = (await page.locator('.react-flow__node[data-id="n0"]').boundingBox())!;
    const dragged = await gesture(page, () => drag(page, { x: node.x + 60, y: node.y + 30 }, 400, 300));
    const panned = await panGesture(page);
    const rows: Array<[string, string]> = [
      [
        'React Flow alone, same graph, browser and gestures (web/bench-reference): open, best / worst of 3',
        `${ms(Math.min(...opens))} / ${ms(Math.max(...opens))}`,
      ],
      ['  nodes in the DOM after opening', String(rendered)],
      ['  drag one node (90 steps): frame intervals', frameRow(dragged)],
      ['    threads for that drag', mainRow(dragged.main)],
      ['  pan the canvas (90 steps): frame intervals', frameRow(panned)],
      ['    threads for that pan', mainRow(panned.main)],
    ];
    if (full) {
      for (const text of ['raw/as', 'set_99']) {
        await page.goto(site.url);
        await page.waitForSelector('.react-flow__node[data-id="n0"]');
        await page.waitForTimeout(500);
        await page.locator('input.find').click();
        const typed = await gesture(page, async () => {
          await page.keyboard.type(text, { delay: 60 });
          await page.waitForTimeout(250);
        });
        rows.push(
          [
            `  typing "${text}" in a find box that dims the rest: p95 / max, frames over 20 ms`,
            typingRow(typed.frames),
          ],
          ['    threads for that typing', mainRow(typed.main)],
        );
      }
    }
    await page.close();
    const empty = await openReference(browser, pane, { nodes: [], edges: [], viewport });
    await empty.goto(site.url);
    await empty.waitForSelector('.react-flow__pane');
    await empty.waitForTimeout(500);
    const emptyPan = await panGesture(empty);
    await empty.close();
    rows.push(
      ['React Flow alone, no node (dot grid, minimap, controls): pan, frame intervals', frameRow(emptyPan)],
      ['    threads for that pan', mainRow(emptyPan.main)],
    );
    return rows;
  } finally {
    site.close();
    rmSync(built, { recursive: true, force: true });
  }
}

/**
 * ELK alone: elkjs in this process (no thread, no chains laid out beside it), three layouts in a row of the whole
 * graph, with ELK's own layered defaults and with the options the designer gives a large graph.
 */
export async function elkReferenceRows(graph: Graph): Promise<Array<[string, string]>> {
  const server = path.resolve(WEB, '..', 'server', 'package.json');
  const ELK = createRequire(server)('elkjs/lib/elk.bundled.js') as new () => {
    layout: (g: LayoutGraph) => Promise<unknown>;
  };
  const elk = new ELK();
  const request = (layoutOptions: LayoutGraph['layoutOptions']): LayoutGraph => ({
    id: 'root',
    layoutOptions,
    children: graph.nodes.map((n) => ({ id: n.id, width: 240, height: 76 })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const three = async (g: LayoutGraph) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await elk.layout(structuredClone(g));
      times.push(performance.now() - started);
    }
    return `${ms(times[0]!)} / ${ms(times[1]!)}, ${ms(times[2]!)}`;
  };
  // The designer's options first: ELK's defaults would otherwise have warmed its code up for them.
  const designer = await three(request(layoutOptionsFor(graph.nodes.length)));
  const defaults = await three(request({ 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }));
  return [
    [
      "ELK alone (elkjs in the bench process, the whole graph): first / next two, with the designer's options",
      designer,
    ],
    ["  with ELK's layered defaults (direction right)", defaults],
  ];
}
