// Find on the canvas and project history, as a person uses them in a real Chromium: Ctrl+F finds a node by its
// asset key and Enter moves the view to the next match; edits become versions in the History tab, two versions
// are compared (drawn on the canvas), an old one is restored and the canvas shows it again.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession({ createWorkspaces: false });
  // One entry per burst of autosaves here (a person would wait 10 s between them).
  s.app.services.history!.options.squashMs = -1;
  s.app.services.history!.options.delayMs = 1000;
});
afterAll(async () => s?.close());

const node = (i: number): GraphNode => ({
  id: `n${i}`,
  type: 'component',
  position: { x: (i % 6) * 300, y: Math.floor(i / 6) * 160 },
  data: {
    label: `asset_${i}`,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key: `raw/asset_${i}` }], execution: { path: `asset_${i}.py` } },
  },
});

describe('find and history end to end', () => {
  it('finds by asset key, steps with Enter, then diffs two versions and restores one', async () => {
    const { page, app } = s;
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'History demo' } })
    ).json() as ProjectFile;
    const nodes = Array.from({ length: 36 }, (_, i) => node(i));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `n${i}`, target: n.id }));
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph: { nodes, edges } },
    });
    expect(saved.statusCode).toBe(200);
    await app.services.history!.flush(project.id);

    await page.goto(`${s.url}/#/projects/${project.id}`);
    await page.waitForSelector('[data-testid="node-asset_0"]');

    // Ctrl+F, an asset key: 11 matches (asset_1, asset_10 … asset_19), the rest dimmed.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+f');
    const find = page.getByRole('searchbox', { name: 'Find on the canvas' });
    await expect.poll(() => find.evaluate((e) => e === document.activeElement)).toBe(true);
    await find.pressSequentially('raw/asset_1');
    await expect.poll(() => page.getByTestId('find-count').textContent()).toBe('– of 11');
    expect(await page.locator('.react-flow.finding').count()).toBe(1);
    // The matches stand out (an attribute on their elements, find/find-marks.ts), the rest is dimmed.
    const opacity = (testId: string) =>
      page
        .locator(`[data-testid="${testId}"]`)
        .evaluate((e) => getComputedStyle(e.closest('.react-flow__node')!).opacity);
    expect(await opacity('node-asset_1')).toBe('1');
    expect(await opacity('node-asset_2')).toBe('0.25');
    const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
    const before = await viewport();
    await find.press('Enter');
    await expect.poll(() => page.getByTestId('find-count').textContent()).toBe('1 of 11');
    await expect
      .poll(() =>
        page
          .locator('[data-testid="node-asset_1"]')
          .evaluate((e) => e.closest('.react-flow__node')!.className),
      )
      .toContain('find-current');
    await expect.poll(viewport).not.toBe(before);
    await page.waitForTimeout(400); // the 250 ms move
    // Matches React Flow mounts later (it draws only the nodes in view) are marked as they arrive: a pan brings
    // rows of nodes into view that were not in the DOM, and every match among them stands out.
    const matchIds = ['n1', ...Array.from({ length: 10 }, (_, i) => `n${10 + i}`)];
    const mounted = () =>
      page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const before_pan = new Set(await mounted());
    // Pressed on empty pane in its right half, dragged 500 px left: the matches in the two right-hand columns
    // (asset_10, asset_11, asset_16, asset_17) come into view.
    const from = await page.locator('.react-flow__pane').evaluate((pane) => {
      const box = pane.getBoundingClientRect();
      for (let y = box.top + 20; y < box.bottom - 120; y += 8)
        for (let x = box.right - 40; x > box.left + box.width / 2; x -= 8)
          if (document.elementFromPoint(x, y) === pane) return { x, y };
      return null;
    });
    expect(from).not.toBeNull();
    await page.mouse.move(from!.x, from!.y);
    await page.mouse.down();
    await page.mouse.move(from!.x - 500, from!.y, { steps: 10 });
    await page.mouse.up();
    const arrived = (await mounted()).filter((id) => id && !before_pan.has(id) && matchIds.includes(id));
    expect(arrived.length).toBeGreaterThan(0);
    for (const id of arrived)
      expect(
        await page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((e) => getComputedStyle(e).opacity),
      ).toBe('1');
    // Enter moves to the next match, and the view follows: the node ends up in the middle of the canvas.
    const atFirst = await viewport();
    await find.press('Enter');
    await expect.poll(() => page.getByTestId('find-count').textContent()).toBe('2 of 11');
    await expect.poll(viewport).not.toBe(atFirst);
    await page.waitForTimeout(400); // the 250 ms move
    const pane = (await page.locator('.react-flow').boundingBox())!;
    const shown = (await page.locator('[data-testid="node-asset_10"]').boundingBox())!;
    expect(Math.abs(shown.x + shown.width / 2 - (pane.x + pane.width / 2))).toBeLessThan(40);
    expect(Math.abs(shown.y + shown.height / 2 - (pane.y + pane.height / 2))).toBeLessThan(40);
    expect(
      await page
        .locator('[data-testid="node-asset_10"]')
        .evaluate((e) => e.closest('.react-flow__node')!.className),
    ).toContain('find-current');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'find.png') });
    await find.press('Escape');
    await expect.poll(() => page.locator('.react-flow.finding').count()).toBe(0);
    expect(await page.locator('[data-find-match]').count()).toBe(0);
    expect(await opacity('node-asset_2')).toBe('1');

    // Edit twice (each autosaved): remove asset_3, then rename asset_5.
    await page.locator('.react-flow__controls-fitview').click();
    await page.locator('[data-testid="node-asset_3"]').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('[data-testid="node-asset_3"]').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toMatch(/saved/i);
    await page.waitForTimeout(2000); // the history entry is written
    await page.locator('[data-testid="node-asset_5"] .node-label').dblclick();
    await page.getByLabel('Component name').fill('orders_5');
    await page.getByLabel('Component name').press('Enter');
    await expect.poll(() => page.locator('[data-testid="node-orders_5"]').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toMatch(/saved/i);

    // History (Alt+H): three versions, newest first.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Alt+h');
    const entries = page.getByTestId('history-entry');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(3);
    expect(await entries.nth(0).textContent()).toContain('renamed asset_5 to orders_5');
    expect(await entries.nth(1).textContent()).toContain('removed asset_3, removed edge asset_2→asset_3');
    expect(await entries.nth(2).textContent()).toContain('created the project "History demo" with 36 nodes');

    // Compare the first version with the newest: asset_3 is a red ghost, the renamed node is marked changed.
    await entries.nth(2).locator('.history-pick').click();
    await entries
      .nth(0)
      .locator('.history-pick')
      .click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('history-diff').textContent()).toContain('− asset_3');
    expect(await page.getByTestId('history-diff').textContent()).toContain('asset_5 → orders_5');
    await expect.poll(() => page.getByTestId('ghost-asset_3').count()).toBe(1);
    // The edges asset_3 had are drawn too, dashed, from asset_2 to the ghost and from the ghost to asset_4.
    expect(await page.getByTestId('removed-edge-asset_2→asset_3').count()).toBe(1);
    expect(await page.getByTestId('removed-edge-asset_3→asset_4').count()).toBe(1);
    expect(
      await page
        .locator('[data-testid="node-orders_5"]')
        .evaluate((e) => e.closest('.react-flow__node')!.className),
    ).toContain('diff-changed');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'history-diff.png') });

    // Restore the first version, after a confirmation: the canvas has asset_3 again, as a new version.
    await entries.nth(2).getByRole('button', { name: 'Restore…' }).click();
    await page
      .getByRole('group', { name: 'Confirm restore' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await expect.poll(() => page.locator('[data-testid="node-asset_3"]').count()).toBe(1);
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(4);
    expect(await entries.nth(0).textContent()).toMatch(/restored the version of/);
    const restored = (await app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(restored.graph.nodes.map((n) => n.data.label)).toContain('asset_3');
    expect(restored.graph.nodes.find((n) => n.id === 'n5')!.data).toEqual(node(5).data);
    expect(await page.locator('[data-testid="node-asset_5"]').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'history-restored.png') });

    // It was just a save: Ctrl+Z takes the canvas back to before the restore, and that is saved too.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('[data-testid="node-asset_3"]').count()).toBe(0);
    await expect
      .poll(
        async () =>
          ((await app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile).graph.nodes
            .length,
        { timeout: 10_000 },
      )
      .toBe(35);
    expect(s.errors).toEqual([]);
  });

  it('draws nodes far zoomed out as boxes of their colour, the same size, and in full again zoomed in', async () => {
    const { page, app } = s;
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Zoomed out' } })
    ).json() as ProjectFile;
    const nodes = Array.from({ length: 36 }, (_, i) => node(i));
    await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph: { nodes, edges: [] } },
    });
    await page.goto(`${s.url}/#/projects/${project.id}`);
    await page.reload(); // the hash alone changed
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Zoomed out');
    const first = page.locator('.react-flow__node[data-id="n0"] .component-node');
    await expect.poll(() => first.locator('.node-label').textContent()).toBe('asset_0');
    const full = (await first.boundingBox())!;
    const zoom = async () =>
      Number(
        /scale\(([\d.]+)\)/.exec(
          (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '',
        )?.[1],
      );
    // React Flow's own zoom-out button, until the zoom is under 0.15 (detail.ts).
    for (let i = 0; i < 20 && (await zoom()) >= 0.15; i += 1)
      await page.getByRole('button', { name: 'Zoom Out' }).click();
    expect(await zoom()).toBeLessThan(0.15);
    await expect.poll(() => first.getAttribute('class')).toContain('outline');
    expect(await first.locator('.node-label, .node-badge').count()).toBe(0);
    expect(await first.getAttribute('title')).toBe('asset_0 · Python Script');
    expect(await first.getAttribute('aria-label')).toBe('asset_0');
    // The same box (240 × 64 at zoom 1), so edges and selection stay where they were.
    const outlined = (await first.boundingBox())!;
    expect(outlined.width / outlined.height).toBeCloseTo(full.width / full.height, 1);
    expect(await first.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(
      await page
        .locator('.react-flow__pane')
        .evaluate((e) => getComputedStyle(e.closest('.react-flow')!).backgroundColor),
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'canvas-zoomed-out.png') });
    await page.locator('.react-flow__controls').getByRole('button', { name: 'Fit View' }).click();
    await expect.poll(() => first.locator('.node-label').count()).toBe(1);
    expect(s.errors).toEqual([]);
  });
});
