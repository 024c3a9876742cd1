// Canvas at scale: a generated 1000-node / 1000-edge project opened in headless Chromium.
// Prints time to open, p95 frame time while dragging a node and while panning, and ELK layout time, each beside
// its goal (issue 18), and the main thread's own CPU time (script, style, layout, paint) for each gesture (thread
// CPU time from a Chrome trace), which the machine's load does not inflate as it does frame intervals. A second
// project has 50 groups of 10 (10 collapsed): dragging a group's top-left member, and ELK with groups.
// Last, the same gestures on React Flow alone (canvas-reference.ts), for what the library and machine manage.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { GROUP_COLORS, type NodeGroup } from '@designer/shared';
import { buildApp } from '../server/src/app.js';
import { elkReferenceRows, referenceRows } from './canvas-reference.js';
import { drag, emptyPanePoint, frameRow, gesture, mainRow, panGesture, typingRow } from './frames.js';
import { ms, report } from './stats.js';
import { generateGraph } from './store.js';

/** 50 groups of 10 consecutive nodes (every fifth collapsed) over the generated graph. */
function fiftyGroups(): NodeGroup[] {
  return Array.from({ length: 50 }, (_, g) => ({
    id: `group_${g}`,
    name: `Group ${g}`,
    color: GROUP_COLORS[g % GROUP_COLORS.length]!,
    members: Array.from({ length: 10 }, (_, i) => `n${g * 20 + i}`),
    ...(g % 5 === 4 ? { collapsed: true } : {}),
  }));
}

