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
    await page.screenshot({ path: path.join(SCREENSHOTS, 'real-project-lineage.png') });
    expect(s.errors).toEqual([]);
  }, 900_000);
});
