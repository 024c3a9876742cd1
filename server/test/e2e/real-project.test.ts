// A data engineer brings the project they already have: fixture shop_project (a dbt component, Python assets
// using a resource from defs/resources.py, checks, a job, schedules, a sensor) is imported through the UI. Every
// defs folder and module is a node, the preview has no problem, and the checks sit under their assets.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures', 'shop_project');

let s: Session;
beforeAll(async () => {
  // The import replaces the new project's workspace, so none is created for it first (saves a create-dagster).
  s = await startSession({ createWorkspaces: false });
}, 300_000);
afterAll(async () => s?.close());

const nodeLabels = () => s.page.locator('.react-flow__node .node-label').allTextContents();

describe('a real project, imported through the UI', () => {
  it('shows every node, a preview with no problems, and the checks under their assets', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.locator('button[data-command="project.open"]').click();
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Imported project name').fill('Shop project');
    await page.getByRole('tab', { name: 'Folder' }).click();
    await page.getByLabel('Folder path').fill(FIXTURE);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('project-name').textContent(), { timeout: 600_000 })
      .toBe('Shop project')
      .catch(async (error: unknown) => {
        await page.screenshot({ path: path.join(os.tmpdir(), 'real-project-import-failed.png') });
        throw error;
      });

    // Everything the project defines sits on a node: the dbt component and each folder or module of Python.
    await expect
      .poll(async () => (await nodeLabels()).sort(), { timeout: 60_000 })
      .toEqual(['assets', 'checks', 'resources', 'schedules', 'sensors', 'transform']);
    await expect.poll(() => page.locator('.python-node').count()).toBe(5);
    // The imported graph opens framed: every node inside the canvas with a margin, none clipped at its edges.
    await page.waitForTimeout(500);
    const canvas = (await page.locator('.canvas .react-flow').boundingBox())!;
    for (const node of await page.locator('.canvas .react-flow__node').all()) {
      const box = (await node.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(canvas.x + 8);
      expect(box.y).toBeGreaterThanOrEqual(canvas.y + 8);
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width - 8);
      expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height - 8);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project-opened.png') });

    // Preview: the whole project loads once, as `dg list defs` does; no false errors.
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
        timeout: 120_000,
      })
      .toBe(true);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 300_000 })
      .toMatch(/^15 assets · 7 checks · 1 job · 2 schedules · 1 sensor · 1 resource/);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await expect.poll(() => page.locator('.drawer-body').textContent()).toContain('No problems');
    await page.getByRole('tab', { name: /^Assets/ }).click();

    // Counts on the nodes, checks under their asset in the table, and marked in the lineage.
    await expect
      .poll(() => page.locator('[data-testid="node-checks"] [data-testid="node-counts"]').textContent())
      .toBe('2 checks');
    await expect
      .poll(() => page.locator('[data-testid="node-assets"] [data-testid="node-counts"]').textContent())
      .toMatch(/^3 assets/);
    await page.locator('button[data-command="view.fit"]').click();
    await page.waitForTimeout(400); // the fit animates for 300 ms
    const table = page.getByTestId('assets-table');
    await expect.poll(() => table.locator('.asset-check-row').count()).toBe(7);
    // No check has run yet: each says "not run" (a neutral mark), none shows ✓.
    await expect.poll(() => table.locator('.check-status.not-run').count()).toBe(7);
    expect(await table.locator('.asset-check-row').allTextContents()).not.toContainEqual(
      expect.stringContaining('✓'),
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project-checks.png') });

    await page.getByRole('button', { name: 'Schedules' }).click();
    await expect.poll(() => page.locator('table.assets tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Resources' }).click();
    await expect
      .poll(() => page.locator('table.assets tbody tr').allTextContents())
      .toEqual([expect.stringContaining('duckdb')]);

    // A Python-definitions node: what it defines, and its code.
    await page.getByTestId('node-assets').click();
    await expect.poll(() => page.getByTestId('defines-assets').locator('li').count()).toBe(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project.png') });

    await page.getByRole('button', { name: 'Lineage' }).click();
    await expect.poll(() => page.locator('.lineage-checks').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('.lineage-checks').first().textContent()).toMatch(/^○ \d+ checks?$/);
    // At the panel's default height the drawing is at a zoom where its names can be read (fitView made specks).
    const zoom = async () =>
      Number(
        /scale\(([\d.]+)\)/.exec(
          (await page.locator('.lineage .react-flow__viewport').getAttribute('style')) ?? '',
        )?.[1],
      );
    await expect.poll(zoom).toBeGreaterThanOrEqual(0.9);
    const name = (await page.locator('.lineage-asset .mono').first().boundingBox())!;
    expect(name.height).toBeGreaterThanOrEqual(10); // 11 px names at ≥ 0.9
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project-lineage.png') });
    // Expand shows the whole lineage over the window, still readable; Escape puts it back in the panel.
    await page.getByRole('button', { name: /^Expand/ }).click();
    const expanded = page.getByRole('dialog', { name: 'Asset lineage' });
    await expect.poll(async () => (await expanded.boundingBox())?.height ?? 0).toBeGreaterThan(600);
    await expect.poll(zoom).toBeGreaterThanOrEqual(0.6);
    const drawing = (await expanded.boundingBox())!;
    for (const group of await expanded.locator('.react-flow__node-group').all()) {
      const box = (await group.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(drawing.x + drawing.width);
      expect(box.y + box.height).toBeLessThanOrEqual(drawing.y + drawing.height);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project-lineage-expanded.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => expanded.count()).toBe(0);
    expect(s.errors).toEqual([]);
  }, 900_000);
});