export async function benchCanvas(): Promise<void> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!executablePath) throw new Error('Chromium is missing (npm run bench installs it).');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-canvas-'));
  // BENCH_WEB_DIST: another build of the web app (to compare two builds without touching web/dist).
  const webDist = process.env.BENCH_WEB_DIST ? { webDist: path.resolve(process.env.BENCH_WEB_DIST) } : {};
  const app = await buildApp({ dataDir, createWorkspaces: false, prepareCatalog: false, ...webDist });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // The server warms ELK up when it starts (main.ts), before anyone opens a project: so does the bench's.
  const warmStarted = performance.now();
  await app.services.layout.warm();
  const warmup = performance.now() - warmStarted;
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
  try {
    const view = { x: 40, y: 40, zoom: Number(process.env.BENCH_CANVAS_ZOOM ?? 0.6) };
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Big canvas' } })
    ).json();
    const graph = generateGraph(1000, 1000);
    await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      // BENCH_CANVAS_ZOOM: another opening zoom (0.1 shows the whole graph, every node rendered).
      payload: {
        version: 1,
        graph: { ...graph, viewport: view },
      },
    });
    const loadBefore = os.loadavg()[0]!;
    const startedAt = new Date().toISOString().slice(0, 16);
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
    const dragNode = await gesture(page, () => drag(page, { x: node.x + 60, y: node.y + 30 }, 400, 300));

    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    // React Flow alone in a window the size of this pane, after the designer's page is closed (canvas-reference.ts).
    const paneSize = { width: Math.round(pane.width), height: Math.round(pane.height) };
    // BENCH_CANVAS_REFERENCE=0 leaves it out (an A/B of two builds).
    const reference = async (full: boolean) => {
      await page.close();
      if (process.env.BENCH_CANVAS_REFERENCE === '0') return [];
      return referenceRows(browser, graph, view, paneSize, full);
    };
    const pan = await panGesture(page);

    // Find (Ctrl+F) while typing 6 characters at a brisk typist's pace (60 ms apart): once a query that every
    // node matches at each step ('raw/as', the worst case: all 1000 get a class), once a selective one.
    const typeInFind = async (text: string) => {
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+f');
      await page.waitForSelector('.find-bar input');
      const { frames, main } = await gesture(page, async () => {
        await page.keyboard.type(text, { delay: 60 });
        await page.waitForTimeout(250);
      });
      const count = await page.getByTestId('find-count').textContent();
      await page.keyboard.press('Escape');
      return { frames, main, count };
    };
    // BENCH_CANVAS_QUICK=1: open, drag and pan only (an A/B of two builds in a minute, without ELK or groups).
    if (process.env.BENCH_CANVAS_QUICK) {
      const referenced = await reference(false);
      report(
        `canvas, quick (1000 nodes, 1000 edges, headless Chromium; ${startedAt}Z, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
        [
          ['open project (goto → first node painted), each of 3', opens.map(ms).join(' / ')],
          ['drag one node (90 steps): frame intervals', frameRow(dragNode)],
          ['  main thread for that drag', mainRow(dragNode.main)],
          ['pan the canvas (90 steps): frame intervals', frameRow(pan)],
          ['  main thread for that pan', mainRow(pan.main)],
          ['nodes in the DOM after opening', String(rendered)],
          ...referenced,
        ],
      );
      return;
    }
    const findAll = await typeInFind('raw/as');
    const findFew = await typeInFind('set_99');

    // Each Tidy up's time in the browser (click → positions in the store) and its layouts in the server's thread.
    const tidy = async () => {
      const times: number[] = [];
      const elk: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const before = app.services.layout.count;
        await page.evaluate('window.__lastLayoutMs = undefined');
        await page.getByRole('button', { name: 'Tidy up (auto-layout)' }).click();
        await page.waitForFunction('window.__lastLayoutMs !== undefined', undefined, { timeout: 120_000 });
        times.push((await page.evaluate('window.__lastLayoutMs')) as number);
        const { durations, count } = app.services.layout;
        elk.push(
          durations
            .slice(durations.length - (count - before))
            .map(ms)
            .join(' + '),
        );
      }
      return Object.assign(times, { elk });
    };
    const layouts = await tidy();

    // The same graph with 50 groups of 10: drag the top-left member of an expanded group up and left (its frame
    // grows up and left, so each step gives every sibling a new position relative to it).
    const grouped = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Big canvas groups' } })
    ).json();
    await app.inject({
      method: 'PUT',
      url: `/api/projects/${grouped.id}`,
      payload: {
        version: 1,
        graph: { ...graph, groups: fiftyGroups(), viewport: { x: 40, y: 40, zoom: 0.6 } },
      },
    });
    const groupOpens: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const started = Date.now();
      await page.goto(`${url}/#/projects/${grouped.id}`);
      await page.reload();
      await page.waitForSelector('[data-testid="node-asset_0"]');
      groupOpens.push(Date.now() - started);
    }
    await page.waitForTimeout(500);
    // Group 0's top-left member, asset_0, sits at the view's top-left corner, where a drag up and left ends inside
    // React Flow's 40 px auto-pan zone and the view scrolls along on every frame (the row then measured a pan).
    // So the view is first panned 200 px right and down (not measured); 60 × 50 px then grows the frame up and left
    // by 100 × 80 units at zoom 0.6 with the pointer clear of the pane's edges (checked, so the row never measures
    // auto-pan).
    const groupPane = (await page.locator('.react-flow__pane').boundingBox())!;
    const clearFrom = await emptyPanePoint(page, groupPane);
    await drag(page, clearFrom, 200, 100);
    await page.waitForTimeout(500);
    const member = (await page.locator('[data-testid="node-asset_0"]').boundingBox())!;
    const memberFrom = { x: member.x + 60, y: member.y + 30 };
    if (memberFrom.x - 60 - groupPane.x < 60 || memberFrom.y - 50 - groupPane.y < 60)
      throw new Error(
        `The group member's drag would end in the auto-pan zone (from ${JSON.stringify(memberFrom)}).`,
      );
    const dragMember = await gesture(page, () => drag(page, memberFrom, -60, -50));
    const groupLayouts = await tidy();
    const referenced = await reference(true);
    if (process.env.BENCH_CANVAS_REFERENCE !== '0') referenced.push(...(await elkReferenceRows(graph)));
    const loadAfter = os.loadavg()[0]!;

    report(
      `canvas (1000 nodes, 1000 edges, headless Chromium; ${startedAt}Z, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores)`,
      [
        [
          'open project (goto → first node painted), best / worst of 3',
          `${ms(Math.min(...opens))} / ${ms(Math.max(...opens))}   (goal < 1 s)`,
        ],
        ['drag one node (90 steps): frame intervals', frameRow(dragNode)],
        ['  main thread for that drag', mainRow(dragNode.main)],
        ['pan the canvas (90 steps): frame intervals', frameRow(pan)],
        ['  main thread for that pan', mainRow(pan.main)],
        ...[
          ['all', findAll],
          ['few', findFew],
        ].flatMap(([which, f]): Array<[string, string]> => {
          const { frames, main, count } = f as Awaited<ReturnType<typeof typeInFind>>;
          return [
            [
              `typing 6 characters in find (${which === 'all' ? '"raw/as": every node matches' : '"set_99"'}): p95 / max frame interval, frames over 20 ms (a missed 60 Hz vsync)`,
              `${typingRow(frames)} (${count})   (goal: none over 16 ms)`,
            ],
            ['  threads for that typing', mainRow(main)],
          ];
        }),
        ["the server's ELK warm-up at start (before the browser opens)", ms(warmup)],
        [
          'ELK layered layout: first / next two',
          `${ms(layouts[0]!)} / ${ms(layouts[1]!)}, ${ms(layouts[2]!)}   (goal < 1 s each)`,
        ],
        ["  of which ELK in the server's thread", layouts.elk.join(' / ')],
        ['nodes in the DOM after opening (only visible ones are rendered)', String(rendered)],
        [
          'with 50 groups of 10 (10 collapsed): open, best / worst of 2',
          `${ms(Math.min(...groupOpens))} / ${ms(Math.max(...groupOpens))}   (goal < 1 s)`,
        ],
        ["  drag a group's top-left member out (its frame grows): frame intervals", frameRow(dragMember)],
        ['    main thread for that drag', mainRow(dragMember.main)],
        [
          '  ELK layout with groups kept together: first / next two',
          `${ms(groupLayouts[0]!)} / ${ms(groupLayouts[1]!)}, ${ms(groupLayouts[2]!)}   (goal < 1 s each)`,
        ],
        ["    of which ELK in the server's thread", groupLayouts.elk.join(' / ')],
        ...referenced,
      ],
    );
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
