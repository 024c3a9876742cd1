// What a newcomer's walk at common laptop widths found: the top bar clipped "All changes saved", the inspector's
// tabs wrapped onto two rows, the minimap covered nodes after "Fit". Each checked at 1280, 1366 and 1440 px wide.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession({ createWorkspaces: false, viewport: { width: 1280, height: 800 } });
});
afterAll(async () => s?.close());

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layout at laptop widths', () => {
  it('keeps the save state whole, the inspector tabs on one row and the minimap off the nodes', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Weekly customer orders report');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect
      .poll(() => page.getByTestId('project-name').textContent())
      .toBe('Weekly customer orders report');
    const pane = page.locator('.react-flow__pane');
    const script = page.getByTestId('palette-dagster.PythonScriptComponent');
    await expect.poll(() => script.count(), { timeout: 60_000 }).toBe(1);
    const drops: [number, number][] = [
      // A tall graph: Fit is limited by the height, which brought the bottom-right node under the minimap.
      [90, 40],
      [330, 40],
      [90, 320],
      [330, 320],
      [330, 600],
    ];
    for (const [x, y] of drops) await script.dragTo(pane, { targetPosition: { x, y } });
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(5);
    await page.locator('[data-testid="node-python_script"] .node-label').click();
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 })
      .toBe('All changes saved');

    for (const width of [1280, 1366, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      await page.locator('button[data-command="view.fit"]').click();
      await page.waitForTimeout(400);
      await expect
        .poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 })
        .toBe('All changes saved');
      await page.screenshot({ path: path.join(SCREENSHOTS, `layout-${width}.png`) });
      // The save state shows whole: not cut by its box nor run under the next thing in the bar.
      const clipped = await page.getByTestId('save-state').evaluate((el) => {
        const box = el.getBoundingClientRect();
        let parent = el.parentElement;
        while (parent && parent.tagName !== 'HEADER') {
          const p = parent.getBoundingClientRect();
          if (box.right > p.right + 0.5 || box.left < p.left - 0.5) return `cut by ${parent.className}`;
          parent = parent.parentElement;
        }
        if (el.scrollWidth > el.clientWidth) return 'text overflows';
        const after = document.querySelectorAll('header.topbar nav.toolbar[aria-label="Edit"]')[0];
        if (after && after.getBoundingClientRect().left < box.right) return 'under the Edit toolbar';
        return null;
      });
      expect(clipped, `${width} px`).toBeNull();
      // The inspector's tabs sit on one row.
      const tops = await page
        .locator('.properties [role="tab"]')
        .evaluateAll((tabs) => tabs.map((t) => Math.round(t.getBoundingClientRect().top)));
      expect(tops.length, `${width} px`).toBeGreaterThanOrEqual(6);
      expect(new Set(tops).size, `${width} px: tab rows ${JSON.stringify(tops)}`).toBe(1);
      // After Fit, the minimap covers no node.
      const minimap = (await page.locator('.react-flow__minimap').boundingBox())!;
      for (const node of await page.locator('.react-flow__node').all()) {
        const box = (await node.boundingBox())!;
        expect(overlaps(box, minimap), `${width} px: a node under the minimap`).toBe(false);
      }
    }
    expect(s.errors).toEqual([]);
  }, 180_000);
});
